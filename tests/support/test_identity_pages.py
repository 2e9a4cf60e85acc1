"""COLLECT-8 and CONSENT-5 through the pages and the API: the person's two routes, the
consent buttons, the sandbox's live page, the webhook, and staff looks at evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from recommerce.platform import clock
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy.models import Disclosure, PersonalConsent, StaffAccess
from recommerce.privacy.services.personal_consent import BIOMETRIC_TEXT, BIOMETRIC_TEXT_VERSION
from recommerce.support.models import Claim, IdentityCheck, IdentityEvidence
from recommerce.support.providers.identity import get_identity_verifier, sign
from recommerce.support.services.identity import (
    identity_check_request,
    identity_documents_submit,
)
from tests.support.identity_fixtures import (
    PDF,
    IdentityWorld,
    identity_world_build,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def identity_world(db: None, settings: Any, tmp_path: Path) -> Iterator[IdentityWorld]:
    yield identity_world_build(settings, tmp_path)
    clear_provider_cache()


def client_of(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _asked(world: IdentityWorld, kind: str = Claim.Kind.NOT_RECEIVED) -> IdentityCheck:
    return identity_check_request(
        claim=world.claim(kind=kind), actor=world.customer_service, reason="Large lost parcel"
    )


def _page(check: IdentityCheck) -> str:
    return f"/account/support/identity/{check.pk}/"


# --- The person's page -----------------------------------------------------------------------


def test_consent5_the_page_offers_both_routes_and_the_consent_text(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    answer = client_of(identity_world.buyer).get(_page(check))
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "Send documents (reviewed by our team)" in body
    assert "Live check with a selfie video" in body
    assert BIOMETRIC_TEXT in body
    assert 'value="accept"' in body and 'value="decline"' in body
    assert "Start the live check" not in body


def test_consent5_after_declining_the_page_still_offers_documents_which_complete(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world, kind=Claim.Kind.WARRANTY)
    client = client_of(identity_world.buyer)
    answer = client.post(
        f"{_page(check)}consent/", {"answer": "decline", "text_version": BIOMETRIC_TEXT_VERSION}
    )
    assert answer.status_code == 302
    body = client.get(answer["Location"]).content.decode()
    assert "You declined the live check" in body
    assert "Send the documents" in body
    assert list(PersonalConsent.objects.values_list("given", flat=True)) == [False]
    start = client.post(f"{_page(check)}live/start/")
    assert start["Location"] == _page(check)
    assert Disclosure.objects.count() == 0
    sent = client.post(
        f"{_page(check)}documents/",
        {"identity_document": upload("passport.png", png_bytes(), "image/png")},
    )
    assert sent.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.method) == ("submitted", "document")


def test_consent5_accepting_an_old_text_version_records_nothing(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    client = client_of(identity_world.buyer)
    client.post(f"{_page(check)}consent/", {"answer": "accept", "text_version": "2024-01"})
    assert PersonalConsent.objects.count() == 0
    client.post(f"{_page(check)}live/start/")
    check.refresh_from_db()
    assert check.provider_session == ""
    assert Disclosure.objects.count() == 0


def test_consent5_the_live_route_keeps_the_result_and_no_video(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    client = client_of(identity_world.buyer)
    client.post(
        f"{_page(check)}consent/", {"answer": "accept", "text_version": BIOMETRIC_TEXT_VERSION}
    )
    start = client.post(f"{_page(check)}live/start/")
    assert start["Location"] == f"http://testserver{_page(check)}live/".replace(
        "http://testserver", start["Location"].split("/account/")[0]
    )
    live = client.post(
        f"{_page(check)}live/",
        {
            "document": upload("passport.jpg", png_bytes(), "image/jpeg"),
            "video": upload("selfie.webm", b"\x1a\x45\xdf\xa3webm" + b"\0" * 64, "video/webm"),
        },
    )
    assert live.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.method, check.provider_result, check.consent_version) == (
        "passed",
        "biometric",
        "verified",
        BIOMETRIC_TEXT_VERSION,
    )
    assert IdentityEvidence.objects.count() == 0
    assert [p for p in identity_world.private_root.rglob("*") if p.is_file()] == []
    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize("who", ["other_buyer", "customer_service", None])
def test_collect8_another_person_cannot_reach_the_check(
    identity_world: IdentityWorld, who: str | None
) -> None:
    check = _asked(identity_world)
    client = client_of(getattr(identity_world, who) if who else None)
    for url in (_page(check), f"{_page(check)}live/"):
        assert client.get(url).status_code in (302, 404)
    for url in ("consent/", "live/start/", "documents/"):
        assert client.post(f"{_page(check)}{url}", {"answer": "accept"}).status_code in (302, 404)
    check.refresh_from_db()
    assert (check.status, check.provider_session) == ("requested", "")
    assert PersonalConsent.objects.count() == 0


# --- Webhook ---------------------------------------------------------------------------------


def test_collect8_the_webhook_refuses_a_bad_signature_and_takes_posts_only(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    IdentityCheck.objects.filter(pk=check.pk).update(
        method="biometric", provider_session="vs_sandbox_x"
    )
    body = {"id": "evt_9", "data": {"session_id": "vs_sandbox_x", "status": "verified"}}
    payload = json.dumps(body).encode()
    client = Client(enforce_csrf_checks=True)
    url = "/account/support/identity/webhook/"
    assert client.get(url).status_code == 405
    refused = client.post(
        url, payload, content_type="application/json", headers={"Identity-Signature": "t=1,v1=00"}
    )
    assert refused.status_code == 400
    check.refresh_from_db()
    assert check.status == "requested"
    secret = get_identity_verifier().webhook_secret  # type: ignore[attr-defined]
    signature = sign(secret=secret, payload=payload, timestamp=int(clock.now().timestamp()))
    taken = client.post(
        url, payload, content_type="application/json", headers={"Identity-Signature": signature}
    )
    assert (taken.status_code, taken.json()) == (200, {"received": True, "matched": True})
    check.refresh_from_db()
    assert check.status == "passed"


# --- Staff -----------------------------------------------------------------------------------


def _submitted(world: IdentityWorld) -> IdentityCheck:
    check = _asked(world)
    return identity_documents_submit(
        check=check,
        actor=world.buyer,
        identity_document=upload("passport.png", png_bytes()),
        proof_of_address=upload("bill.pdf", PDF),
        declaration=upload("declaration.pdf", PDF),
    )


def test_collect8_customer_service_downloads_evidence_and_the_look_is_logged(
    identity_world: IdentityWorld,
) -> None:
    check = _submitted(identity_world)
    proof = check.evidence.get(kind="proof_of_address")
    client = client_of(identity_world.customer_service)
    answer = client.get(f"/staff/support/identity/evidence/{proof.pk}/")
    assert answer.status_code == 200
    assert answer.content == PDF
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="{check.claim.reference}-proof_of_address.pdf"'
    )
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert list(StaffAccess.objects.values_list("staff__email", "what")) == [
        ("cs@example.com", f"Proof of address of claim {check.claim.reference}")
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("finance", 403), ("dpo", 403), ("admin", 403), ("buyer", 404), ("other_buyer", 404)],
)
def test_collect8_other_roles_get_no_evidence_and_nothing_is_logged(
    identity_world: IdentityWorld, who: str, status: int
) -> None:
    check = _submitted(identity_world)
    client = client_of(getattr(identity_world, who))
    for url in (
        f"/staff/support/identity/evidence/{check.evidence.first().pk}/",  # type: ignore[union-attr]
        f"/staff/support/identity/{check.pk}/",
        "/staff/support/identity/",
    ):
        assert client.get(url).status_code == status
    assert StaffAccess.objects.count() == 0


def test_collect8_a_seller_gets_no_evidence(identity_world: IdentityWorld) -> None:
    check = _submitted(identity_world)
    client = client_of(identity_world.side.owner)
    evidence = check.evidence.first()
    assert evidence is not None
    assert client.get(f"/staff/support/identity/evidence/{evidence.pk}/").status_code == 404
    assert StaffAccess.objects.count() == 0


def test_collect8_staff_queue_detail_and_decision(identity_world: IdentityWorld) -> None:
    check = _submitted(identity_world)
    client = client_of(identity_world.customer_service)
    queue = client.get("/staff/support/identity/").content.decode()
    assert f"Check {check.pk}" in queue and check.claim.reference in queue
    fraud_queue = client_of(identity_world.anti_fraud).get("/staff/support/identity/")
    assert check.claim.reference in fraud_queue.content.decode()
    assert "Waiting for a decision" not in fraud_queue.content.decode()
    detail = client.get(f"/staff/support/identity/{check.pk}/")
    assert "Proof of address" in detail.content.decode()
    refused = client.post(f"/staff/support/identity/{check.pk}/", {"decision": "fail"})
    assert refused.status_code == 400
    assert "say why the identity is not confirmed" in refused.content.decode()
    done = client.post(
        f"/staff/support/identity/{check.pk}/", {"decision": "fail", "note": "Names differ."}
    )
    assert done.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.decision_note) == ("failed", "Names differ.")
    fraud = client_of(identity_world.anti_fraud).post(
        f"/staff/support/identity/{check.pk}/", {"decision": "pass"}
    )
    assert fraud.status_code == 403


def test_collect8_staff_ask_page(identity_world: IdentityWorld) -> None:
    claim = identity_world.claim()
    client = client_of(identity_world.customer_service)
    assert client.get(f"/staff/support/identity/ask/{claim.reference}/").status_code == 200
    answer = client.post(
        f"/staff/support/identity/ask/{claim.reference}/", {"reason": "Parcel lost twice"}
    )
    check = IdentityCheck.objects.get(claim=claim)
    assert answer["Location"] == f"/staff/support/identity/{check.pk}/"
    assert (
        client_of(identity_world.anti_fraud)
        .get(f"/staff/support/identity/ask/{claim.reference}/")
        .status_code
        == 403
    )


# --- API -------------------------------------------------------------------------------------


def test_consent5_api_biometric_needs_consent_then_answers_the_page(
    identity_world: IdentityWorld,
) -> None:
    check = _asked(identity_world)
    client = client_of(identity_world.buyer)
    base = f"/api/v1/identity-checks/{check.pk}"
    listed = client.get(f"/api/v1/claims/{check.claim.reference}/identity-checks")
    assert listed.status_code == 200
    assert [(c["id"], c["status"], c["biometric_allowed"]) for c in listed.json()] == [
        (check.pk, "requested", False)
    ]
    refused = client.post(f"{base}/biometric", content_type=JSON, headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 409
    assert Disclosure.objects.count() == 0
    old = client.post(
        f"{base}/biometric-consent",
        {"accepted": True, "text_version": "2024-01"},
        content_type="application/json",
    )
    assert old.status_code == 400
    assert PersonalConsent.objects.count() == 0
    given = client.post(
        f"{base}/biometric-consent",
        {"accepted": True, "text_version": BIOMETRIC_TEXT_VERSION},
        content_type="application/json",
        headers={"Idempotency-Key": "c1"},
    )
    assert (given.status_code, given.json()["given"]) == (200, True)
    started = client.post(f"{base}/biometric", content_type=JSON, headers={"Idempotency-Key": "k1"})
    assert started.status_code == 200
    assert started.json()["url"].endswith(f"/account/support/identity/{check.pk}/live/")
    again = client.post(f"{base}/biometric", content_type=JSON, headers={"Idempotency-Key": "k1"})
    assert again.json() == started.json()
    assert Disclosure.objects.count() == 1


def test_collect8_api_other_people_get_404(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world)
    client = client_of(identity_world.other_buyer)
    assert client.get(f"/api/v1/claims/{check.claim.reference}/identity-checks").status_code == 404
    assert (
        client.post(f"/api/v1/identity-checks/{check.pk}/biometric", content_type=JSON).status_code
        == 404
    )
    answer = client.post(
        f"/api/v1/identity-checks/{check.pk}/biometric-consent",
        {"accepted": True, "text_version": BIOMETRIC_TEXT_VERSION},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert PersonalConsent.objects.count() == 0


def test_collect8_api_documents_multipart(identity_world: IdentityWorld) -> None:
    check = _asked(identity_world, kind=Claim.Kind.WARRANTY)
    client = client_of(identity_world.buyer)
    answer = client.post(
        f"/api/v1/identity-checks/{check.pk}/documents",
        {"identity_document": upload("passport.png", png_bytes(), "image/png")},
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["method"]) == ("submitted", "document")
    assert check.evidence.count() == 1


def test_collect8_api_documents_refuses_json_body(identity_world: IdentityWorld) -> None:
    """An upload operation reads a multipart form: JSON is refused and nothing is stored."""
    check = _asked(identity_world, kind=Claim.Kind.WARRANTY)
    client = client_of(identity_world.buyer)
    answer = client.post(
        f"/api/v1/identity-checks/{check.pk}/documents",
        {"identity_document": "not a file"},
        content_type="application/json",
    )
    assert answer.status_code == 415
    assert "multipart/form-data" in answer.json()["detail"]
    assert check.evidence.count() == 0
