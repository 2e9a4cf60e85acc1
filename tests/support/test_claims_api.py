"""The claims API: the buyer opens and follows a claim, the seller's key answers, customer
service decides; an Idempotency-Key replays the first answer; errors are ``{"detail"}``."""

from __future__ import annotations

import json

import pytest

from recommerce.support.models import Claim
from tests.support.conftest import ClaimWorld, ResolutionRecorder, signed_in

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client: object, url: str, body: object, key: str = "", **headers: str) -> object:
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(  # type: ignore[attr-defined]
        url, json.dumps(body), content_type="application/json", **extra, **headers
    )


def test_the_buyer_opens_a_claim_once_per_key(claim_world: ClaimWorld) -> None:
    client = signed_in(claim_world.buyer)
    url = f"{API}/orders/{claim_world.order.number}/claims"
    body = {"kind": "return", "requested": "return_refund", "reason_code": "other"}
    first = _post(client, url, body, "k-1")
    assert first.status_code == 201, first.content
    again = _post(client, url, body, "k-1")
    assert again.status_code == 201 and again.json() == first.json()
    assert Claim.objects.count() == 1
    reference = first.json()["reference"]
    assert first.json()["status"] == "open" and first.json()["events"][0]["action"] == "opened"
    listed = client.get(url)
    assert [c["reference"] for c in listed.json()] == [reference]
    assert client.get(f"{API}/claims/{reference}").json()["kind"] == "return"
    assert signed_in(claim_world.stranger).get(f"{API}/claims/{reference}").status_code == 404
    refused = _post(client, url, body, "k-2")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": [
            {"loc": ["body"], "msg": "A claim on this item is already open; follow it on its page."}
        ]
    }


def test_refusals_and_strangers(claim_world: ClaimWorld) -> None:
    url = f"{API}/orders/{claim_world.order.number}/claims"
    body = {"kind": "transit_damage", "requested": "replacement"}
    refused = _post(signed_in(claim_world.buyer), url, body)
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": [
            {
                "loc": ["body", "evidence"],
                "msg": "Add at least one photo (JPEG or PNG) of the problem.",
            }
        ]
    }
    assert _post(signed_in(claim_world.stranger), url, body).status_code == 404
    assert _post(signed_in(None), url, body).status_code == 401
    assert Claim.objects.count() == 0


def test_seller_answers_with_its_key_and_the_buyer_escalates(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    reader = claim_world.key("orders:read")
    writer = claim_world.key("orders:read", "orders:write")
    base = f"{API}/seller/claims"
    listed = signed_in(None).get(base, HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert [c["reference"] for c in listed.json()] == [claim.reference]
    answer = {"accept": False, "proposal": "reject", "note": "Used."}
    url = f"{base}/{claim.reference}/answer"
    denied = _post(signed_in(None), url, answer, HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert denied.status_code == 403 and "orders:write" in denied.json()["detail"]
    done = _post(signed_in(None), url, answer, "a-1", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert done.status_code == 200 and done.json()["status"] == "proposed"
    replay = _post(signed_in(None), url, answer, "a-1", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert replay.json() == done.json()
    late = _post(signed_in(None), url, answer, "a-2", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert late.status_code == 400
    buyer = signed_in(claim_world.buyer)
    escalated = _post(buyer, f"{API}/claims/{claim.reference}/escalate", {"note": "Never used."})
    assert escalated.status_code == 200 and escalated.json()["escalated_by"] == "buyer"


def test_customer_service_decides(claim_world: ClaimWorld, resolutions: ResolutionRecorder) -> None:
    claim = claim_world.open()
    buyer = signed_in(claim_world.buyer)
    _post(buyer, f"{API}/claims/{claim.reference}/escalate", {"note": "No answer."})
    url = f"{API}/claims/{claim.reference}/decision"
    body = {"resolution": "refund", "note": "Seller silent."}
    assert _post(buyer, url, body).status_code == 404
    assert _post(signed_in(claim_world.fraud), url, body).status_code == 404
    first = _post(signed_in(claim_world.agent), url, body, "d-1")
    assert first.status_code == 200 and first.json()["resolution"] == "refund"
    assert _post(signed_in(claim_world.agent), url, body, "d-1").json() == first.json()
    second = _post(signed_in(claim_world.agent), url, body, "d-2")
    assert second.status_code == 400
    assert second.json()["detail"][0]["msg"] == f"Claim {claim.reference}: it was already decided."
    assert resolutions.calls == [(claim.reference, "refund", "staff")]


def test_the_buyer_withdraws(claim_world: ClaimWorld) -> None:
    claim = claim_world.open()
    url = f"{API}/claims/{claim.reference}/withdraw"
    assert _post(signed_in(claim_world.stranger), url, {}).status_code == 404
    done = _post(signed_in(claim_world.buyer), url, {}, "w-1")
    assert done.json()["outcome"] == "withdrawn"
