"""Returns after an agreed claim: the label, the parcel back, the activation-lock check
(SEC-3), the inspection and the refund, through the services."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.orders.models import Invoice
from recommerce.payments.models import Refund
from recommerce.privacy.models import Disclosure
from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.services import returns
from tests.support.conftest import ClaimWorld
from tests.support.returns_fixtures import (
    CLEAR_IMEI,
    LOCKED_IMEI,
    activation,
    agreed_claim,
    commit,
    fresh,
    record_units,
    start,
    with_return_address,
)

__all__ = ["activation", "commit"]
Status, Outcome, Resolution = Claim.Status, Claim.Outcome, Claim.Resolution


@pytest.fixture
def world(claim_world: ClaimWorld, refunds: object, activation: object) -> ClaimWorld:
    with_return_address(claim_world.order)
    return claim_world


def returned(world: ClaimWorld, *units: str, **kwargs: object) -> Claim:
    """A return agreed, its label issued and the parcel confirmed received by the seller."""
    record_units(world.order, *units)
    claim = start(agreed_claim(world.order, **kwargs), world.buyer)  # type: ignore[arg-type]
    mail.outbox.clear()
    return returns.claim_return_received(claim=claim, actor=world.owner)


def test_agreed_return_issues_a_prepaid_label_and_emails_it(
    claim_world: ClaimWorld, commit: Callable[[], Any]
) -> None:
    with_return_address(claim_world.order)
    with commit():
        claim = start(agreed_claim(claim_world.order), claim_world.buyer)

    claim = fresh(claim)
    assert claim.status == Status.RETURNING
    assert claim.return_carrier == "Sandbox Parcel"
    assert claim.return_tracking_number.startswith("SR")
    assert list(claim.events.values_list("action", "side")) == [("return_label_issued", "buyer")]
    (email,) = mail.outbox
    assert email.to == ["alice@example.com"]
    assert email.subject == f"Recommerce: Your prepaid return label ({claim.reference})"
    assert f"/account/support/claims/{claim.reference}/label.pdf" in email.body
    disclosure = Disclosure.objects.get(reference=claim.reference)
    assert (disclosure.recipient_kind, disclosure.subject_id) == ("carrier", claim.buyer_id)


def test_refund_without_return_closes_the_claim_with_the_item_and_shipping(
    claim_world: ClaimWorld, refunds: object
) -> None:
    order = claim_world.order
    claim = agreed_claim(
        order,
        kind=Claim.Kind.NOT_RECEIVED,
        resolution=Resolution.REFUND,
        seller_actor=claim_world.order_manager,
    )
    claim = fresh(start(claim, claim_world.buyer))

    assert (claim.status, claim.outcome) == (Status.CLOSED, Outcome.REFUNDED)
    refund = Refund.objects.get()
    assert claim.refund_id == refund.pk
    digest = hashlib.sha256(f"claim-{claim.reference}".encode()).hexdigest()[:32]
    assert (refund.amount_minor, refund.idempotency_key) == (
        order.total_minor,
        f"refund-{order.number}-{digest}",
    )
    assert refund.reason == Refund.Reason.CLAIM
    assert list(claim.events.values_list("action", flat=True)) == [
        "answered",
        "refund_started",
        "closed_refunded",
    ]


def test_partial_refund_and_refusal_close_with_their_outcome(
    claim_world: ClaimWorld, refunds: object
) -> None:
    partial = agreed_claim(
        claim_world.order,
        kind=Claim.Kind.WARRANTY,
        resolution=Resolution.PARTIAL_REFUND,
        amount_minor=7_500,
    )
    partial = fresh(start(partial, claim_world.owner, "seller"))
    assert (partial.status, partial.outcome, partial.refund.amount_minor) == (  # type: ignore[union-attr]
        Status.CLOSED,
        Outcome.PARTIALLY_REFUNDED,
        7_500,
    )
    Claim.objects.filter(pk=partial.pk).update(status=Status.CLOSED)
    refused = fresh(start(agreed_claim(claim_world.order, resolution=Resolution.REJECT), None))
    assert (refused.status, refused.outcome, refused.refund_id) == (
        Status.CLOSED,
        Outcome.REJECTED,
        None,
    )
    assert Refund.objects.count() == 1


def test_carrier_delivery_starts_the_inspection_and_checks_the_device(world: ClaimWorld) -> None:
    """SEC-3: reaching the seller checks the recorded unit at once: one check, one disclosure."""
    record_units(world.order, CLEAR_IMEI)
    claim = start(agreed_claim(world.order), world.buyer)
    assert fresh(returns.claim_return_tracking_refresh(claim=claim)).status == Status.RETURNING
    with time_machine.travel(dt.timedelta(hours=41)):
        moved = returns.claims_returns_refresh()
    claim = fresh(claim)
    assert (moved, claim.status) == (1, Status.INSPECTING)
    assert claim.return_received_at is not None and claim.return_shipped_at is not None
    check = DeviceCheck.objects.get()
    assert (check.identifier, check.result) == (CLEAR_IMEI, DeviceCheck.Result.CLEAR)
    disclosure = Disclosure.objects.get(recipient_kind=Disclosure.RecipientKind.DEVICE_CHECK)
    assert (disclosure.fields, disclosure.reference, disclosure.subject_id) == (
        ["identifier"],
        claim.reference,
        world.buyer.pk,
    )


def test_sec_3_a_locked_device_cannot_be_refunded(
    world: ClaimWorld, commit: Callable[[], Any]
) -> None:
    """SEC-3: locked → the claim waits, the buyer gets the steps, accepting is refused."""
    with commit():
        claim = fresh(returned(world, LOCKED_IMEI))

    assert claim.status == Status.LOCKED
    label, email = mail.outbox
    assert label.subject.startswith("Recommerce: Your prepaid return label")
    assert email.subject == f"Recommerce: Remove the device from your account ({claim.reference})"
    assert "Remove from account" in email.body and "myaccount.google.com" in email.body
    for _ in range(2):
        with pytest.raises(ValidationError, match="no longer linked to anyone's account"):
            returns.claim_inspection_accept(claim=claim, actor=world.owner)
    assert Refund.objects.count() == 0
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 0
    assert fresh(claim).outcome == ""


def test_sec_3_released_device_rechecked_is_refunded(world: ClaimWorld, activation: object) -> None:
    """SEC-3: after the owner removes the lock, the buyer's re-check clears it; refund follows."""
    claim = returned(world, LOCKED_IMEI)
    activation.release(identifier=LOCKED_IMEI)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="less than 10 minutes ago"):
        returns.claim_device_recheck(claim=claim, actor=world.buyer)
    assert DeviceCheck.objects.count() == 1

    with time_machine.travel(dt.timedelta(minutes=10)):
        returns.claim_device_recheck(claim=claim, actor=world.buyer)
    claim = fresh(claim)
    assert claim.status == Status.INSPECTING
    assert list(DeviceCheck.objects.order_by("id").values_list("result", flat=True)) == [
        "locked",
        "clear",
    ]
    assert Disclosure.objects.filter(recipient_kind="device_check").count() == 2

    returns.claim_inspection_accept(claim=claim, actor=world.order_manager, note="As described")
    claim = fresh(claim)
    assert (claim.status, claim.outcome) == (Status.CLOSED, Outcome.REFUNDED)
    refund = Refund.objects.get()
    # A change of mind: the item's price, not the shipping.
    assert (refund.amount_minor, refund.reason) == (
        claim.line.total_minor,  # type: ignore[union-attr]
        Refund.Reason.CLAIM_RETURN,
    )


def test_sec_3_unavailable_service_leaves_the_claim_waiting(
    world: ClaimWorld, activation: object
) -> None:
    """SEC-3: no answer → an unavailable check, no disclosure, no refund; the task retries."""
    activation.unavailable = True  # type: ignore[attr-defined]
    claim = fresh(returned(world, CLEAR_IMEI))

    assert claim.status == Status.INSPECTING
    assert DeviceCheck.objects.get().result == DeviceCheck.Result.UNAVAILABLE
    assert Disclosure.objects.filter(recipient_kind="device_check").count() == 0
    with pytest.raises(ValidationError, match="activation lock"):
        returns.claim_inspection_accept(claim=claim, actor=world.owner)
    assert Refund.objects.count() == 0

    activation.unavailable = False  # type: ignore[attr-defined]
    assert returns.claims_returns_refresh() == 0  # too soon to ask again
    with time_machine.travel(dt.timedelta(minutes=11)):
        assert returns.claims_returns_refresh() == 1
    assert DeviceCheck.objects.order_by("-id").first().result == "clear"  # type: ignore[union-attr]
    assert Disclosure.objects.filter(recipient_kind="device_check").count() == 1


def test_typed_identifier_is_checked_when_none_was_recorded(world: ClaimWorld) -> None:
    claim = returned(world)
    assert DeviceCheck.objects.count() == 0
    with pytest.raises(ValidationError) as error:
        returns.claim_device_check(claim=claim, actor=world.owner, identifier="352099001761480")
    assert "check digit" in str(error.value).lower() or "imei" in str(error.value).lower()
    assert DeviceCheck.objects.count() == 0

    returns.claim_device_check(claim=claim, actor=world.owner, identifier=f" {CLEAR_IMEI} ")
    assert DeviceCheck.objects.get().identifier == CLEAR_IMEI


def test_double_accept_refunds_once_and_repeats_quietly(world: ClaimWorld) -> None:
    claim = returned(world, CLEAR_IMEI)
    first = returns.claim_inspection_accept(claim=claim, actor=world.owner)
    again = returns.claim_inspection_accept(claim=claim, actor=world.owner)
    assert (first.refund_id, again.refund_id) == (Refund.objects.get().pk,) * 2
    assert fresh(claim).events.filter(action="refund_started").count() == 1


def test_inspection_is_the_sellers_or_staffs(world: ClaimWorld) -> None:
    claim = returned(world, CLEAR_IMEI)
    for person in (world.buyer, world.stranger, world.other_side.owner, world.fraud):
        with pytest.raises(PermissionError):
            returns.claim_inspection_accept(claim=claim, actor=person)
    with pytest.raises(PermissionError):
        returns.claim_device_recheck(claim=claim, actor=world.stranger)
    assert Refund.objects.count() == 0


def test_rejected_inspection_goes_to_customer_service(
    world: ClaimWorld, commit: Callable[[], Any]
) -> None:
    claim = returned(world, CLEAR_IMEI)
    with pytest.raises(ValidationError, match="Say what is wrong"):
        returns.claim_inspection_reject(claim=claim, actor=world.owner, note="  ")
    with commit():
        returns.claim_inspection_reject(claim=claim, actor=world.owner, note="Screen cracked")
    claim = fresh(claim)
    assert (claim.status, claim.escalated_by) == (Status.ESCALATED, "seller")
    assert Refund.objects.count() == 0
    assert mail.outbox[-1].subject.startswith("Recommerce: The seller disputes the returned device")


def test_repair_closes_without_refund(world: ClaimWorld, commit: Callable[[], Any]) -> None:
    claim = returned(world, CLEAR_IMEI, resolution=Resolution.REPAIR, kind=Claim.Kind.WARRANTY)
    with pytest.raises(ValidationError, match="accept the returned device first"):
        returns.claim_repair_done(claim=claim, actor=world.owner)
    returns.claim_inspection_accept(claim=claim, actor=world.owner)
    with commit():
        returns.claim_repair_done(claim=claim, actor=world.owner, tracking_number="SP 123")
    claim = fresh(claim)
    assert (claim.status, claim.outcome, claim.refund_id) == (
        Status.CLOSED,
        Outcome.REPAIRED,
        None,
    )
    assert "SP 123" in mail.outbox[-1].body
