"""A claim's steps after opening: who may take each, from which status, what each writes,
the automatic escalation of a seller's silence, and the outcome carried out end to end."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Seller, SellerApiKey
from recommerce.support.models import Claim, ClaimEvent, Conversation
from recommerce.support.services import claims as services
from tests.orders.conftest import RefundRecorder
from tests.support.conftest import ClaimWorld, ResolutionRecorder, at, delivered_order, photo

pytestmark = pytest.mark.django_db
Status, Resolution = Claim.Status, Claim.Resolution


def _snapshot(claim: Claim) -> tuple[object, ...]:
    fresh = Claim.objects.get(pk=claim.pk)
    return (fresh.status, fresh.resolution, fresh.proposal, fresh.escalated_at, fresh.closed_at)


def _refused_without_trace(
    subject: Claim, call: object, error: type[Exception], /, **kw: object
) -> str:
    before, events = _snapshot(subject), ClaimEvent.objects.count()
    with pytest.raises(error) as refused:
        call(**kw)  # type: ignore[operator]
    assert _snapshot(subject) == before
    assert ClaimEvent.objects.count() == events
    assert mail.outbox == []
    return str(refused.value)


# --- The seller's answer ---------------------------------------------------------------------


def test_seller_accepts_and_the_request_is_carried_out(
    claim_world: ClaimWorld, resolutions: ResolutionRecorder
) -> None:
    claim = claim_world.open()
    answered = claim_world.act(
        services.claim_answer, claim=claim, actor=claim_world.order_manager, accept=True
    )
    assert answered.resolution == Resolution.RETURN_REFUND
    assert answered.seller_answered_at is not None
    assert resolutions.calls == [(claim.reference, "return_refund", "seller")]
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_an_api_key_of_the_seller_may_answer(
    claim_world: ClaimWorld, resolutions: ResolutionRecorder
) -> None:
    claim = claim_world.open()
    claim_world.key("orders:read", "orders:write")
    key = SellerApiKey.objects.get(seller=claim_world.side.seller)
    services.claim_answer(claim=claim, actor=key, accept=True)
    assert resolutions.calls == [(claim.reference, "return_refund", "seller")]


@pytest.mark.parametrize("who", ["buyer", "stranger", "accountant", "agent"])
def test_only_the_seller_answers(claim_world: ClaimWorld, who: str) -> None:
    claim = claim_world.open()
    actor = getattr(claim_world, who)
    message = _refused_without_trace(
        claim, services.claim_answer, PermissionError, claim=claim, actor=actor, accept=True
    )
    assert message == f"You cannot answer on claim {claim.reference}."


@pytest.mark.parametrize(
    ("proposal", "amount", "note", "errors"),
    [
        (
            "partial_refund",
            45_001,
            "",
            {"amount_minor": ["A partial refund is above zero and at most €450.00."]},
        ),
        (
            "partial_refund",
            0,
            "",
            {"amount_minor": ["A partial refund is above zero and at most €450.00."]},
        ),
        ("reject", 0, " ", {"note": ["Say why the claim is refused."]}),
        (
            "return_refund",
            0,
            "",
            {"proposal": ["To offer what the buyer asked for, accept the claim."]},
        ),
        ("gift", 0, "", {"resolution": ["“gift” is not an outcome of a claim."]}),
    ],
)
def test_a_proposal_is_checked(
    claim_world: ClaimWorld, proposal: str, amount: int, note: str, errors: dict[str, list[str]]
) -> None:
    claim = claim_world.open()
    before = _snapshot(claim)
    with pytest.raises(ValidationError) as refused:
        claim_world.act(
            services.claim_answer, claim=claim, actor=claim_world.owner, accept=False,
            proposal=proposal, amount_minor=amount, note=note,
        )  # fmt: skip
    assert refused.value.message_dict == errors
    assert _snapshot(claim) == before and mail.outbox == []


def test_proposal_then_agreement(claim_world: ClaimWorld, resolutions: ResolutionRecorder) -> None:
    claim = claim_world.open()
    proposed = claim_world.act(
        services.claim_answer, claim=claim, actor=claim_world.owner, accept=False,
        proposal="partial_refund", amount_minor=5_000, note="A scratch is within the grade.",
    )  # fmt: skip
    assert (proposed.status, proposed.proposal, proposed.proposal_amount_minor) == (
        "proposed", "partial_refund", 5_000,
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "A scratch" not in mail.outbox[0].body
    mail.outbox.clear()
    with pytest.raises(PermissionError):
        services.claim_agree(claim=claim, actor=claim_world.owner)
    agreed = claim_world.act(services.claim_agree, claim=claim, actor=claim_world.buyer)
    assert (agreed.resolution, agreed.resolution_amount_minor) == ("partial_refund", 5_000)
    assert resolutions.calls == [(claim.reference, "partial_refund", "buyer")]
    assert sorted(mail.outbox[0].to) == sorted([claim_world.owner.email, "orders@lyon.example"])
    actions = list(claim.events.values_list("action", "side"))
    assert actions == [("opened", "buyer"), ("proposed", "seller"), ("agreed", "buyer")]


def test_agreeing_without_a_proposal_is_refused(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    message = _refused_without_trace(
        claim, services.claim_agree, ValidationError, claim=claim, actor=claim_world.buyer
    )
    assert message == f"['Claim {claim.reference}: there is no proposal waiting for your answer.']"


# --- Escalation ------------------------------------------------------------------------------


def test_the_buyer_escalates_a_proposal(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    services.claim_answer(
        claim=claim, actor=claim_world.owner, accept=False, proposal="reject", note="Used."
    )
    mail.outbox.clear()
    escalated = claim_world.act(
        services.claim_escalate, claim=claim, actor=claim_world.buyer, note="It was never used."
    )
    assert (escalated.status, escalated.escalated_by) == ("escalated", "buyer")
    conversation = Conversation.objects.get(order=claim_world.order, kind="order")
    assert conversation.staff_joined_at is not None
    about = [m for m in mail.outbox if claim.reference in m.subject]
    assert len(about) == 2
    mail.outbox.clear()
    again = _refused_without_trace(
        claim, services.claim_escalate, ValidationError, claim=claim, actor=claim_world.owner,
        note="Please decide.",
    )  # fmt: skip
    assert "only a claim waiting for an answer can be escalated" in again


def test_escalation_needs_a_note_and_a_party(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    _refused_without_trace(
        claim, services.claim_escalate, ValidationError, claim=claim, actor=claim_world.buyer,
        note="  ",
    )  # fmt: skip
    _refused_without_trace(
        claim, services.claim_escalate, PermissionError, claim=claim, actor=claim_world.stranger,
        note="Help",
    )  # fmt: skip


def test_a_silent_seller_is_escalated_after_two_business_days(claim_world: ClaimWorld) -> None:
    with time_machine.travel(at("2027-01-29", "09:00"), tick=False):
        order = delivered_order(claim_world.buyer, claim_world.side, delivered_at=at("2027-01-28"))
    with time_machine.travel(at("2027-01-29", "17:00"), tick=False):  # a Friday
        claim = claim_world.open(order=order)
    assert claim.seller_due_at == at("2027-02-02", "17:00")  # Tuesday
    with time_machine.travel(at("2027-02-02", "16:59"), tick=False):
        assert services.claims_escalate_overdue() == 0
    assert Claim.objects.get(pk=claim.pk).status == Status.OPEN
    with time_machine.travel(at("2027-02-02", "17:00"), tick=False):
        assert claim_world.act(services.claims_escalate_overdue) == 1
        assert services.claims_escalate_overdue() == 0
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.status, fresh.escalated_by, fresh.escalated_at) == (
        "escalated", "auto", at("2027-02-02", "17:00"),
    )  # fmt: skip
    assert fresh.events.last().side == "system"  # type: ignore[union-attr]


def test_the_escalation_task_runs_the_service(claim_world: ClaimWorld) -> None:
    from recommerce.support import tasks

    claim = claim_world.open()
    Claim.objects.filter(pk=claim.pk).update(seller_due_at=at("2020-01-01"))
    assert tasks.claims_escalate.call_local() == 1
    assert Claim.objects.get(pk=claim.pk).status == Status.ESCALATED


# --- Decision and withdrawal -------------------------------------------------------------------


def _escalated(world: ClaimWorld) -> Claim:
    claim = world.open()
    services.claim_escalate(claim=claim, actor=world.buyer, note="No answer")
    mail.outbox.clear()
    return Claim.objects.get(pk=claim.pk)


def test_customer_service_decides_once(
    claim_world: ClaimWorld, resolutions: ResolutionRecorder
) -> None:
    claim = _escalated(claim_world)
    with pytest.raises(PermissionError):
        services.claim_decide(claim=claim, actor=claim_world.fraud, resolution="refund", note="x")
    decided = claim_world.act(
        services.claim_decide, claim=claim, actor=claim_world.agent, resolution="refund",
        note="The seller did not answer.",
    )  # fmt: skip
    assert (decided.resolution, decided.decided_by) == ("refund", claim_world.agent)
    assert resolutions.calls == [(claim.reference, "refund", "staff")]
    assert len([m for m in mail.outbox if claim.reference in m.subject]) == 2
    mail.outbox.clear()
    message = _refused_without_trace(
        claim, services.claim_decide, ValidationError, claim=claim, actor=claim_world.agent,
        resolution="reject", note="Second thoughts",
    )  # fmt: skip
    assert message == f"['Claim {claim.reference}: it was already decided.']"


def test_an_open_claim_is_not_decided(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    message = _refused_without_trace(
        claim, services.claim_decide, ValidationError, claim=claim, actor=claim_world.agent,
        resolution="refund", note="x",
    )  # fmt: skip
    assert "only a claim with customer service can be decided" in message


def test_the_buyer_withdraws_before_a_refund(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    _refused_without_trace(
        claim, services.claim_withdraw, PermissionError, claim=claim, actor=claim_world.owner
    )
    closed = claim_world.act(services.claim_withdraw, claim=claim, actor=claim_world.buyer)
    assert (closed.status, closed.outcome) == ("closed", "withdrawn")
    mail.outbox.clear()
    message = _refused_without_trace(
        claim, services.claim_withdraw, ValidationError, claim=claim, actor=claim_world.buyer
    )
    assert "it is already closed" in message


# --- End to end, with the returns services ------------------------------------------------------


def test_agreed_partial_refund_refunds_closes_and_counts_a_defect(
    claim_world: ClaimWorld, refunds: RefundRecorder
) -> None:
    claim = claim_world.open(
        kind="not_as_described", requested="return_refund", reason_code="", evidence=[photo()]
    )
    services.claim_answer(
        claim=claim, actor=claim_world.owner, accept=False, proposal="partial_refund",
        amount_minor=5_000, note="Keep it with a discount.",
    )  # fmt: skip
    closed = services.claim_agree(claim=claim, actor=claim_world.buyer)
    assert (closed.status, closed.outcome) == ("closed", "partially_refunded")
    assert [c["amount_minor"] for c in refunds.calls] == [5_000]
    assert Seller.objects.get(pk=claim_world.side.seller.pk).orders_defective == 1
    with pytest.raises(ValidationError):
        services.claim_withdraw(claim=claim, actor=claim_world.buyer)
    assert services.claim_defect_record(claim=closed) is False


def test_a_decided_refusal_closes_without_refund(
    claim_world: ClaimWorld, refunds: RefundRecorder
) -> None:
    claim = _escalated(claim_world)
    closed = services.claim_decide(
        claim=claim, actor=claim_world.agent, resolution="reject", note="Outside the terms."
    )
    assert (closed.status, closed.outcome, closed.decision_note) == (
        "closed", "rejected", "Outside the terms.",
    )  # fmt: skip
    assert refunds.calls == []
    assert Seller.objects.get(pk=claim_world.side.seller.pk).orders_defective == 0
