"""Opening a claim: each kind's window on a frozen clock (month ends, weekends), who may
open one, the evidence each kind needs, one claim per item, and what a refusal leaves."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Seller
from recommerce.orders.models import OrderLine, TrackingEvent
from recommerce.support.models import Claim, ClaimEvent
from recommerce.support.services.claims import claim_open
from tests.support.conftest import ClaimWorld, at, delivered_order, photo

pytestmark = pytest.mark.django_db
Kind, Resolution = Claim.Kind, Claim.Resolution
# A Friday, two days before a month's end: windows cross both.
FRIDAY = "2027-01-29"


def _nothing_happened() -> None:
    assert Claim.objects.count() == 0
    assert ClaimEvent.objects.count() == 0
    assert mail.outbox == []


def _order(world: ClaimWorld, delivered: str, **extra: object) -> object:
    with time_machine.travel(at(delivered, "09:00"), tick=False):
        order = delivered_order(world.buyer, world.side, delivered_at=at(delivered), **extra)
    mail.outbox.clear()
    return order


def _open(world: ClaimWorld, order: object, day: str, **kwargs: object) -> Claim:
    with time_machine.travel(at(day, "12:00"), tick=False):
        return world.act(claim_open, order=order, actor=world.buyer, **kwargs)  # type: ignore[no-any-return]


RETURN = {"kind": Kind.RETURN, "requested": Resolution.RETURN_REFUND, "reason_code": "other"}


# --- Windows -----------------------------------------------------------------------------------


def test_return_opens_on_the_30th_day_across_a_month_end(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY)
    claim = _open(claim_world, order, "2027-02-28", **RETURN)
    assert claim.status == Claim.Status.OPEN
    assert claim.window_closes_on == dt.date(2027, 2, 28)
    # Opened on a Sunday: two business days later is Tuesday, same time.
    assert claim.seller_due_at == at("2027-03-02", "12:00")


def test_return_refused_the_day_after_names_the_day(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY)
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, "2027-03-01", **RETURN)
    assert refused.value.messages == [
        "The return period for this order closed on 28 February 2027."
    ]
    _nothing_happened()


def test_transit_damage_counts_business_days_over_the_weekend(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY)
    damage = {"kind": Kind.TRANSIT_DAMAGE, "requested": Resolution.REPLACEMENT}
    claim = _open(claim_world, order, "2027-02-03", evidence=[photo()], **damage)
    assert claim.window_closes_on == dt.date(2027, 2, 3)  # Friday + 3 business days
    claim.status = Claim.Status.CLOSED
    claim.save()
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, "2027-02-04", evidence=[photo()], **damage)
    assert refused.value.messages == [
        "Damage in transit had to be reported within 3 business days of delivery, "
        "by 3 February 2027."
    ]
    assert Claim.objects.count() == 1 and mail.outbox == []


def test_warranty_ends_on_a_short_months_last_day(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, "2027-01-31")
    OrderLine.objects.filter(order=order).update(warranty_months=1)
    warranty = {"kind": Kind.WARRANTY, "requested": Resolution.REPAIR, "description": "No sound"}
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, "2027-03-01", **warranty)
    assert refused.value.messages == ["The warranty of this item ended on 28 February 2027."]
    _nothing_happened()
    claim = _open(claim_world, order, "2027-02-28", **warranty)
    assert claim.window_closes_on == dt.date(2027, 2, 28)


def test_not_received_opens_the_day_after_the_expected_day(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY, status="shipped", expected_to=dt.date(2027, 1, 29))
    lost = {"kind": Kind.NOT_RECEIVED, "requested": Resolution.REFUND, "declaration": True}
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, FRIDAY, **lost)
    assert refused.value.messages == [
        "You can report a parcel as not received from 30 January 2027, the day after its "
        "latest expected delivery date."
    ]
    _nothing_happened()
    claim = _open(claim_world, order, "2027-01-30", **lost)
    assert claim.window_closes_on == dt.date(2027, 2, 28)
    assert claim.line == order.lines.get()  # type: ignore[attr-defined]


def test_a_parcel_the_carrier_lost_may_be_reported_at_once(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY, status="shipped", expected_to=dt.date(2027, 2, 5))
    TrackingEvent.objects.create(
        order=order, code="lost", description="Parcel lost", occurred_at=at(FRIDAY)
    )
    claim = _open(
        claim_world,
        order,
        FRIDAY,
        kind=Kind.NOT_RECEIVED,
        requested=Resolution.REFUND,
        declaration=True,
    )
    assert claim.kind == Kind.NOT_RECEIVED


def test_a_return_before_delivery_is_refused(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY, status="shipped")
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, FRIDAY, **RETURN)
    assert refused.value.messages == ["You can return this order once it has been delivered."]
    _nothing_happened()


# --- Evidence ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"kind": Kind.RETURN, "requested": Resolution.RETURN_REFUND},
            "reason_code",
            "Choose why you return the item.",
        ),
        (
            {"kind": Kind.TRANSIT_DAMAGE, "requested": Resolution.REPLACEMENT},
            "evidence",
            "Add at least one photo (JPEG or PNG) of the problem.",
        ),
        (
            {
                "kind": Kind.NOT_AS_DESCRIBED,
                "requested": Resolution.RETURN_REFUND,
                "evidence": [photo("notes.jpg", b"%PDF-1.4 not a photo")],
            },
            "evidence",
            "Add at least one photo (JPEG or PNG) of the problem.",
        ),
        (
            {"kind": Kind.WARRANTY, "requested": Resolution.REPAIR, "description": "  "},
            "description",
            "Describe the defect.",
        ),
        (
            {"kind": Kind.RETURN, "requested": Resolution.REFUND, "reason_code": "other"},
            "requested",
            "For this kind of claim, ask for: return the device for a refund.",
        ),
    ],
)
def test_each_kind_needs_its_evidence(
    claim_world: ClaimWorld, kwargs: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        claim_world.act(claim_open, order=claim_world.order, actor=claim_world.buyer, **kwargs)
    assert refused.value.message_dict == {field: [message]}
    _nothing_happened()


def test_not_received_needs_the_declaration(claim_world: ClaimWorld) -> None:
    order = _order(claim_world, FRIDAY, status="shipped", expected_to=dt.date(2027, 1, 25))
    with pytest.raises(ValidationError) as refused:
        _open(claim_world, order, FRIDAY, kind=Kind.NOT_RECEIVED, requested=Resolution.REFUND)
    assert refused.value.message_dict == {
        "declaration": ["Declare that you did not receive the parcel to report it."]
    }
    _nothing_happened()


def test_photos_pass_and_the_claim_is_written(claim_world: ClaimWorld) -> None:
    claim = claim_world.act(
        claim_open,
        order=claim_world.order,
        actor=claim_world.buyer,
        kind=Kind.NOT_AS_DESCRIBED,
        requested=Resolution.RETURN_REFUND,
        description="Wrong colour",
        evidence=[photo("a.png")],
    )
    assert claim.reference.startswith("CL-") and len(claim.reference) == 11
    assert claim.buyer == claim_world.buyer and claim.description == "Wrong colour"
    assert list(claim.events.values_list("action", "side")) == [("opened", "buyer")]
    team = sorted([claim_world.owner.email, "orders@lyon.example"])
    about = [m for m in mail.outbox if claim.reference in m.subject]
    assert sorted(sorted(m.to) for m in about) == sorted([["alice@example.com"], team])
    for message in about:
        assert "Wrong colour" not in message.body
        assert claim.reference in message.body


# --- Who, and how many ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["stranger", "owner", "fraud"])
def test_only_the_buyer_or_customer_service_opens(claim_world: ClaimWorld, who: str) -> None:
    with pytest.raises(PermissionError):
        claim_world.open(actor=getattr(claim_world, who))
    _nothing_happened()


def test_customer_service_opens_on_the_buyers_behalf(claim_world: ClaimWorld) -> None:
    claim = claim_world.open(actor=claim_world.agent)
    assert claim.buyer == claim_world.buyer
    assert list(claim.events.values_list("action", "side")) == [("opened", "staff")]


def test_one_open_claim_per_item(claim_world: ClaimWorld) -> None:
    first = claim_world.open()
    with pytest.raises(ValidationError) as refused:
        claim_world.open()
    assert refused.value.messages == [
        "A claim on this item is already open; follow it on its page."
    ]
    assert list(Claim.objects.values_list("pk", flat=True)) == [first.pk]
    assert mail.outbox == []
    Claim.objects.filter(pk=first.pk).update(status=Claim.Status.CLOSED)
    assert claim_world.open().pk != first.pk


# --- Risk -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("above", "flagged"), [(44_999, True), (45_000, False)])
def test_a_large_not_received_claim_is_flagged(
    claim_world: ClaimWorld, settings: object, above: int, flagged: bool
) -> None:
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = above  # type: ignore[attr-defined]
    order = _order(claim_world, FRIDAY, status="shipped", expected_to=dt.date(2027, 1, 25))
    claim = _open(
        claim_world, order, FRIDAY, kind=Kind.NOT_RECEIVED, requested=Resolution.REFUND,
        declaration=True,
    )  # fmt: skip
    assert claim.risk_flagged is flagged
    expected = ["opened", "risk_flagged"] if flagged else ["opened"]
    assert list(claim.events.values_list("action", flat=True)) == expected


def test_a_third_not_received_claim_is_flagged(claim_world: ClaimWorld, settings: object) -> None:
    settings.SUPPORT_IDENTITY_CHECK_ABOVE_MINOR = 100_000  # type: ignore[attr-defined]
    flags = []
    for _ in range(3):
        order = _order(claim_world, FRIDAY, status="shipped", expected_to=dt.date(2027, 1, 25))
        claim = _open(
            claim_world, order, FRIDAY, kind=Kind.NOT_RECEIVED, requested=Resolution.REFUND,
            declaration=True,
        )  # fmt: skip
        flags.append(claim.risk_flagged)
    assert flags == [False, False, True]
    assert Seller.objects.get(pk=claim_world.side.seller.pk).orders_defective == 0
