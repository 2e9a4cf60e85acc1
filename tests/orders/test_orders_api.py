"""The orders API: buyers with their session, sellers with a scoped key, idempotent writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from recommerce.accounts.models import SellerApiKey
from recommerce.orders.models import Order
from recommerce.orders.projections import SELLER_BUYER_FIELDS, SELLER_ORDER_FIELDS
from recommerce.orders.services import fulfilment
from recommerce.payments.models import Refund
from recommerce.platform.models import IdempotentRequest
from tests.orders.conftest import RefundRecorder, World, seller_key, signed_in, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
READ = SellerApiKey.Scope.ORDERS_READ
WRITE = "orders:write"


def seller_client(world: World, *scopes: str) -> tuple[Client, dict[str, str]]:
    secret = seller_key(world.side.seller, world.side.owner, *scopes)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client: Client, url: str, body: dict[str, Any] | None = None, **headers: Any) -> Any:
    return client.post(url, body or {}, content_type="application/json", **headers)


# --- Buyer -----------------------------------------------------------------------------------


def test_buyer_lists_and_reads_own_orders_with_tracking(world: World) -> None:
    mine = world.make(status=Order.Status.ACCEPTED)
    world.make(status=Order.Status.HELD)
    other = Client()
    other.force_login(world.other_buyer)
    with time_machine.travel(dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        fulfilment.order_ship(order=mine, units=units_of(mine), actor=world.side.owner)
    with time_machine.travel(dt.datetime(2026, 6, 1, 21, 0, tzinfo=dt.UTC), tick=False):
        fulfilment.order_tracking_refresh(order=mine)
    client = signed_in(world.buyer)
    listing = client.get("/api/v1/orders")
    assert listing.status_code == 200
    assert sorted(o["status"] for o in listing.json()) == ["held", "shipped"]
    assert set(listing.json()[0]) == {
        "number",
        "seller",
        "status",
        "currency",
        "total_minor",
        "paid_at",
    }
    detail = client.get(f"/api/v1/orders/{mine.number}").json()
    assert [e["code"] for e in detail["tracking"]] == ["label_created", "picked_up", "in_transit"]
    assert detail["delivery"]["line1"] == "12 Rue des Lilas"
    assert detail["billing"]["line1"] == "99 Avenue de la Facture"
    assert detail["can_cancel"] is False
    assert other.get(f"/api/v1/orders/{mine.number}").status_code == 404
    assert other.get("/api/v1/orders").json() == []
    assert Client().get("/api/v1/orders").status_code == 401


def test_buyer_cancels_once_whatever_the_retries(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    client = signed_in(world.buyer)
    url = f"/api/v1/orders/{order.number}/cancel"
    answers = [
        post(client, url, {"reason": "Too slow"}, HTTP_IDEMPOTENCY_KEY="cancel-1") for _ in range(5)
    ]
    assert {a.status_code for a in answers} == {200}
    assert {a.json()["status"] for a in answers} == {"cancelled"}
    assert len(refunds.calls) == 1
    mismatch = post(client, url, {"reason": "Other"}, HTTP_IDEMPOTENCY_KEY="cancel-1")
    assert mismatch.status_code == 422
    again = post(client, url, {"reason": "Too slow"})
    assert again.status_code == 400
    assert again.json() == {
        "detail": [
            {"loc": ["body"], "msg": f"Order {order.number} is cancelled: it is already cancelled."}
        ]
    }
    assert len(refunds.calls) == 1


def test_buyer_cannot_cancel_after_acceptance_through_the_api(
    world: World, refunds: RefundRecorder
) -> None:
    order = world.make(status=Order.Status.ACCEPTED)
    answer = post(signed_in(world.buyer), f"/api/v1/orders/{order.number}/cancel")
    assert answer.status_code == 400
    assert (
        "only the seller or customer service can cancel it now" in answer.json()["detail"][0]["msg"]
    )
    assert Order.objects.get(pk=order.pk).status == "accepted" and refunds.calls == []


def test_cancel_reason_longer_than_200_is_refused(world: World) -> None:
    order = world.make()
    answer = post(
        signed_in(world.buyer), f"/api/v1/orders/{order.number}/cancel", {"reason": "x" * 201}
    )
    assert answer.status_code == 422
    assert Order.objects.get(pk=order.pk).status == "paid"


# --- Seller ----------------------------------------------------------------------------------


def test_seller_lists_by_status(world: World) -> None:
    paid = world.make()
    accepted = world.make(status=Order.Status.ACCEPTED)
    client, auth = seller_client(world, READ)
    assert [o["number"] for o in client.get("/api/v1/seller/orders?status=new", **auth).json()] == [
        paid.number
    ]
    assert [
        o["number"] for o in client.get("/api/v1/seller/orders?status=accepted", **auth).json()
    ] == [accepted.number]
    assert len(client.get("/api/v1/seller/orders", **auth).json()) == 2
    bad = client.get("/api/v1/seller/orders?status=held", **auth)
    assert bad.status_code == 400


def ship_body(order: Order) -> dict[str, Any]:
    return {
        "units": [{"line": line, "identifiers": values} for line, values in units_of(order).items()]
    }


def test_seller_accepts_and_ships_through_the_api(world: World) -> None:
    order = world.make()
    client, auth = seller_client(world, READ, WRITE)
    accepted = post(client, f"/api/v1/seller/orders/{order.number}/accept", **auth)
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["status"] == "accepted"
    assert set(body) == {*SELLER_ORDER_FIELDS, "buyer", "lines"}
    assert set(body["buyer"]) == set(SELLER_BUYER_FIELDS)
    url, body = f"/api/v1/seller/orders/{order.number}/ship", ship_body(order)
    shipped = post(client, url, body, HTTP_IDEMPOTENCY_KEY="s1", **auth)
    assert shipped.status_code == 200
    assert shipped.json()["carrier"] == "Sandbox Parcel"
    replay = post(client, url, body, HTTP_IDEMPOTENCY_KEY="s1", **auth)
    assert replay.json() == shipped.json()
    assert set(replay.json()["buyer"]) == set(SELLER_BUYER_FIELDS)
    twice = post(client, f"/api/v1/seller/orders/{order.number}/accept", **auth)
    assert twice.status_code == 400


def test_seller_ship_to_an_invalid_postal_code_is_a_clear_400(world: World) -> None:
    order = world.make(status=Order.Status.ACCEPTED, delivery_postal_code="ABC")
    client, auth = seller_client(world, READ, WRITE)
    answer = post(client, f"/api/v1/seller/orders/{order.number}/ship", ship_body(order), **auth)
    assert answer.status_code == 400
    assert answer.json()["detail"][0]["msg"] == (
        "The carrier did not take the parcel: The postal code “ABC” is not valid for FR: "
        "it should be 5 digits."
    )
    assert Order.objects.get(pk=order.pk).status == "accepted"


def test_read_only_keys_cannot_write(world: World, refunds: RefundRecorder) -> None:
    order = world.make()
    client, auth = seller_client(world, READ)
    for action in ("accept", "ship", "cancel"):
        assert (
            post(client, f"/api/v1/seller/orders/{order.number}/{action}", {}, **auth).status_code
            == 403
        )
    refund = post(
        client,
        f"/api/v1/seller/orders/{order.number}/refund",
        {"amount_minor": 100, "reason": "x"},
        HTTP_IDEMPOTENCY_KEY="r",
        **auth,
    )
    assert refund.status_code == 403
    assert Order.objects.get(pk=order.pk).status == "paid" and refunds.calls == []


def test_refund_needs_a_key_and_happens_once(world: World, refunds: RefundRecorder) -> None:
    order = world.make(status=Order.Status.DELIVERED)
    client, auth = seller_client(world, READ, WRITE)
    url = f"/api/v1/seller/orders/{order.number}/refund"
    body = {"amount_minor": 2_500, "reason": "Scratch on the back"}
    assert post(client, url, body, **auth).status_code == 400
    answers = [post(client, url, body, HTTP_IDEMPOTENCY_KEY="r-1", **auth) for _ in range(5)]
    assert {a.status_code for a in answers} == {201}
    assert answers[0].json()["amount_minor"] == 2_500 and answers[0].json()["status"] == "pending"
    assert len(refunds.calls) == 1 and Refund.objects.count() == 1
    changed = post(client, url, {**body, "amount_minor": 2_600}, HTTP_IDEMPOTENCY_KEY="r-1", **auth)
    assert changed.status_code == 422
    too_much = post(
        client, url, {**body, "amount_minor": 42_501}, HTTP_IDEMPOTENCY_KEY="r-2", **auth
    )
    assert too_much.status_code == 400
    assert too_much.json()["detail"] == [
        {
            "loc": ["body", "amount_minor"],
            "msg": "At most €425.00 can still be refunded on this order.",
        }
    ]
    assert Refund.objects.count() == 1
    assert not IdempotentRequest.objects.filter(key="r-2").exists()


@pytest.mark.parametrize("amount", [0, -100, "12.5", 1.5, None])
def test_refund_bad_amounts_are_4xx(world: World, refunds: RefundRecorder, amount: Any) -> None:
    order = world.make(status=Order.Status.SHIPPED)
    client, auth = seller_client(world, READ, WRITE)
    answer = post(
        client,
        f"/api/v1/seller/orders/{order.number}/refund",
        {"amount_minor": amount, "reason": "x"},
        HTTP_IDEMPOTENCY_KEY="k",
        **auth,
    )
    assert answer.status_code in (400, 422)
    assert refunds.calls == []


def test_openapi_document_lists_the_order_operations(world: World) -> None:
    document = Client().get("/api/v1/openapi.json")
    assert document.status_code == 200
    paths = document.json()["paths"]
    for path in (
        "/api/v1/orders",
        "/api/v1/orders/{number}",
        "/api/v1/orders/{number}/cancel",
        "/api/v1/seller/orders",
        "/api/v1/seller/orders/{number}",
        "/api/v1/seller/orders/{number}/refund",
    ):
        assert path in paths
