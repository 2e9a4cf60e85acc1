"""Stripe Identity through Stripe's official SDK: the real ``identity`` provider.

Settings::

    PROVIDERS["identity"] = {
        "BACKEND": "recommerce.support.providers.identity_stripe.StripeIdentityVerifier",
        "OPTIONS": {"secret_key": "sk_live_…", "webhook_secret": "whsec_…"},
    }

The person shows their document (and, for the biometric check they consented to, a
selfie) on Stripe's hosted page; the platform gets back the status and reason codes only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import stripe

from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.support.providers.identity import STATUSES, IdentityEvent, IdentitySession

__all__ = ["StripeIdentityVerifier"]

T = TypeVar("T")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


class StripeIdentityVerifier:
    """Stripe Identity through the official SDK, one ``StripeClient`` per instance.

    Options: ``secret_key``, ``webhook_secret``, ``api_base`` (another API address),
    ``max_network_retries``. Stripe's own statuses are the platform's (it has no
    ``needs_review``); a ``requires_input`` carries Stripe's ``last_error.code`` as reason.
    The webhook endpoint at Stripe sends ``identity.verification_session.*`` events, signed
    in the ``Stripe-Signature`` header (pass that header's value as ``signature``).
    """

    name = "stripe_identity"
    TIMEOUT_SECONDS = 20

    def __init__(
        self,
        *,
        secret_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        max_network_retries: int = 2,
        http_client: stripe.HTTPClient | None = None,
    ) -> None:
        self.webhook_secret = webhook_secret
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=http_client or stripe.new_default_http_client(timeout=self.TIMEOUT_SECONDS),
        )

    def _call(self, request: Callable[[], T]) -> T:
        try:
            return request()
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            raise ProviderUnavailable(
                "The identity-verification service cannot be reached; try again shortly.",
                code=_str(error.code),
            ) from error
        except stripe.StripeError as error:
            raise ProviderError(
                _str(error.user_message)
                or "The identity-verification service refused the request.",
                code=_str(error.code),
            ) from error

    def session_create(
        self, *, reference: str, biometric: bool, return_url: str
    ) -> IdentitySession:
        params: Any = {
            "type": "document",
            "options": {"document": {"require_matching_selfie": biometric}},
            "metadata": {"reference": reference},
            "return_url": return_url,
        }
        # No idempotency key: a check tried again after "requires_input" or "canceled"
        # needs a new session, and a session left unused costs nothing.
        session = self._call(lambda: self._client.v1.identity.verification_sessions.create(params))
        return IdentitySession(id=session.id, url=_str(session.url), status=_str(session.status))

    def session_get(self, *, session_id: str) -> IdentitySession:
        session = self._call(
            lambda: self._client.v1.identity.verification_sessions.retrieve(session_id)
        )
        return IdentitySession(id=session.id, url=_str(session.url), status=_str(session.status))

    def session_redact(self, *, session_id: str) -> None:
        self._call(lambda: self._client.v1.identity.verification_sessions.redact(session_id))

    def webhook_parse(self, *, payload: bytes, signature: str) -> IdentityEvent:
        if not self.webhook_secret:
            raise ProviderError("No Stripe webhook secret is configured.", code="bad_signature")
        try:
            event = self._client.construct_event(payload, signature, self.webhook_secret)
        except stripe.SignatureVerificationError as error:
            raise ProviderError(
                "The Stripe signature does not check out.", code="bad_signature"
            ) from error
        except (ValueError, KeyError, TypeError) as error:
            raise ProviderError(
                "The notification is not a Stripe event.", code="invalid_payload"
            ) from error
        body = event.to_dict()
        kind = _str(body.get("type"))
        obj = body.get("data", {}).get("object", {})
        if not kind.startswith("identity.verification_session.") or not isinstance(obj, dict):
            raise ProviderError(
                "The notification is not an identity event.", code="invalid_payload"
            )
        status = _str(obj.get("status"))
        if status not in STATUSES:
            raise ProviderError(f"Unknown verification status {status!r}.", code="invalid_payload")
        last_error = obj.get("last_error") or {}
        code = _str(last_error.get("code")) if isinstance(last_error, dict) else ""
        reasons = (code,) if code and status == "requires_input" else ()
        return IdentityEvent(
            session_id=_str(obj.get("id")),
            status=status,
            reasons=reasons,
            event_id=_str(body.get("id")),
        )
