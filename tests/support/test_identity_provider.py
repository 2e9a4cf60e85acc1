"""Identity verification providers (COLLECT-8, CONSENT-5): the sandbox's rules and signed
notifications, and the Stripe Identity adapter with the SDK's HTTP client replaced."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
import time_machine
from django.core.exceptions import ImproperlyConfigured

from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.support.providers.identity import (
    SIGNATURE_HEADER,
    IdentityEvent,
    IdentitySession,
    IdentityVerifier,
    SandboxIdentityVerifier,
    get_identity_verifier,
    sign,
)
from recommerce.support.providers.identity_stripe import StripeIdentityVerifier

pytestmark = pytest.mark.django_db

SECRET = "whsec_identity_test"
NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
RETURN_URL = "https://shop.example/support/identity/7/"


@pytest.fixture
def verifier() -> SandboxIdentityVerifier:
    return SandboxIdentityVerifier(webhook_secret=SECRET)


def body_of(payload: bytes) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(payload)
    return result


# --- Sandbox sessions and decisions ---------------------------------------------------------


def test_session_create_and_get(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)

    assert session.id.startswith("vs_sandbox_")
    assert session.url == f"{RETURN_URL}?sandbox_session={session.id}"
    assert session.status == "requires_input"
    assert verifier.session_get(session_id=session.id) == session


def test_page_url_option(verifier: SandboxIdentityVerifier) -> None:
    paged = SandboxIdentityVerifier(
        webhook_secret=SECRET, page_url="/support/identity/{reference}/live/?s={session_id}"
    )

    session = paged.session_create(reference="idc-7", biometric=True, return_url=RETURN_URL)

    assert session.url == f"/support/identity/idc-7/live/?s={session.id}"


def test_unknown_session(verifier: SandboxIdentityVerifier) -> None:
    with pytest.raises(ProviderError) as refused:
        verifier.session_get(session_id="vs_sandbox_nope")
    assert refused.value.code == "resource_missing"


@pytest.mark.parametrize(
    ("biometric", "document_name", "has_selfie", "status", "reasons"),
    [
        (False, "passport.jpg", False, "verified", []),
        (True, "passport.jpg", True, "verified", []),
        (False, "id-fail.jpg", False, "requires_input", ["document_unreadable"]),
        (False, "please-REVIEW.png", False, "needs_review", []),
        (True, "passport.jpg", False, "requires_input", ["selfie_missing"]),
        (True, "fail.jpg", False, "requires_input", ["document_unreadable", "selfie_missing"]),
        (True, "review.jpg", False, "requires_input", ["selfie_missing"]),
    ],
)
def test_sandbox_decides_from_the_document_name(
    verifier: SandboxIdentityVerifier,
    biometric: bool,
    document_name: str,
    has_selfie: bool,
    status: str,
    reasons: list[str],
) -> None:
    session = verifier.session_create(reference="idc-7", biometric=biometric, return_url=RETURN_URL)

    with time_machine.travel(NOW, tick=False):
        delivery = verifier.sandbox_submit(
            session_id=session.id, document_name=document_name, has_selfie=has_selfie
        )
        event = verifier.webhook_parse(payload=delivery.payload, signature=delivery.signature)

    assert event == IdentityEvent(
        session_id=session.id, status=status, reasons=tuple(reasons), event_id=delivery.event_id
    )
    assert verifier.session_get(session_id=session.id).status == status
    assert body_of(delivery.payload) == {
        "id": delivery.event_id,
        "type": f"identity.verification_session.{status}",
        "created": int(NOW.timestamp()),
        "data": {"session_id": session.id, "status": status, "reasons": reasons},
    }


def test_files_given_as_bytes_are_read_for_the_markers_only(
    verifier: SandboxIdentityVerifier,
) -> None:
    session = verifier.session_create(reference="idc-7", biometric=True, return_url=RETURN_URL)

    delivery = verifier.sandbox_submit(
        session_id=session.id, document=b"\xff\xd8\xff review", video=b"\x00\x00\x00\x18ftyp"
    )

    assert body_of(delivery.payload)["data"]["status"] == "needs_review"


def test_the_notification_carries_no_image_or_video(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=True, return_url=RETURN_URL)
    document = b"\xff\xd8\xff" + b"FACE" * 50

    delivery = verifier.sandbox_submit(
        session_id=session.id, document_name="id.jpg", document=document, video=b"VIDEO" * 50
    )

    assert b"FACE" not in delivery.payload and b"VIDEO" not in delivery.payload
    assert set(body_of(delivery.payload)["data"]) == {"session_id", "status", "reasons"}


def test_a_verified_session_accepts_nothing_more(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")

    with pytest.raises(ProviderError) as refused:
        verifier.sandbox_submit(session_id=session.id, document_name="fail.jpg")

    assert refused.value.code == "session_closed"
    assert verifier.session_get(session_id=session.id).status == "verified"
    assert len(verifier.sandbox_pending_events()) == 1


def test_a_session_needing_input_can_be_tried_again(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    verifier.sandbox_submit(session_id=session.id, document_name="fail.jpg")

    verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")

    assert verifier.session_get(session_id=session.id).status == "verified"


# --- Signatures -----------------------------------------------------------------------------


def signed_event(session_id: str = "vs_1", status: str = "verified") -> bytes:
    body = {"id": "evt_1", "data": {"session_id": session_id, "status": status, "reasons": []}}
    return json.dumps(body).encode()


def test_signature_is_hmac_sha256_of_timestamp_and_payload() -> None:
    payload = b'{"a": 1}'
    digest = hmac.new(SECRET.encode(), b"1700000000." + payload, hashlib.sha256).hexdigest()

    assert sign(secret=SECRET, payload=payload, timestamp=1_700_000_000) == (
        f"t=1700000000,v1={digest}"
    )


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "garbage",
        "t=abc,v1=00",
        f"t={int(NOW.timestamp())}",
        f"t={int(NOW.timestamp())},v1={'0' * 64}",
    ],
)
def test_bad_signatures_are_refused(verifier: SandboxIdentityVerifier, signature: str) -> None:
    with time_machine.travel(NOW, tick=False), pytest.raises(ProviderError) as refused:
        verifier.webhook_parse(payload=signed_event(), signature=signature)
    assert refused.value.code == "bad_signature"


def test_another_secret_is_refused(verifier: SandboxIdentityVerifier) -> None:
    payload = signed_event()
    signature = sign(secret="whsec_other", payload=payload, timestamp=int(NOW.timestamp()))

    with time_machine.travel(NOW, tick=False), pytest.raises(ProviderError):
        verifier.webhook_parse(payload=payload, signature=signature)


def test_an_altered_payload_is_refused(verifier: SandboxIdentityVerifier) -> None:
    signature = sign(secret=SECRET, payload=signed_event(), timestamp=int(NOW.timestamp()))

    with time_machine.travel(NOW, tick=False), pytest.raises(ProviderError):
        verifier.webhook_parse(payload=signed_event(status="canceled"), signature=signature)


@pytest.mark.parametrize(("seconds", "accepted"), [(300, True), (301, False), (-301, False)])
def test_five_minute_tolerance(
    verifier: SandboxIdentityVerifier, seconds: int, accepted: bool
) -> None:
    payload = signed_event()
    signature = sign(secret=SECRET, payload=payload, timestamp=int(NOW.timestamp()))

    with time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False):
        if accepted:
            assert verifier.webhook_parse(payload=payload, signature=signature).status == "verified"
        else:
            with pytest.raises(ProviderError, match="300 seconds"):
                verifier.webhook_parse(payload=payload, signature=signature)


def test_a_replay_is_refused_but_a_new_signature_is_a_retry(
    verifier: SandboxIdentityVerifier,
) -> None:
    payload = signed_event()
    first = sign(secret=SECRET, payload=payload, timestamp=int(NOW.timestamp()))
    later = sign(secret=SECRET, payload=payload, timestamp=int(NOW.timestamp()) + 60)

    with time_machine.travel(NOW, tick=False):
        verifier.webhook_parse(payload=payload, signature=first)
        with pytest.raises(ProviderError) as refused:
            verifier.webhook_parse(payload=payload, signature=first)
    assert refused.value.code == "replayed"
    with time_machine.travel(NOW + dt.timedelta(seconds=60), tick=False):
        assert verifier.webhook_parse(payload=payload, signature=later).event_id == "evt_1"


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"id": "evt_1", "data": {"status": "verified"}}',
        b'{"id": "evt_1", "data": {"session_id": "vs_1", "status": "approved"}}',
        b'{"id": "evt_1", "data": {"session_id": "vs_1", "status": "verified", "reasons": "x"}}',
    ],
)
def test_signed_nonsense_is_refused(verifier: SandboxIdentityVerifier, payload: bytes) -> None:
    signature = sign(secret=SECRET, payload=payload, timestamp=int(NOW.timestamp()))

    with time_machine.travel(NOW, tick=False), pytest.raises(ProviderError) as refused:
        verifier.webhook_parse(payload=payload, signature=signature)
    assert refused.value.code == "invalid_payload"


# --- Delivery -------------------------------------------------------------------------------


def test_pending_events_are_delivered_to_a_callable_and_then_gone(
    verifier: SandboxIdentityVerifier,
) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")
    received: list[IdentityEvent] = []

    def webhook(payload: bytes, signature: str) -> None:
        # What the app's webhook view does with request.body and the header.
        received.append(verifier.webhook_parse(payload=payload, signature=signature))

    assert verifier.sandbox_deliver(webhook) == 1

    assert [event.status for event in received] == ["verified"]
    assert verifier.sandbox_pending_events() == []
    assert verifier.sandbox_deliver(webhook) == 0


def test_a_refused_delivery_stays_pending(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    delivery = verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")

    def down(payload: bytes, signature: str) -> None:
        raise RuntimeError("500")

    assert verifier.sandbox_deliver(down) == 0
    [pending] = verifier.sandbox_pending_events()
    assert (pending.event_id, pending.payload) == (delivery.event_id, delivery.payload)


def test_pending_events_are_signed_when_sent(verifier: SandboxIdentityVerifier) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    with time_machine.travel(NOW, tick=False):
        verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")

    # An hour later the first signature would be stale; the one made at sending is not.
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        [pending] = verifier.sandbox_pending_events()
        assert verifier.webhook_parse(payload=pending.payload, signature=pending.signature)


def test_delivery_over_http(verifier: SandboxIdentityVerifier, monkeypatch: Any) -> None:
    session = verifier.session_create(reference="idc-7", biometric=False, return_url=RETURN_URL)
    verifier.sandbox_submit(session_id=session.id, document_name="id.jpg")
    posted: list[tuple[str, bytes, Mapping[str, str]]] = []

    class Answer:
        status_code = 200

    def post(url: str, *, data: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
        posted.append((url, data, headers))
        return Answer()

    monkeypatch.setattr("recommerce.support.providers.identity.requests.post", post)

    assert verifier.sandbox_deliver("http://testserver/support/identity/webhook/") == 1
    [(url, data, headers)] = posted
    assert url == "http://testserver/support/identity/webhook/"
    assert verifier.webhook_parse(payload=data, signature=headers[SIGNATURE_HEADER])


# --- Configuration --------------------------------------------------------------------------


def test_configured_provider_is_the_sandbox() -> None:
    provider = get_identity_verifier()

    assert isinstance(provider, SandboxIdentityVerifier)
    assert isinstance(provider, IdentityVerifier)


def test_the_sandbox_needs_a_secret() -> None:
    with pytest.raises(ImproperlyConfigured):
        SandboxIdentityVerifier(webhook_secret="")


# --- Stripe Identity, with the SDK's HTTP client replaced ---------------------------------


class FakeStripeHTTP(stripe.HTTPClient):
    """Stand in for Stripe's API: record each request, answer from a prepared queue."""

    name = "fake"

    def __init__(self, *answers: tuple[int, dict[str, Any]]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        form = parse_qs(post_data.decode() if isinstance(post_data, bytes) else post_data or "")
        self.requests.append((method, urlsplit(url).path, form))
        status, body = self.answers.pop(0)
        return json.dumps(body), status, {"Request-Id": f"req_{len(self.requests)}"}

    def close(self) -> None:
        pass


def stripe_verifier(http: FakeStripeHTTP) -> StripeIdentityVerifier:
    return StripeIdentityVerifier(
        secret_key="sk_test_identity",
        webhook_secret=SECRET,
        max_network_retries=0,
        http_client=http,
    )


SESSION = {
    "id": "vs_123",
    "object": "identity.verification_session",
    "status": "requires_input",
    "url": "https://verify.stripe.com/start/test_abc",
    "type": "document",
}


@pytest.mark.parametrize("biometric", [True, False])
def test_stripe_session_create(biometric: bool) -> None:
    http = FakeStripeHTTP((200, SESSION))

    session = stripe_verifier(http).session_create(
        reference="idc-7", biometric=biometric, return_url=RETURN_URL
    )

    assert session == IdentitySession(
        id="vs_123", url="https://verify.stripe.com/start/test_abc", status="requires_input"
    )
    [(method, path, form)] = http.requests
    assert (method, path) == ("post", "/v1/identity/verification_sessions")
    assert form == {
        "type": ["document"],
        "options[document][require_matching_selfie]": ["true" if biometric else "false"],
        "metadata[reference]": ["idc-7"],
        "return_url": [RETURN_URL],
    }


def test_stripe_session_get() -> None:
    http = FakeStripeHTTP((200, {**SESSION, "status": "verified", "url": None}))

    session = stripe_verifier(http).session_get(session_id="vs_123")

    assert session == IdentitySession(id="vs_123", url="", status="verified")
    assert http.requests[0][:2] == ("get", "/v1/identity/verification_sessions/vs_123")


def test_stripe_errors() -> None:
    down = FakeStripeHTTP((503, {"error": {"type": "api_error", "message": "down"}}))
    with pytest.raises(ProviderUnavailable):
        stripe_verifier(down).session_get(session_id="vs_123")

    missing = FakeStripeHTTP(
        (
            404,
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "resource_missing",
                    "message": "No such verification session",
                }
            },
        )
    )
    with pytest.raises(ProviderError) as refused:
        stripe_verifier(missing).session_get(session_id="vs_nope")
    assert not isinstance(refused.value, ProviderUnavailable)
    assert refused.value.code == "resource_missing"


def stripe_event(kind: str, obj: dict[str, Any]) -> bytes:
    event = {
        "id": "evt_stripe_1",
        "object": "event",
        "type": kind,
        "created": 1_900_000_000,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def stripe_signature(payload: bytes, *, secret: str = SECRET) -> str:
    return sign(secret=secret, payload=payload, timestamp=int(time.time()))


@pytest.mark.parametrize(
    ("kind", "obj", "expected"),
    [
        (
            "identity.verification_session.verified",
            {**SESSION, "status": "verified", "last_error": None},
            IdentityEvent("vs_123", "verified", (), "evt_stripe_1"),
        ),
        (
            "identity.verification_session.requires_input",
            {**SESSION, "last_error": {"code": "selfie_face_mismatch", "reason": "…"}},
            IdentityEvent("vs_123", "requires_input", ("selfie_face_mismatch",), "evt_stripe_1"),
        ),
        (
            "identity.verification_session.processing",
            {**SESSION, "status": "processing"},
            IdentityEvent("vs_123", "processing", (), "evt_stripe_1"),
        ),
        (
            "identity.verification_session.canceled",
            {**SESSION, "status": "canceled"},
            IdentityEvent("vs_123", "canceled", (), "evt_stripe_1"),
        ),
    ],
)
def test_stripe_webhook(kind: str, obj: dict[str, Any], expected: IdentityEvent) -> None:
    payload = stripe_event(kind, obj)

    event = stripe_verifier(FakeStripeHTTP()).webhook_parse(
        payload=payload, signature=stripe_signature(payload)
    )

    assert event == expected


def test_stripe_webhook_refusals() -> None:
    verifier = stripe_verifier(FakeStripeHTTP())
    payload = stripe_event("identity.verification_session.verified", {**SESSION})

    with pytest.raises(ProviderError) as wrong_key:
        verifier.webhook_parse(payload=payload, signature=stripe_signature(payload, secret="x"))
    assert wrong_key.value.code == "bad_signature"

    other = stripe_event("charge.refunded", {"id": "ch_1", "object": "charge"})
    with pytest.raises(ProviderError) as not_identity:
        verifier.webhook_parse(payload=other, signature=stripe_signature(other))
    assert not_identity.value.code == "invalid_payload"
