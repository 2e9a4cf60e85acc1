"""Identity verification inside a claim or dispute (COLLECT-8, CONSENT-5).

The person shows an identity document, and, only if they gave explicit consent to a
facial biometric check, a selfie, on the verification service's own hosted page. The
platform receives only the outcome: a status and reason codes, never an image or a video.
``get_identity_verifier()`` returns ``settings.PROVIDERS["identity"]``.

Outcomes (``IdentityEvent.status``): ``processing``, ``verified``, ``requires_input`` (try
again; ``reasons`` says why), ``needs_review`` (a person at the service decides) and
``canceled``.

Notifications are signed as Stripe signs its own: the header (``Identity-Signature``)
reads ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`` under the webhook secret;
``webhook_parse`` refuses (``ProviderError``) a missing or wrong signature, one more than
five minutes away from now, and the same signed notification received twice.

The sandbox (``SandboxIdentityVerifier``) keeps its sessions in the Django cache and has
no page of its own: the app's sandbox page stands for the hosted one and hands what the
person sent to ``sandbox_submit``, which decides from the document's file name:

- a name containing ``fail`` → ``requires_input``, reason ``document_unreadable``;
- a name containing ``review`` → ``needs_review``;
- anything else → ``verified``;
- a biometric session without a selfie → ``requires_input``, reason ``selfie_missing``.

Each outcome becomes a signed notification, queued until delivered (``sandbox_deliver``).
The app's webhook view receives it as it would the real service's::

    event = get_identity_verifier().webhook_parse(
        payload=request.body, signature=request.headers["Identity-Signature"]
    )

The real adapter, ``identity_stripe.StripeIdentityVerifier``, is Stripe Identity through
Stripe's official SDK (VerificationSessions of type ``document``, with
``require_matching_selfie`` for the biometric check).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

import requests
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, get_provider

__all__ = [
    "SIGNATURE_HEADER",
    "STATUSES",
    "IdentityEvent",
    "IdentitySession",
    "IdentityVerifier",
    "SandboxDelivery",
    "SandboxIdentityVerifier",
    "get_identity_verifier",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "Identity-Signature"
TOLERANCE_SECONDS = 300
STATUSES = ("processing", "verified", "requires_input", "needs_review", "canceled")
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IdentitySession:
    """A verification opened at the service: where to send the person, and its state."""

    id: str
    url: str
    status: str


@dataclass(frozen=True, slots=True)
class IdentityEvent:
    """The service's word on a session: its status and reason codes, nothing more."""

    session_id: str
    status: str
    reasons: tuple[str, ...] = ()
    event_id: str = ""


@runtime_checkable
class IdentityVerifier(Protocol):
    """Open identity checks at a verification service and read its signed answers."""

    name: str

    def session_create(
        self, *, reference: str, biometric: bool, return_url: str
    ) -> IdentitySession:
        """Open a check; ``biometric`` asks for a selfie matched to the document.

        ``reference`` is the platform's (e.g. the identity check's); ``return_url`` where
        the service sends the person back. ``ProviderUnavailable`` when it cannot be reached.
        """
        ...

    def session_get(self, *, session_id: str) -> IdentitySession:
        """Return the session's current state."""
        ...

    def webhook_parse(self, *, payload: bytes, signature: str) -> IdentityEvent:
        """Verify a notification's signature and read it; ``ProviderError`` if refused."""
        ...

    def session_redact(self, *, session_id: str) -> None:
        """Ask the service to delete the documents, images and data of a session."""
        ...


def get_identity_verifier() -> IdentityVerifier:
    """Return the configured ``identity`` provider."""
    provider = get_provider("identity")
    if not isinstance(provider, IdentityVerifier):
        raise ImproperlyConfigured(
            f'settings.PROVIDERS["identity"] built {provider!r}, which is not an identity verifier.'
        )
    return provider


# --- Signatures -----------------------------------------------------------------------------


def sign(*, secret: str, payload: bytes, timestamp: int) -> str:
    """Return the signature header value for ``payload`` at ``timestamp``."""
    digest = hmac.new(
        secret.encode(), str(timestamp).encode() + b"." + payload, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(
    *, secret: str, payload: bytes, signature: str, now: int, tolerance: int = TOLERANCE_SECONDS
) -> int:
    """Return the signature's timestamp, or raise ``ProviderError`` if it does not hold."""
    if not signature:
        raise ProviderError(f"The {SIGNATURE_HEADER} header is missing.", code="bad_signature")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in signature.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise ProviderError(f"The {SIGNATURE_HEADER} header is malformed.", code="bad_signature")
    expected = sign(secret=secret, payload=payload, timestamp=timestamp).rpartition("=")[2]
    # Every candidate is compared in constant time, so timing tells nothing of the key.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    if not any(matches):
        raise ProviderError("The signature does not match the notification.", code="bad_signature")
    if abs(now - timestamp) > tolerance:
        raise ProviderError(
            f"The signature is more than {tolerance} seconds away from now.", code="bad_signature"
        )
    return timestamp


def _event_from(body: Mapping[str, Any]) -> IdentityEvent:
    data = body.get("data")
    data = data if isinstance(data, Mapping) else {}
    session_id, status = data.get("session_id"), data.get("status")
    reasons = data.get("reasons") or []
    if (
        not isinstance(session_id, str)
        or not session_id
        or status not in STATUSES
        or not isinstance(reasons, list)
    ):
        raise ProviderError("The notification is not an identity event.", code="invalid_payload")
    return IdentityEvent(
        session_id=session_id,
        status=str(status),
        reasons=tuple(str(reason) for reason in reasons),
        event_id=str(body.get("id", "")),
    )


# --- Sandbox --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SandboxDelivery:
    """A signed notification of the sandbox, as its webhook request would carry it."""

    event_id: str
    payload: bytes
    signature: str


_SESSION_KEY = "support:identity:sandbox:session:{}"
_PENDING_KEY = "support:identity:sandbox:pending"
_SEEN_KEY = "support:identity:seen:{}"
_SESSION_SECONDS = 7 * 24 * 3600


def _with_query(url: str, extra: str) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class SandboxIdentityVerifier:
    """Verify identities offline, deterministically (rules: module docstring).

    A session's ``url`` is the ``return_url`` with ``sandbox_session=<id>`` added, or
    ``page_url`` (with ``{session_id}`` and ``{reference}`` filled in) when one is given.
    """

    name = "sandbox"

    def __init__(self, *, webhook_secret: str, page_url: str = "") -> None:
        if not webhook_secret:
            raise ImproperlyConfigured("The sandbox identity verifier needs a webhook_secret.")
        self.webhook_secret = webhook_secret
        self.page_url = page_url

    # --- The provider interface ---------------------------------------------------------

    def session_create(
        self, *, reference: str, biometric: bool, return_url: str
    ) -> IdentitySession:
        session_id = f"vs_sandbox_{secrets.token_hex(12)}"
        if self.page_url:
            url = self.page_url.format(session_id=session_id, reference=reference)
        else:
            url = _with_query(return_url, f"sandbox_session={session_id}")
        record = {
            "id": session_id,
            "url": url,
            "status": "requires_input",
            "reference": reference,
            "biometric": biometric,
        }
        cache.set(_SESSION_KEY.format(session_id), record, timeout=_SESSION_SECONDS)
        return IdentitySession(id=session_id, url=url, status="requires_input")

    def session_get(self, *, session_id: str) -> IdentitySession:
        record = self._session(session_id)
        return IdentitySession(id=record["id"], url=record["url"], status=record["status"])

    def webhook_parse(self, *, payload: bytes, signature: str) -> IdentityEvent:
        timestamp = verify_signature(
            secret=self.webhook_secret,
            payload=payload,
            signature=signature,
            now=int(clock.now().timestamp()),
        )
        try:
            body = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as error:
            raise ProviderError(
                "The notification is not an identity event.", code="invalid_payload"
            ) from error
        event = _event_from(body if isinstance(body, Mapping) else {})
        # The same signed request twice is a replay; a retry by the sender is signed anew.
        seen = hashlib.sha256(f"{event.event_id}:{timestamp}".encode()).hexdigest()
        if not cache.add(_SEEN_KEY.format(seen), 1, timeout=2 * TOLERANCE_SECONDS):
            raise ProviderError("This notification was already received.", code="replayed")
        return event

    # --- What stands for the hosted page and the service's sending --------------------------

    def sandbox_submit(
        self,
        *,
        session_id: str,
        document_name: str = "",
        has_selfie: bool = False,
        document: bytes | None = None,
        video: bytes | None = None,
    ) -> SandboxDelivery:
        """Decide the session from what was sent, queue the signed notification, return it.

        ``document`` and ``video`` (the files themselves, when the caller has them) are
        read for nothing but their presence and, without a ``document_name``, for the
        words ``fail`` and ``review``; they are not kept.
        """
        record = self._session(session_id)
        if record["status"] in ("verified", "canceled"):
            raise ProviderError("This verification session is closed.", code="session_closed")
        name = document_name.lower()
        if not name and document:
            name = document[:4096].decode("latin-1").lower()
        selfie = has_selfie or bool(video)
        reasons = []
        if "fail" in name:
            reasons.append("document_unreadable")
        if record["biometric"] and not selfie:
            reasons.append("selfie_missing")
        status = "requires_input" if reasons else "needs_review" if "review" in name else "verified"
        record["status"] = status
        cache.set(_SESSION_KEY.format(session_id), record, timeout=_SESSION_SECONDS)
        event_id = f"evt_sandbox_{secrets.token_hex(12)}"
        body = {
            "id": event_id,
            "type": f"identity.verification_session.{status}",
            "created": int(clock.now().timestamp()),
            "data": {"session_id": session_id, "status": status, "reasons": reasons},
        }
        payload = json.dumps(body, sort_keys=True).encode()
        pending = dict(cache.get(_PENDING_KEY) or {})
        pending[event_id] = payload.decode()
        cache.set(_PENDING_KEY, pending, timeout=None)
        return self._signed(event_id, payload)

    def sandbox_pending_events(self) -> list[SandboxDelivery]:
        """Return the notifications not delivered yet, oldest first, each signed now."""
        pending: dict[str, str] = cache.get(_PENDING_KEY) or {}
        return [self._signed(event_id, body.encode()) for event_id, body in pending.items()]

    def sandbox_deliver(self, target: str | Callable[[bytes, str], object]) -> int:
        """Send every pending notification; return how many were accepted.

        ``target`` is the webhook's address (a POST with the ``Identity-Signature``
        header; a 2xx answer accepts it) or a callable taking ``(payload, signature)``
        (accepted unless it raises). What is not accepted stays pending.
        """
        delivered = []
        for delivery in self.sandbox_pending_events():
            if callable(target):
                try:
                    target(delivery.payload, delivery.signature)
                except Exception:  # the receiver's refusal: keep the event for later
                    logger.warning(
                        "The sandbox identity notification %s was refused.", delivery.event_id
                    )
                    continue
            else:
                if urlsplit(target).scheme not in ("http", "https"):
                    raise ValueError(f"Not an http(s) address: {target}")
                try:
                    response = requests.post(
                        target,
                        data=delivery.payload,
                        headers={
                            SIGNATURE_HEADER: delivery.signature,
                            "Content-Type": "application/json",
                        },
                        timeout=10,
                    )
                except requests.RequestException:
                    continue
                if not 200 <= response.status_code < 300:
                    continue
            delivered.append(delivery.event_id)
        if delivered:
            pending = dict(cache.get(_PENDING_KEY) or {})
            for event_id in delivered:
                pending.pop(event_id, None)
            cache.set(_PENDING_KEY, pending, timeout=None)
        return len(delivered)

    def session_redact(self, *, session_id: str) -> None:
        """Forget the session, as the real service deletes its files and data."""
        cache.delete(_SESSION_KEY.format(session_id))

    def _signed(self, event_id: str, payload: bytes) -> SandboxDelivery:
        now = int(clock.now().timestamp())
        signature = sign(secret=self.webhook_secret, payload=payload, timestamp=now)
        return SandboxDelivery(event_id=event_id, payload=payload, signature=signature)

    def _session(self, session_id: str) -> dict[str, Any]:
        record = cache.get(_SESSION_KEY.format(session_id))
        if not isinstance(record, dict):
            raise ProviderError("No such verification session.", code="resource_missing")
        return record
