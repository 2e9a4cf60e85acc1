"""Claim pages: the buyer reports a problem and follows the claim, the seller answers, customer
service sees the queue and decides; someone else's claim is a 404 and changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail

from recommerce.privacy.models import StaffAccess
from recommerce.support.models import Claim
from tests.support.conftest import ClaimWorld, ResolutionRecorder, signed_in

pytestmark = pytest.mark.django_db


def test_report_a_problem_lists_kinds_with_their_windows(claim_world: ClaimWorld) -> None:
    url = f"/account/support/orders/{claim_world.order.number}/claim/"
    page = signed_in(claim_world.buyer).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Return (change of mind)" in text and 'value="return"' in text
    # Delivered today: a lost parcel cannot be reported before the expected day has passed.
    assert "You can report a parcel as not received from" in text
    assert signed_in(claim_world.stranger).get(url).status_code == 404


def test_the_buyer_opens_a_return_from_the_page(
    claim_world: ClaimWorld, django_capture_on_commit_callbacks: object
) -> None:
    url = f"/account/support/orders/{claim_world.order.number}/claim/"
    client = signed_in(claim_world.buyer)
    refused = client.post(url, {"kind": "return", "requested": "return_refund"})
    assert refused.status_code == 400
    assert "Choose why you return the item." in refused.content.decode()
    assert Claim.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        done = client.post(
            url, {"kind": "return", "requested": "return_refund", "reason_code": "other"}
        )
    claim = Claim.objects.get()
    assert (
        done.status_code == 302
        and done["Location"] == f"/account/support/claims/{claim.reference}/"
    )
    page = client.get(done["Location"])
    assert page.status_code == 200 and "Waiting for the seller" in page.content.decode()
    assert client.get("/account/support/claims/").status_code == 200
    assert signed_in(claim_world.stranger).get(done["Location"]).status_code == 404
    assert len([m for m in mail.outbox if claim.reference in m.subject]) == 2


def test_the_buyer_withdraws_and_a_stranger_cannot(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    url = f"/account/support/claims/{claim.reference}/"
    assert signed_in(claim_world.stranger).post(url, {"action": "withdraw"}).status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == "open"
    signed_in(claim_world.buyer).post(url, {"action": "withdraw"})
    assert Claim.objects.get(pk=claim.pk).outcome == "withdrawn"


def test_the_seller_proposes_and_the_buyer_agrees(
    claim_world: ClaimWorld, resolutions: ResolutionRecorder
) -> None:
    claim = claim_world.open()
    url = f"/account/seller/support/claims/{claim.reference}/"
    seller = signed_in(claim_world.order_manager)
    assert seller.get("/account/seller/support/claims/").status_code == 200
    assert signed_in(claim_world.accountant).get(url).status_code == 403
    assert signed_in(claim_world.other_side.owner).get(url).status_code == 404
    bad = seller.post(url, {"action": "propose", "proposal": "partial_refund", "amount": "999"})
    assert bad.status_code == 400
    assert "A partial refund is above zero and at most €450.00." in bad.content.decode()
    done = seller.post(
        url, {"action": "propose", "proposal": "partial_refund", "amount": "50.00", "note": "Ok"}
    )
    assert done.status_code == 302
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.status, fresh.proposal_amount_minor) == ("proposed", 5_000)
    buyer_url = f"/account/support/claims/{claim.reference}/"
    assert "I agree" in signed_in(claim_world.buyer).get(buyer_url).content.decode()
    signed_in(claim_world.buyer).post(buyer_url, {"action": "agree"})
    assert resolutions.calls == [(claim.reference, "partial_refund", "buyer")]


def test_the_staff_queue_and_decision(
    claim_world: ClaimWorld, resolutions: ResolutionRecorder
) -> None:
    from recommerce.support.services import claims as services

    claim = claim_world.open()
    services.claim_escalate(claim=claim, actor=claim_world.buyer, note="No answer")
    queue = signed_in(claim_world.agent).get("/staff/support/claims/")
    assert queue.status_code == 200 and claim.reference in queue.content.decode()
    assert StaffAccess.objects.filter(staff=claim_world.agent).count() == 1
    assert signed_in(claim_world.buyer).get("/staff/support/claims/").status_code == 404
    url = f"/staff/support/claims/{claim.reference}/"
    fraud = signed_in(claim_world.fraud)
    assert "does not include deciding" in fraud.get(url).content.decode()
    fraud.post(url, {"proposal": "refund", "note": "x"})
    assert resolutions.calls == []
    done = signed_in(claim_world.agent).post(url, {"proposal": "refund", "note": "Seller silent."})
    assert done.status_code == 302
    assert resolutions.calls == [(claim.reference, "refund", "staff")]
    assert (
        StaffAccess.objects.filter(staff=claim_world.agent, subject_id=claim_world.buyer.pk).count()
        == 2
    )
