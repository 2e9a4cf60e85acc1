"""CONSENT-5: a live identity check with a selfie video only with consent to the text in force;
declining always leaves the document route; the service's result (never the video) is kept.
COLLECT-8: the service's signed notifications decide the live route.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy.models import Disclosure, PersonalConsent
from recommerce.privacy.services.personal_consent import BIOMETRIC_TEXT_VERSION
from recommerce.support.models import ClaimEvent, IdentityCheck, IdentityEvidence
from recommerce.support.providers.identity import get_identity_verifier, sign
from recommerce.support.services.identity import (
    BiometricConsentRequired,
    WebhookRefused,
    identity_biometric_consent,
    identity_biometric_start,
    identity_check_request,
    identity_documents_submit,
    identity_reasons_text,
    identity_webhook_handle,
)
from tests.support.identity_fixtures import (
    PDF,
    IdentityWorld,
    identity_world_build,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def identity_world(db: None, settings: Any, tmp_path: Path) -> Iterator[IdentityWorld]:
    yield identity_world_build(settings, tmp_path)
    clear_provider_cache()


BACK = "https://shop.example/account/support/identity/1/"


def _asked(world: IdentityWorld) -> IdentityCheck:
    return identity_check_request(
        claim=world.claim(), actor=world.customer_service, reason="Large lost parcel"
    )


def _started(world: IdentityWorld) -> IdentityCheck:
    check = _asked(world)
    identity_biometric_consent(
        check=check, actor=world.buyer, accepted=True, text_version=BIOMETRIC_TEXT_VERSION
    )
    identity_biometric_start(check=check, actor=world.buyer, return_url=BACK)
    check.refresh_from_db()
    return check


def notification(
    session: str, status: str, reasons: list[str] | None = None, *, event: str = "evt_1"
) -> tuple[bytes, str]:
    """A notification as the service signs it (``Identity-Signature``, Stripe's scheme)."""
    body = {
        "id": event,
        "data": {"session_id": session, "status": status, "reasons": reasons or []},
    }
    payload = json.dumps(body).encode()
    secret = get_identity_verifier().webhook_secret  # type: ignore[attr-defined]
    return payload, sign(secret=secret, payload=payload, timestamp=int(clock.now().timestamp()))


def _nothing_started(check: IdentityCheck) -> None:
    check.refresh_from_db()
    assert (check.provider_session, check.method, check.consent_version) == ("", "", "")
    assert Disclosure.objects.count() == 0


# --- Consent gates the start -----------------------------------------------------------------


def test_consent5_a_live_check_cannot_start_without_consent(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    with pytest.raises(BiometricConsentRequired) as refused:
        identity_biometric_start(check=check, actor=identity_world.buyer, return_url=BACK)
    assert refused.value.messages == [
        "Accept the text about the live check first, or send documents instead."
    ]
    _nothing_started(check)


def test_consent5_consent_to_an_old_text_version_does_not_count(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    PersonalConsent.objects.create(
        user=identity_world.buyer,
        kind=PersonalConsent.Kind.BIOMETRIC,
        given=True,
        text_version="2024-01",
        method="identity check",
    )
    with pytest.raises(BiometricConsentRequired):
        identity_biometric_start(check=check, actor=identity_world.buyer, return_url=BACK)
    _nothing_started(check)
    with pytest.raises(ValueError, match="current text"):
        identity_biometric_consent(
            check=check, actor=identity_world.buyer, accepted=True, text_version="2024-01"
        )
    assert PersonalConsent.objects.count() == 1


def test_consent5_declining_leaves_the_document_route_which_completes(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    row = identity_biometric_consent(check=check, actor=identity_world.buyer, accepted=False)
    assert (row.given, row.text_version, row.method) == (False, "", "identity check")
    with pytest.raises(BiometricConsentRequired):
        identity_biometric_start(check=check, actor=identity_world.buyer, return_url=BACK)
    _nothing_started(check)
    done = identity_documents_submit(
        check=check,
        actor=identity_world.buyer,
        identity_document=upload("passport.png", png_bytes()),
        proof_of_address=upload("bill.pdf", PDF),
        declaration=upload("declaration.pdf", PDF),
    )
    assert (done.status, done.method) == (
        IdentityCheck.Status.SUBMITTED,
        IdentityCheck.Method.DOCUMENT,
    )


def test_consent5_withdrawn_consent_stops_a_new_start(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world)
    buyer = identity_world.buyer
    identity_biometric_consent(
        check=check, actor=buyer, accepted=True, text_version=BIOMETRIC_TEXT_VERSION
    )
    identity_biometric_consent(check=check, actor=buyer, accepted=False)
    with pytest.raises(BiometricConsentRequired):
        identity_biometric_start(check=check, actor=buyer, return_url=BACK)
    _nothing_started(check)


def test_consent5_only_the_person_answers_and_starts(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world)
    for intruder in (identity_world.other_buyer, identity_world.customer_service):
        with pytest.raises(PermissionError):
            identity_biometric_consent(
                check=check, actor=intruder, accepted=True, text_version=BIOMETRIC_TEXT_VERSION
            )
        with pytest.raises(PermissionError):
            identity_biometric_start(check=check, actor=intruder, return_url=BACK)
    assert PersonalConsent.objects.count() == 0
    _nothing_started(check)


def test_consent5_with_consent_the_session_and_its_disclosure_are_written(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    assert (check.method, check.status, check.consent_version, check.provider) == (
        IdentityCheck.Method.BIOMETRIC,
        IdentityCheck.Status.REQUESTED,
        BIOMETRIC_TEXT_VERSION,
        "sandbox",
    )
    assert check.provider_session.startswith("vs_sandbox_")
    assert get_identity_verifier().session_get(session_id=check.provider_session).status == (
        "requires_input"
    )
    assert list(
        Disclosure.objects.values_list(
            "subject",
            "recipient_kind",
            "recipient",
            "fields",
            "purpose",
            "legal_basis",
            "reference",
        )
    ) == [
        (
            identity_world.buyer.pk,
            "identity_service",
            "identity-verification service (sandbox)",
            ["claim reference", "identity document", "selfie video"],
            "fraud.biometric_check",
            "consent",
            check.claim.reference,
        )
    ]


# --- The service's notifications -------------------------------------------------------------


def test_collect8_a_notification_with_a_bad_signature_changes_nothing(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, good = notification(check.provider_session, "verified")
    forged = good.rpartition("v1=")[0] + "v1=" + "0" * 64
    with pytest.raises(WebhookRefused):
        identity_webhook_handle(payload=payload, signature=forged)
    with pytest.raises(WebhookRefused):
        identity_webhook_handle(
            payload=payload.replace(b"verified", b"needs_review"), signature=good
        )
    with pytest.raises(WebhookRefused):
        identity_webhook_handle(payload=payload, signature="")
    check.refresh_from_db()
    assert (check.status, check.provider_result) == (IdentityCheck.Status.REQUESTED, "")


def test_consent5_verified_keeps_the_result_not_the_video_and_replays_are_idempotent(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, signature = notification(check.provider_session, "verified")
    identity_webhook_handle(payload=payload, signature=signature)
    events = ClaimEvent.objects.count()
    # The same signed request again, then the same event signed anew (a sender's retry).
    assert identity_webhook_handle(payload=payload, signature=signature) is None
    payload, signature = notification(check.provider_session, "verified", event="evt_1")
    identity_webhook_handle(payload=payload, signature=signature)
    check.refresh_from_db()
    assert (check.status, check.provider_result, check.provider_reasons) == (
        IdentityCheck.Status.PASSED,
        "verified",
        [],
    )
    assert check.decided_at is not None
    assert ClaimEvent.objects.count() == events
    assert IdentityEvidence.objects.count() == 0
    assert [p for p in identity_world.private_root.rglob("*") if p.is_file()] == []


def test_collect8_requires_input_hands_the_check_back_with_the_reason(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, signature = notification(
        check.provider_session, "requires_input", ["document_unreadable"]
    )
    identity_webhook_handle(payload=payload, signature=signature)
    check.refresh_from_db()
    assert (check.status, check.provider_result, check.provider_reasons) == (
        IdentityCheck.Status.REQUESTED,
        "requires_input",
        ["document_unreadable"],
    )
    assert identity_reasons_text(check) == [
        "The photo of your identity document could not be read."
    ]


def test_collect8_needs_review_goes_to_staff_and_a_late_notification_changes_nothing(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, signature = notification(check.provider_session, "needs_review", ["Low light"])
    identity_webhook_handle(payload=payload, signature=signature)
    check.refresh_from_db()
    assert (check.status, check.provider_reasons) == (IdentityCheck.Status.SUBMITTED, ["Low light"])
    IdentityCheck.objects.filter(pk=check.pk).update(status=IdentityCheck.Status.FAILED)
    payload, signature = notification(check.provider_session, "verified", event="evt_2")
    identity_webhook_handle(payload=payload, signature=signature)
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.FAILED


def test_collect8_a_notification_about_an_unknown_session_is_ignored(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, signature = notification("vs_unknown", "verified")
    assert identity_webhook_handle(payload=payload, signature=signature) is None
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.REQUESTED


def test_consent5_a_started_check_cannot_restart_once_submitted(
    identity_world: IdentityWorld,
) -> None:
    check = _started(identity_world)
    payload, signature = notification(check.provider_session, "processing")
    identity_webhook_handle(payload=payload, signature=signature)
    with pytest.raises(ValidationError, match="waiting for a decision"):
        identity_biometric_start(check=check, actor=identity_world.buyer, return_url=BACK)
    assert Disclosure.objects.count() == 1
