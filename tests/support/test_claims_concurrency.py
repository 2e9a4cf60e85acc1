"""Claims decided or opened twice at once act once (PostgreSQL row locks)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from recommerce.support.models import Claim, ClaimEvent
from recommerce.support.services import claims as services
from tests.orders.conftest import RefundRecorder, race
from tests.support.conftest import ClaimWorld

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (CI runs these on it)",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_decisions_at_once_give_one_outcome(
    claim_world: ClaimWorld, refunds: RefundRecorder
) -> None:
    claim = claim_world.open()
    services.claim_escalate(claim=claim, actor=claim_world.buyer, note="No answer")
    errors = race(
        [
            lambda: services.claim_decide(
                claim=claim, actor=claim_world.agent, resolution="reject", note="Used device."
            ),
            lambda: services.claim_decide(
                claim=claim, actor=claim_world.agent, resolution="partial_refund",
                amount_minor=5_000, note="A discount.",
            ),
        ]
    )  # fmt: skip
    assert len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    assert errors[0].messages == [f"Claim {claim.reference}: it was already decided."]
    fresh = Claim.objects.get(pk=claim.pk)
    assert fresh.status == "closed"
    assert fresh.outcome in ("rejected", "partially_refunded")
    assert ClaimEvent.objects.filter(claim=claim, action="decided").count() == 1
    assert len(refunds.calls) == (1 if fresh.outcome == "partially_refunded" else 0)


def test_two_openings_on_one_item_make_one_claim(claim_world: ClaimWorld) -> None:
    def open_one() -> Claim:
        return services.claim_open(
            order=claim_world.order, actor=claim_world.buyer, kind="return",
            requested="return_refund", reason_code="other",
        )  # fmt: skip

    errors = race([open_one, open_one])
    assert len(errors) == 1
    assert errors[0].messages == [  # type: ignore[attr-defined]
        "A claim on this item is already open; follow it on its page."
    ]
    assert Claim.objects.filter(order=claim_world.order).count() == 1
    assert ClaimEvent.objects.filter(action="opened").count() == 1
