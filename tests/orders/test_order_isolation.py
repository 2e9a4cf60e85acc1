"""IDOR / BOLA: no one reaches or changes an order that is not theirs (SEC-2, SHARE-1).

Every order page and API operation is tried by the anonymous visitor, another buyer, a
member (and the API key) of another seller, and staff without the orders permission.
Each answer must be a login redirect, 401, 403 or 404 (or, for lists, a list without the
order), and afterwards nothing about the order has changed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import SellerApiKey, User
from recommerce.offers.models import Offer
from recommerce.orders.models import Order
from recommerce.orders.providers.insurer import get_insurer
from recommerce.orders.services.insurance import insurance_subscribe_for_order
from recommerce.payments.models import Refund
from recommerce.platform.models import IdempotentRequest
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import RefundRecorder, World, seller_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
DENIED = {302, 401, 403, 404}


def snapshot(order: Order) -> tuple[Any, ...]:
    fresh = Order.objects.get(pk=order.pk)
    return (
        fresh.status,
        fresh.tracking_number,
        fresh.accepted_at,
        fresh.cancelled_at,
        Refund.objects.count(),
        Offer.objects.get(pk=order.lines.get().offer_id).stock,
        Disclosure.objects.filter(reference=order.number).count(),
        IdempotentRequest.objects.count(),
    )


def web_requests(order: Order, policy_number: str) -> list[tuple[str, str, dict[str, str]]]:
    n = {"number": order.number}
    detail = reverse("seller_orders:detail", kwargs=n)
    return [
        ("get", reverse("orders:detail", kwargs=n), {}),
        ("post", reverse("orders:cancel", kwargs=n), {"reason": "x"}),
        ("post", reverse("orders:received", kwargs=n), {}),
        ("get", reverse("orders:invoice", kwargs={**n, "invoice_id": 1}), {}),
        ("get", reverse("orders:certificate", kwargs={**n, "policy_number": policy_number}), {}),
        ("get", detail, {}),
        ("post", detail, {"action": "accept"}),
        ("post", detail, {"action": "ship", "ship-how": "carrier"}),
        ("post", detail, {"action": "cancel", "cancel-reason": "x"}),
        ("post", detail, {"action": "refund", "amount": "1", "reason": "x", "key": "k"}),
        ("get", reverse("staff_orders:held_review", kwargs=n), {}),
        ("post", reverse("staff_orders:held_review", kwargs=n), {"decision": "release"}),
        (
            "post",
            reverse("staff_orders:held_review", kwargs=n),
            {"decision": "reject", "reason": "x"},
        ),
    ]


LISTS = ["orders:list", "seller_orders:list", "staff_orders:held"]


def api_requests(order: Order) -> list[tuple[str, str, dict[str, Any]]]:
    base = f"/api/v1/seller/orders/{order.number}"
    return [
        ("get", f"/api/v1/orders/{order.number}", {}),
        ("post", f"/api/v1/orders/{order.number}/cancel", {"reason": "x"}),
        ("post", f"/api/v1/orders/{order.number}/received", {}),
        ("get", base, {}),
        ("post", f"{base}/accept", {}),
        ("post", f"{base}/ship", {"units": [{"line": 1, "identifiers": ["SN-0001"]}]}),
        ("post", f"{base}/cancel", {"reason": "x"}),
        ("post", f"{base}/refund", {"amount_minor": 100, "reason": "x"}),
    ]


def strangers(world: World) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "other buyer": world.other_buyer,
        "other seller": world.other_side.owner,
        "staff without permission": world.plain_staff,
    }


@pytest.fixture(params=[Order.Status.HELD, Order.Status.PAID, Order.Status.SHIPPED])
def order(request: Any, world: World) -> Order:
    quote_id = (
        get_insurer()
        .quote(device_title="x", category="", price_minor=45_000, currency="EUR")
        .quote_id
    )
    made = world.make(
        status=request.param,
        insured_units=1,
        insurance_quote_id=quote_id,
        insurance_unit_minor=3_699,
    )
    insurance_subscribe_for_order(order=made)
    mail.outbox.clear()
    return made


def test_web_pages_refuse_strangers(world: World, order: Order, refunds: RefundRecorder) -> None:
    before = snapshot(order)
    policy_number = order.lines.get().policies.get().policy_number
    leaks = []
    for who, user in strangers(world).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for method, url, data in web_requests(order, policy_number):
            answer = getattr(client, method)(url, data)
            if answer.status_code not in DENIED or order.number.encode() in answer.content:
                leaks.append((who, method, url, answer.status_code))
        for name in LISTS:
            answer = client.get(reverse(name))
            if order.number.encode() in answer.content:
                leaks.append((who, "get", name, answer.status_code))
    assert leaks == []
    assert snapshot(order) == before
    assert refunds.calls == [] and mail.outbox == []


def test_api_refuses_strangers(world: World, order: Order, refunds: RefundRecorder) -> None:
    before = snapshot(order)
    other_key = seller_key(
        world.other_side.seller,
        world.other_side.owner,
        SellerApiKey.Scope.ORDERS_READ,
        "orders:write",
    )
    callers: dict[str, tuple[User | None, dict[str, str]]] = {
        **{who: (user, {}) for who, user in strangers(world).items()},
        "other seller's key": (None, {"HTTP_AUTHORIZATION": f"Bearer {other_key}"}),
        "made-up key": (None, {"HTTP_AUTHORIZATION": "Bearer rk_deadbeef_nope"}),
    }
    leaks = []
    for who, (user, headers) in callers.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for method, url, body in api_requests(order):
            kwargs: dict[str, Any] = {**headers, "HTTP_IDEMPOTENCY_KEY": f"{who}-{url}"[:100]}
            if method == "post":
                answer = client.post(url, body, content_type="application/json", **kwargs)
            else:
                answer = client.get(url, **kwargs)
            if answer.status_code not in DENIED or order.number.encode() in answer.content:
                leaks.append((who, method, url, answer.status_code))
        for url in ("/api/v1/orders", "/api/v1/seller/orders"):
            answer = client.get(url, **headers)
            if order.number.encode() in answer.content:
                leaks.append((who, "get", url, answer.status_code))
    assert leaks == []
    assert snapshot(order) == before
    assert refunds.calls == [] and mail.outbox == []


def test_the_seller_key_cannot_act_as_the_buyer(world: World) -> None:
    """A seller's own key reaches the seller endpoints only, never the buyer's."""
    order = world.make()
    secret = seller_key(world.side.seller, world.side.owner, SellerApiKey.Scope.ORDERS_READ)
    answer = Client().get(f"/api/v1/orders/{order.number}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    buyer = Client()
    buyer.force_login(world.buyer)
    assert buyer.get(f"/api/v1/seller/orders/{order.number}").status_code == 401
