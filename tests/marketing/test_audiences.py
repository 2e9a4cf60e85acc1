"""Advertising audiences only from people who consented and did not opt out (SHARE-4), each
disclosure recorded; an erasure reaches the partner through the marketing team."""

from __future__ import annotations

import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.marketing import selectors, services
from recommerce.marketing.models import (
    AudienceExport,
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.privacy import purposes
from recommerce.privacy.models import ConsentRecord, Disclosure, ErasureRecord
from recommerce.privacy.services.erasure import erasure_start
from recommerce.privacy.services.limits import processing_limit_set
from tests.accounts.conftest import make_staff
from tests.marketing.conftest import make_user, opted_in, staff_with, subscriber

pytestmark = pytest.mark.django_db


def _choice(user, categories, method="banner"):
    return ConsentRecord.objects.create(
        user=user, categories=list(categories), method=method, notice_version="2026-11-23"
    )


def _sha(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()


def _people():
    """Everyone a careless export would include; only ``yes`` may be in it."""
    yes = make_user("Yes.Person@Example.com")
    _choice(yes, ["analytics", "advertising"])
    make_user("never-chose@example.com")  # never chose: no consent
    refused = make_user("refused@example.com")
    _choice(refused, ["analytics"])
    gpc = make_user("gpc@example.com")
    _choice(gpc, ["advertising"])
    _choice(gpc, [], method="gpc")  # the browser's Global Privacy Control signal, later
    opted_out = make_user("do-not-sell@example.com")
    _choice(opted_out, ["advertising"])
    processing_limit_set(
        user=opted_out, purpose=purposes.MARKETING_AUDIENCES, kind="objection", reason="opt-out"
    )
    objected = make_user("objected@example.com")
    _choice(objected, ["advertising"])
    processing_limit_set(user=objected, purpose=purposes.MARKETING_AUDIENCES, kind="restriction")
    erased = make_user("erased-4@erased.invalid", is_active=False)
    _choice(erased, ["advertising"])
    return yes


def test_share_4_the_audience_keeps_only_consenting_people_and_records_their_disclosure():
    yes = _people()
    staff = staff_with("marketing.export_audience")
    made = services.audience_export(partner="Meta Ads", actor=staff)
    assert made.hashes == [_sha("yes.person@example.com")]
    assert (made.export.partner, made.export.people, made.export.created_by) == (
        "Meta Ads",
        1,
        staff,
    )
    rows = list(
        Disclosure.objects.values_list(
            "subject",
            "recipient_kind",
            "recipient",
            "fields",
            "purpose",
            "legal_basis",
            "reference",
        )
    )
    assert rows == [
        (
            yes.pk,
            "ad_partner",
            "Meta Ads",
            ["email_sha256"],
            "marketing.audiences",
            "consent",
            f"AUD-{made.export.pk}",
        )
    ]


def test_share_4_an_unknown_partner_gets_nothing():
    _people()
    with pytest.raises(ValidationError) as refused:
        services.audience_export(partner="Data Broker Inc")
    assert refused.value.message_dict == {
        "partner": ["Choose one of the listed advertising partners."]
    }
    assert not Disclosure.objects.exists()
    assert not AudienceExport.objects.exists()


def test_purp_2_the_audience_selector_never_returns_an_opted_out_address():
    _people()
    assert [email for _, email in selectors.advertising_audience()] == ["yes.person@example.com"]


def test_share_4_staff_with_the_permission_download_the_csv(client):
    yes = _people()
    client.force_login(make_staff(None, "no.perm@example.com"))
    assert client.post("/staff/marketing/audiences/", {"partner": "Google Ads"}).status_code == 403
    assert not Disclosure.objects.exists()

    client.force_login(staff_with("marketing.export_audience"))
    assert client.get("/staff/marketing/audiences/").status_code == 200
    response = client.post("/staff/marketing/audiences/", {"partner": "Google Ads"})
    assert response.status_code == 200
    export = AudienceExport.objects.get()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="aud-{export.pk}-google-ads.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode() == f"email_sha256\n{_sha('yes.person@example.com')}\n"
    assert list(Disclosure.objects.values_list("subject", "recipient")) == [(yes.pk, "Google Ads")]

    bad = client.post("/staff/marketing/audiences/", {"partner": "Data Broker Inc"})
    assert bad.status_code == 400
    assert "Select a valid choice." in bad.content.decode()
    assert Disclosure.objects.count() == 1


def test_share_4_erasing_an_exported_person_asks_the_team_to_replace_the_audience(settings):
    settings.MARKETING_TEAM_EMAIL = "growth@shop.example"
    yes = _people()
    opted_in(yes)
    subscriber("yes.person@example.com", user=yes)
    services.marketing_unsubscribe(address="yes.person@example.com", method="link")
    made = services.audience_export(partner="Meta Ads")

    record = erasure_start(user=yes)
    assert record.status == ErasureRecord.Status.DONE
    [notice] = record.notices.all()
    assert (notice.recipient_kind, notice.recipient, notice.references, notice.status) == (
        "ad_partner",
        "Meta Ads",
        [f"AUD-{made.export.pk}"],
        "sent",
    )
    [message] = mail.outbox
    assert message.to == ["growth@shop.example"]
    assert message.subject == "Recommerce: replace the advertising audience sent to Meta Ads"
    assert f"- AUD-{made.export.pk}" in message.body
    assert "yes.person" not in message.body
    # The person's marketing data goes with them.
    assert not NewsletterSubscription.objects.exists()
    assert not MarketingPreference.objects.exists()
    assert not UnsubscribeEvent.objects.exists()
    assert selectors.advertising_audience() == []
