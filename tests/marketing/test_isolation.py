"""SEC-2 for the marketing URLs that carry an identifier: links work only as signed, and only
for the person they were made for; campaign pages only for staff with the permission."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from recommerce.marketing import services
from recommerce.marketing.models import Campaign, NewsletterSubscription, UnsubscribeEvent
from tests.accounts.conftest import make_staff
from tests.marketing.conftest import make_user, staff_with, subscriber

pytestmark = pytest.mark.django_db

VICTIM = "zebulon.victim-q9@example.test"


def _attackers() -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for who, user in (
        ("buyer", make_user("mallory@example.com")),
        ("staff without the permission", make_staff(None, "plain.staff@example.com")),
    ):
        clients[who] = Client()
        clients[who].force_login(user)
    return clients


def test_p_sec_2_unsubscribe_links_cannot_be_forged_for_someone_else():
    victim = subscriber(VICTIM)
    mallory = subscriber("mallory@example.com")
    own = services.unsubscribe_token(user_id=None, subscription_id=mallory.pk)
    signature = own.split(":", 1)[1]
    for who, client in _attackers().items():
        for token in (f"s{victim.pk}", f"s{victim.pk}:{signature}", f"u{victim.pk}:{signature}"):
            url = reverse("marketing:unsubscribe", args=[token])
            for method in ("get", "post"):
                answer = getattr(client, method)(url)
                assert answer.status_code == 400, (who, token, method)
                assert VICTIM.encode() not in answer.content
    victim.refresh_from_db()
    assert victim.status == "confirmed"
    assert not UnsubscribeEvent.objects.exists()


def test_p_sec_2_a_genuine_unsubscribe_page_shows_nobody_s_address(client):
    victim = subscriber(VICTIM)
    token = services.unsubscribe_token(user_id=None, subscription_id=victim.pk)
    answer = client.get(reverse("marketing:unsubscribe", args=[token]))
    assert answer.status_code == 200
    assert VICTIM.encode() not in answer.content


def test_p_sec_2_confirmation_links_confirm_only_their_own_sign_up(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_subscribe(email=VICTIM, country="FR", topics=["offers"])
    victim = NewsletterSubscription.objects.get()
    for who, client in _attackers().items():
        for token in (victim.token_hash, "A" * 43, str(victim.pk)):
            url = reverse("marketing:newsletter-confirm", args=[token])
            for method in ("get", "post"):
                answer = getattr(client, method)(url)
                assert answer.status_code == 400, (who, token, method)
                assert VICTIM.encode() not in answer.content
    victim.refresh_from_db()
    assert victim.status == "pending"


def test_p_sec_2_campaign_pages_refuse_everyone_without_the_permission():
    campaign = services.campaign_create(
        actor=staff_with("marketing.send_campaign"),
        subject="Q7 canary deals",
        body="Hi",
        topic="offers",
    )
    subscriber(VICTIM)
    expected = {"anonymous": 302, "buyer": 404, "staff without the permission": 403}
    for who, client in _attackers().items():
        page = client.get(reverse("marketing_staff:campaign", args=[campaign.pk]))
        send = client.post(reverse("marketing_staff:campaign-send", args=[campaign.pk]))
        assert (page.status_code, send.status_code) == (expected[who], expected[who]), who
        assert b"Q7 canary deals" not in page.content
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert mail.outbox == []
