"""Marketing data in the rights engine: exported to its person, kept no longer than
declared, and the consent evidence there while it is needed."""

from __future__ import annotations

import datetime as dt

import pytest

from recommerce.marketing import services
from recommerce.marketing.models import (
    CampaignDelivery,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.marketing.tasks import unconfirmed_signups_task
from recommerce.platform import clock
from recommerce.privacy.rights.export import export_sections
from recommerce.privacy.services.retention import retention_run
from tests.marketing.conftest import make_user, opted_in, staff_with, subscriber

pytestmark = pytest.mark.django_db


def test_right_1_a_person_s_export_holds_their_marketing_consent_and_choices():
    person = opted_in(make_user("max@example.com"), topics=("tips",))
    subscriber("max@example.com", topics=("offers",))  # signed up before the account
    services.marketing_unsubscribe(address="max@example.com", method="link")
    sections = {s.key: s for s in export_sections(person)}
    sub = sections["marketing.newslettersubscription"].records
    assert [(r["email"], r["status"], r["topics"], r["consent_text_version"]) for r in sub] == [
        ("max@example.com", "unsubscribed", ["offers"], "newsletter-2026-11")
    ]
    prefs = sections["marketing.marketingpreference"].records
    assert [(r["email"], r["topics"]) for r in prefs] == [(False, ["tips"])]
    events = sections["marketing.unsubscribeevent"].records
    assert [(r["email"], r["method"]) for r in events] == [("max@example.com", "link")]


def test_retain_1_consent_evidence_goes_three_years_after_the_unsubscribe():
    now = clock.now()
    gone = subscriber("old@example.com", status="unsubscribed")
    NewsletterSubscription.objects.filter(pk=gone.pk).update(
        unsubscribed_at=now - dt.timedelta(days=3 * 365 + 1)
    )
    recent = subscriber("recent@example.com", status="unsubscribed")
    NewsletterSubscription.objects.filter(pk=recent.pk).update(
        unsubscribed_at=now - dt.timedelta(days=3 * 365 - 1)
    )
    active = subscriber("active@example.com")
    NewsletterSubscription.objects.filter(pk=active.pk).update(
        created_at=now - dt.timedelta(days=10 * 365)
    )
    old_event = UnsubscribeEvent.objects.create(email="old@example.com", method="link")
    UnsubscribeEvent.objects.filter(pk=old_event.pk).update(
        created_at=now - dt.timedelta(days=3 * 365 + 1)
    )
    campaign = services.campaign_create(
        actor=staff_with("marketing.send_campaign"), subject="s", body="b", topic="offers"
    )
    delivery = CampaignDelivery.objects.create(campaign=campaign, email="active@example.com")
    CampaignDelivery.objects.filter(pk=delivery.pk).update(sent_at=now - dt.timedelta(days=366))

    run = retention_run()
    assert run.error == ""
    assert sorted(NewsletterSubscription.objects.values_list("email", flat=True)) == [
        "active@example.com",
        "recent@example.com",
    ]
    assert not UnsubscribeEvent.objects.exists()
    assert not CampaignDelivery.objects.exists()


def test_retain_1_sign_ups_never_confirmed_go_after_thirty_days():
    now = clock.now()
    stale = subscriber("stale@example.com", status="pending")
    NewsletterSubscription.objects.filter(pk=stale.pk).update(
        confirmation_sent_at=now - dt.timedelta(days=31)
    )
    subscriber("fresh@example.com", status="pending")
    unconfirmed_signups_task.call_local()
    assert list(NewsletterSubscription.objects.values_list("email", flat=True)) == [
        "fresh@example.com"
    ]
