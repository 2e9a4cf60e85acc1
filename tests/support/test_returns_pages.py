"""The return's pages and API: the label for the claim's people only, the lock steps and
re-check (SEC-3), the seller's inspection, idempotent writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client

from recommerce.accounts.models import SellerApiKey
from recommerce.orders.models import Invoice
from recommerce.payments.models import Refund
from recommerce.support.models import Claim, DeviceCheck
from recommerce.support.services import returns
from tests.support.conftest import ClaimWorld, signed_in
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
WRITE = SellerApiKey.Scope.ORDERS_WRITE.value


@pytest.fixture
def world(claim_world: ClaimWorld, refunds: object, activation: object) -> ClaimWorld:
    with_return_address(claim_world.order)
    return claim_world


def labelled(world: ClaimWorld, *units: str) -> Claim:
    record_units(world.order, *units)
    return start(agreed_claim(world.order), world.buyer)


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_label_pdf_reaches_the_claims_people_only(world: ClaimWorld) -> None:
    claim = labelled(world, CLEAR_IMEI)
    ref = claim.reference
    for client, url in (
        (signed_in(world.buyer), f"/account/support/claims/{ref}/label.pdf"),
        (signed_in(world.owner), f"/account/seller/support/claims/{ref}/label.pdf"),
        (signed_in(world.agent), f"/staff/support/claims/{ref}/label.pdf"),
        (signed_in(world.buyer), f"/api/v1/claims/{ref}/return-label"),
    ):
        response = client.get(url)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf"), url
        assert response.content.startswith(b"%PDF")
    for client, url in (
        (signed_in(world.stranger), f"/account/support/claims/{ref}/label.pdf"),
        (signed_in(world.other_side.owner), f"/account/seller/support/claims/{ref}/label.pdf"),
        (signed_in(world.stranger), f"/api/v1/claims/{ref}/return-label"),
        (signed_in(world.owner), f"/account/support/claims/{ref}/label.pdf"),
    ):
        assert client.get(url).status_code == 404, url


def test_sec_3_buyer_page_shows_the_steps_and_the_recheck_waits(world: ClaimWorld) -> None:
    """SEC-3: the locked device's page tells how to remove it; a re-check too soon is refused."""
    claim = labelled(world, LOCKED_IMEI)
    returns.claim_return_received(claim=claim, actor=world.owner)
    buyer = signed_in(world.buyer)
    page = buyer.get(f"/account/support/claims/{claim.reference}/return/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Remove from account" in text and "myaccount.google.com" in text
    assert "A new check can be asked from" in text

    response = buyer.post(f"/account/support/claims/{claim.reference}/return/recheck")
    assert response.status_code == 302
    assert any("less than 10 minutes ago" in m for m in said(response))
    assert DeviceCheck.objects.count() == 1

    with time_machine.travel(dt.timedelta(minutes=10)):
        page = buyer.get(f"/account/support/claims/{claim.reference}/return/")
        assert "I removed it, check again" in page.content.decode()


def test_sec_3_seller_form_cannot_accept_a_locked_device(world: ClaimWorld) -> None:
    """SEC-3 through the seller's form: a clear refusal, no refund, no credit note."""
    claim = labelled(world, LOCKED_IMEI)
    returns.claim_return_received(claim=claim, actor=world.owner)
    response = signed_in(world.owner).post(
        f"/account/seller/support/claims/{claim.reference}/return/inspection",
        {"decision": "accept"},
    )
    assert response.status_code == 302
    assert any("activation lock" in m for m in said(response))
    assert Refund.objects.count() == 0
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 0
    assert fresh(claim).status == Claim.Status.LOCKED


def test_seller_api_receipt_and_inspection_are_idempotent(world: ClaimWorld) -> None:
    claim = labelled(world, CLEAR_IMEI)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.key(WRITE)}"}
    client = Client()
    base = f"/api/v1/seller/claims/{claim.reference}"
    received = client.post(
        base + "/received", content_type="application/json", HTTP_IDEMPOTENCY_KEY="r-1", **headers
    )
    assert (received.status_code, received.json()["status"]) == (200, "inspecting")
    assert received.json()["device_clear"] is True

    answers = [
        client.post(
            base + "/inspection",
            {"decision": "accept", "note": "Fine"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="i-1",
            **headers,
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["refund"] == {"amount_minor": 45_000, "status": "pending"}
    assert Refund.objects.count() == 1


def test_api_device_check_as_the_buyer_is_a_recheck(
    world: ClaimWorld, commit: Callable[[], Any]
) -> None:
    """SEC-3 over the API: the buyer's request is a re-check, rate-limited per claim."""
    claim = labelled(world, LOCKED_IMEI)
    returns.claim_return_received(claim=claim, actor=world.owner)
    buyer = signed_in(world.buyer)
    url = f"/api/v1/claims/{claim.reference}/device-check"
    early = buyer.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert early.status_code == 400
    assert "less than 10 minutes ago" in early.json()["detail"][0]["msg"]
    world_lock = activation_service()
    world_lock.release(identifier=LOCKED_IMEI)
    with time_machine.travel(dt.timedelta(minutes=10)):
        later = buyer.post(url, {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="d-2")
    assert (later.status_code, later.json()["status"], later.json()["device_clear"]) == (
        200,
        "inspecting",
        True,
    )
    assert (
        signed_in(world.stranger).post(url, {}, content_type="application/json").status_code == 404
    )


def activation_service() -> Any:
    from recommerce.support.providers.activation import get_activation_lock

    return get_activation_lock()


def test_seller_and_staff_pages_offer_the_inspection(world: ClaimWorld) -> None:
    claim = labelled(world)  # no unit recorded: the seller types the identifier
    returns.claim_return_received(claim=claim, actor=world.owner)
    ref = claim.reference
    seller = signed_in(world.owner)
    page = seller.get(f"/account/seller/support/claims/{ref}/return/").content.decode()
    assert "IMEI or serial number of the device received" in page
    checked = seller.post(
        f"/account/seller/support/claims/{ref}/return/check", {"identifier": CLEAR_IMEI}
    )
    assert any("not linked to any account" in m for m in said(checked))
    page = seller.get(f"/account/seller/support/claims/{ref}/return/").content.decode()
    assert "Accept and refund the buyer" in page
    staff = signed_in(world.agent).get(f"/staff/support/claims/{ref}/return/")
    assert staff.status_code == 200 and "Accept and refund the buyer" in staff.content.decode()
    assert (
        signed_in(world.fraud)
        .post(f"/staff/support/claims/{ref}/return/inspection", {"decision": "accept"})
        .status_code
        == 302
    )
    assert Refund.objects.count() == 0  # anti-fraud sees claims but refunds none
