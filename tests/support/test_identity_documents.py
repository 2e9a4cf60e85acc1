"""COLLECT-8: identity checks of claims by documents reviewed by staff.

Customer service asks (flagged or large claims only); the claimant sends documents, checked
by content and sealed at rest; only staff with ``support.view_identity_evidence`` open them,
each look logged; the files go a set number of days after the claim closes and the result
stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy.models import StaffAccess
from recommerce.support.models import Claim, ClaimEvent, IdentityCheck, IdentityEvidence
from recommerce.support.services.identity import (
    identity_check_request,
    identity_decide,
    identity_documents_submit,
    identity_evidence_open,
    identity_evidence_purge,
)
from tests.support.identity_fixtures import (
    PDF,
    IdentityWorld,
    identity_world_build,
    jpeg_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def identity_world(db: None, settings: Any, tmp_path: Path) -> Iterator[IdentityWorld]:
    yield identity_world_build(settings, tmp_path)
    clear_provider_cache()


def _asked(world: IdentityWorld, **claim: Any) -> IdentityCheck:
    return identity_check_request(
        claim=world.claim(**claim), actor=world.customer_service, reason="Large lost parcel"
    )


def _send_all(world: IdentityWorld, check: IdentityCheck) -> IdentityCheck:
    return identity_documents_submit(
        check=check,
        actor=world.buyer,
        identity_document=upload("passport.png", png_bytes()),
        proof_of_address=upload("bill.pdf", PDF),
        declaration=upload("declaration.jpg", jpeg_bytes()),
    )


# --- Asking ----------------------------------------------------------------------------------


def test_collect8_customer_service_asks_on_a_flagged_claim(
    identity_world: IdentityWorld, django_capture_on_commit_callbacks: Any
) -> None:
    world = identity_world
    claim = world.claim()
    with django_capture_on_commit_callbacks(execute=True):
        check = identity_check_request(
            claim=claim, actor=world.customer_service, reason="  Large   lost parcel "
        )
    check.refresh_from_db()
    claim.refresh_from_db()
    assert (check.status, check.reason, check.person, check.requested_by) == (
        IdentityCheck.Status.REQUESTED,
        "Large lost parcel",
        world.buyer,
        world.customer_service,
    )
    assert claim.identity_required is True
    assert list(ClaimEvent.objects.filter(claim=claim).values_list("action", "side", "note")) == [
        ("identity.requested", "staff", "Large lost parcel")
    ]
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert f"/account/support/identity/{check.pk}/" in mail.outbox[0].body


def test_collect8_a_small_unflagged_claim_is_refused_with_a_sentence(
    identity_world: IdentityWorld, settings: Any
) -> None:
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 45_000  # the item costs exactly this
    claim = identity_world.claim(risk_flagged=False)
    with pytest.raises(ValidationError) as refused:
        identity_check_request(claim=claim, actor=identity_world.customer_service, reason="x")
    assert refused.value.messages == [
        f"Claim {claim.reference}: an identity check is asked only for claims the risk "
        "rules flag or above 450.00 EUR."
    ]
    claim.refresh_from_db()
    assert claim.identity_required is False
    assert IdentityCheck.objects.count() == 0


def test_collect8_a_large_unflagged_claim_may_be_checked(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world, risk_flagged=False)  # 450.00 EUR > 300.00 EUR
    assert check.status == IdentityCheck.Status.REQUESTED


@pytest.mark.parametrize("who", ["anti_fraud", "finance", "dpo", "buyer"])
def test_collect8_only_customer_service_asks(identity_world: IdentityWorld, who: str) -> None:
    claim = identity_world.claim()
    with pytest.raises(PermissionError):
        identity_check_request(claim=claim, actor=getattr(identity_world, who), reason="x")
    assert IdentityCheck.objects.count() == 0
    assert ClaimEvent.objects.count() == 0


def test_collect8_no_check_on_a_closed_claim_nor_two_at_once(
    identity_world: IdentityWorld,
) -> None:
    closed = identity_world.claim(status=Claim.Status.CLOSED)
    with pytest.raises(ValidationError, match="it is closed"):
        identity_check_request(claim=closed, actor=identity_world.customer_service, reason="x")
    check = _asked(identity_world)
    with pytest.raises(ValidationError, match="already waiting"):
        identity_check_request(
            claim=check.claim, actor=identity_world.customer_service, reason="again"
        )
    assert IdentityCheck.objects.count() == 1


# --- Documents -------------------------------------------------------------------------------


def test_collect8_documents_are_sealed_at_rest(identity_world: IdentityWorld) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    assert (check.status, check.method) == (
        IdentityCheck.Status.SUBMITTED,
        IdentityCheck.Method.DOCUMENT,
    )
    rows = {row.kind: row for row in check.evidence.all()}
    assert sorted(rows) == ["declaration", "identity_document", "proof_of_address"]
    assert rows["proof_of_address"].content_type == "application/pdf"
    for row in rows.values():
        raw = (identity_world.private_root / row.file.name).read_bytes()
        assert raw.startswith(b"recommerce-sealed:1\n")
        assert PDF not in raw and b"PNG" not in raw and b"JFIF" not in raw
    with rows["proof_of_address"].file.open("rb") as handle:
        assert handle.read() == PDF


def test_collect8_a_lost_parcel_needs_the_declaration_and_proof_of_address(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    with pytest.raises(ValidationError) as refused:
        identity_documents_submit(
            check=check,
            actor=identity_world.buyer,
            identity_document=upload("passport.png", png_bytes()),
        )
    assert refused.value.messages == [
        f"Claim {check.claim.reference}: for a parcel not received, add also: proof of "
        "address and signed declaration of non-receipt."
    ]
    assert IdentityEvidence.objects.count() == 0
    assert list(identity_world.private_root.rglob("*.*")) == []
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.REQUESTED


def test_collect8_a_file_is_checked_by_content_not_name(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world, kind=Claim.Kind.WARRANTY)
    with pytest.raises(ValidationError):
        identity_documents_submit(
            check=check,
            actor=identity_world.buyer,
            identity_document=upload("passport.png", b"<html><script>x</script></html>"),
        )
    assert IdentityEvidence.objects.count() == 0
    assert [p for p in identity_world.private_root.rglob("*") if p.is_file()] == []


def test_collect8_another_person_cannot_send_documents(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world)
    for intruder in (identity_world.other_buyer, identity_world.customer_service):
        with pytest.raises(PermissionError):
            _send_all_as(identity_world, check, intruder)
    assert IdentityEvidence.objects.count() == 0


def _send_all_as(world: IdentityWorld, check: IdentityCheck, actor: Any) -> None:
    identity_documents_submit(
        check=check,
        actor=actor,
        identity_document=upload("passport.png", png_bytes()),
        proof_of_address=upload("bill.pdf", PDF),
        declaration=upload("declaration.pdf", PDF),
    )


# --- Looks at evidence -----------------------------------------------------------------------


def test_collect8_customer_service_opens_evidence_and_each_look_is_logged(
    identity_world: IdentityWorld,
) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    proof = check.evidence.get(kind="proof_of_address")
    for staff in (identity_world.customer_service, identity_world.anti_fraud):
        assert identity_evidence_open(evidence=proof, staff=staff) == PDF
    looks = StaffAccess.objects.order_by("id").values_list("staff__email", "subject", "what")
    assert list(looks) == [
        (
            "cs@example.com",
            identity_world.buyer.pk,
            f"Proof of address of claim {check.claim.reference}",
        ),
        (
            "fraud@example.com",
            identity_world.buyer.pk,
            f"Proof of address of claim {check.claim.reference}",
        ),
    ]


@pytest.mark.parametrize("who", ["finance", "dpo", "admin", "buyer", "other_buyer"])
def test_collect8_other_roles_cannot_open_evidence_and_nothing_is_logged(
    identity_world: IdentityWorld, who: str
) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    document = check.evidence.get(kind="identity_document")
    with pytest.raises(PermissionError):
        identity_evidence_open(evidence=document, staff=getattr(identity_world, who))
    assert StaffAccess.objects.count() == 0


def test_collect8_a_seller_cannot_open_evidence(identity_world: IdentityWorld) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    with pytest.raises(PermissionError):
        identity_evidence_open(
            evidence=check.evidence.get(kind="declaration"), staff=identity_world.side.owner
        )
    assert StaffAccess.objects.count() == 0


# --- Decision --------------------------------------------------------------------------------


def test_collect8_customer_service_decides_and_the_person_is_told(
    identity_world: IdentityWorld, django_capture_on_commit_callbacks: Any
) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        identity_decide(
            check=check, actor=identity_world.customer_service, passed=True, note="Matches."
        )
    check.refresh_from_db()
    assert (check.status, check.decided_by, check.decision_note) == (
        IdentityCheck.Status.PASSED,
        identity_world.customer_service,
        "Matches.",
    )
    assert list(check.claim.events.values_list("action", flat=True)) == [
        "identity.requested",
        "identity.documents_sent",
        "identity.passed",
    ]
    assert [m.subject for m in mail.outbox] == [
        f"Recommerce: Identity confirmed ({check.claim.reference})"
    ]


def test_collect8_anti_fraud_cannot_decide_and_a_refusal_needs_a_reason(
    identity_world: IdentityWorld,
) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    with pytest.raises(PermissionError):
        identity_decide(check=check, actor=identity_world.anti_fraud, passed=True, note="")
    with pytest.raises(ValidationError, match="say why"):
        identity_decide(check=check, actor=identity_world.customer_service, passed=False, note="")
    check.refresh_from_db()
    assert check.status == IdentityCheck.Status.SUBMITTED
    assert check.decided_at is None


# --- Purge -----------------------------------------------------------------------------------


def test_collect8_purge_after_the_claim_closes_plus_n_days_keeps_the_result(
    identity_world: IdentityWorld, django_capture_on_commit_callbacks: Any
) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    identity_decide(check=check, actor=identity_world.customer_service, passed=True, note="ok")
    names = [row.file.name for row in check.evidence.all()]
    closed_at = clock.now()
    Claim.objects.filter(pk=check.claim_id).update(status=Claim.Status.CLOSED, closed_at=closed_at)
    with time_machine.travel(closed_at + dt.timedelta(days=30) - dt.timedelta(minutes=1)):
        assert identity_evidence_purge() == 0
    assert IdentityEvidence.objects.count() == 3
    later = closed_at + dt.timedelta(days=30, minutes=1)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        assert identity_evidence_purge() == 3
        assert identity_evidence_purge() == 0
    check.refresh_from_db()
    assert IdentityEvidence.objects.count() == 0
    assert [name for name in names if (identity_world.private_root / name).exists()] == []
    assert (check.status, check.decision_note, check.method) == (
        IdentityCheck.Status.PASSED,
        "ok",
        IdentityCheck.Method.DOCUMENT,
    )
    assert check.evidence_deleted_at is not None


def test_collect8_purge_leaves_open_claims_alone(identity_world: IdentityWorld) -> None:
    check = _send_all(identity_world, _asked(identity_world))
    with time_machine.travel(clock.now() + dt.timedelta(days=400)):
        assert identity_evidence_purge() == 0
    assert check.evidence.count() == 3
