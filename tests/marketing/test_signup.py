"""Newsletter sign-up with a confirmation link before anything is sent (CONSENT-4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from recommerce.marketing import services
from recommerce.marketing.models import Campaign, NewsletterSubscription
from recommerce.marketing.rules import double_opt_in_required
from tests.marketing.conftest import link, make_user, marketing_messages, staff_with, subscriber

pytestmark = pytest.mark.django_db

NEWSLETTER = "/marketing/newsletter/"


def _sign_up(client, email="lea@example.com", country="FR", topics=("offers", "tips"), **extra):
    data = {"email": email, "country": country, "topics": list(topics), "consent": "on", **extra}
    return client.post(NEWSLETTER, data)


def _campaign(topic="offers"):
    author = staff_with("marketing.send_campaign")
    return services.campaign_create(actor=author, subject="Spring deals", body="Hi!", topic=topic)


def _send(campaign, capture):
    with capture(execute=True):
        services.campaign_queue(campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def test_consent_4_double_opt_in_nothing_marketing_before_the_link_is_clicked(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/marketing/newsletter/sent/"
    sub = NewsletterSubscription.objects.get()
    assert (sub.email, sub.status, sub.country, sub.topics) == (
        "lea@example.com",
        "pending",
        "FR",
        ["offers", "tips"],
    )
    assert sub.consent_text_version == "newsletter-2026-11"
    assert sub.confirmed_at is None
    assert [m.to for m in mail.outbox] == [["lea@example.com"]]
    confirmation = mail.outbox[0]
    assert confirmation.subject == "Recommerce: confirm your newsletter subscription"
    assert confirmation.extra_headers["X-Recommerce-Category"] == "transactional"
    assert len(sub.token_hash) == 64 and sub.token_hash not in confirmation.body

    # A campaign before the click reaches nobody, and says why (its author never subscribed).
    first = _send(_campaign(), django_capture_on_commit_callbacks)
    assert (first.status, first.sent_count) == ("sent", 0)
    assert first.skipped == {"pending": 1, "not_subscribed": 1}
    assert marketing_messages() == []

    # Opening the link only shows a button: mail scanners open links too.
    path = link("newsletter/confirm", confirmation)
    page = client.get(path)
    assert page.status_code == 200
    assert b"Confirm my subscription" in page.content
    sub.refresh_from_db()
    assert sub.status == "pending"

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert b"You are subscribed" in confirmed.content
    sub.refresh_from_db()
    assert (sub.status, sub.token_hash) == ("confirmed", "")
    assert sub.confirmed_at is not None

    second = _send(_campaign(), django_capture_on_commit_callbacks)
    assert (second.sent_count, second.skipped) == (1, {"not_subscribed": 2})
    assert [m.to for m in marketing_messages()] == [["lea@example.com"]]

    # The link works once.
    again = client.post(path)
    assert again.status_code == 400
    assert b"already used" in again.content


@pytest.mark.parametrize("country", ["FR", "DE", "GB", "NO", "US", "CA"])
def test_consent_4_eu_eea_uk_always_confirm_and_other_countries_too(country):
    # The law requires it in the EU, EEA and UK; elsewhere it is kept for one path.
    assert double_opt_in_required(country) is True


def test_consent_4_a_us_sign_up_is_pending_until_confirmed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, email="sam@example.com", country="US")
    assert NewsletterSubscription.objects.get().status == "pending"
    assert len(mail.outbox) == 1


def test_consent_4_no_consent_box_no_subscription(client):
    response = client.post(
        NEWSLETTER, {"email": "lea@example.com", "country": "FR", "topics": ["offers"]}
    )
    assert response.status_code == 400
    assert b"Tick the box to agree to receive the newsletter." in response.content
    assert not NewsletterSubscription.objects.exists()
    assert mail.outbox == []


def test_consent_4_bad_input_is_refused_clearly(client):
    response = _sign_up(client, email="not-an-address", country="ZZ", topics=("nope",))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "Select a valid choice. ZZ is not one of the available choices." in body
    assert "Select a valid choice. nope is not one of the available choices." in body
    assert not NewsletterSubscription.objects.exists()


def test_a_filled_honeypot_subscribes_nobody(client):
    response = _sign_up(client, website="http://spam.example")
    assert response.status_code == 302
    assert not NewsletterSubscription.objects.exists()
    assert mail.outbox == []


def test_consent_4_signing_up_again_when_confirmed_changes_nothing_and_says_so(
    client, django_capture_on_commit_callbacks
):
    sub = subscriber("lea@example.com", topics=("offers",))
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, topics=("tips",))
    assert response.status_code == 302  # the same answer as for a new address
    sub.refresh_from_db()
    assert (sub.status, sub.topics) == ("confirmed", ["offers"])
    assert [m.subject for m in mail.outbox] == ["Recommerce: you are already subscribed"]
    assert "/marketing/unsubscribe/" in mail.outbox[0].body


def test_one_confirmation_email_per_address_in_ten_minutes(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client)
        _sign_up(client)
    assert len(mail.outbox) == 1


def test_consent_4_an_expired_or_forged_confirmation_link_confirms_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client)
    path = link("newsletter/confirm", mail.outbox[0])
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8)):
        response = client.post(path)
    assert response.status_code == 400
    assert b"expired after 7 days" in response.content
    forged = client.post(reverse("marketing:newsletter-confirm", args=["x" * 43]))
    assert forged.status_code == 400
    assert client.get(reverse("marketing:newsletter-confirm", args=["x" * 43])).status_code == 400
    assert NewsletterSubscription.objects.get().status == "pending"


def test_a_signed_in_person_typing_another_address_does_not_tie_it_to_their_account(
    client, django_capture_on_commit_callbacks
):
    person = make_user("max@example.com")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, email="someone.else@example.com")
        _sign_up(client, email="MAX@example.com")
    rows = dict(NewsletterSubscription.objects.values_list("email", "user"))
    assert rows == {"someone.else@example.com": None, "max@example.com": person.pk}


def test_the_newsletter_page_renders_for_everyone(client):
    response = client.get(reverse("marketing:newsletter"))
    assert response.status_code == 200
    assert b"I agree to receive the Recommerce newsletter" in response.content
    assert b'name="consent"' in response.content
    assert b"checked" not in response.content  # nothing ticked in advance
    assert Campaign.objects.count() == 0
