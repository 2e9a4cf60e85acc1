"""Stripe, through its official SDK: Checkout Sessions, refunds, Connect transfers, webhooks.

The buyer pays on Stripe's hosted Checkout page, so card data never reaches the platform
(PCI DSS SAQ-A). Each request that changes something carries the platform's idempotency
key. One ``StripeClient`` per provider instance: no global SDK state.

Options: ``secret_key``, ``webhook_secret``, ``api_base`` (another API address, e.g. a
local stand-in), ``connect_accounts`` (seller id → the seller's connected account id,
``acct_...``, where transfers go).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import stripe
from stripe.params import RefundCreateParams, TransferCreateParams
from stripe.params.checkout import SessionCreateParams, SessionRetrieveParams

from recommerce.payments.providers.base import (
    EventKind,
    HostedSession,
    InvalidWebhook,
    ProviderEvent,
    RefundResult,
    SessionState,
    SessionStatus,
    TransferResult,
)
from recommerce.payments.providers.sandbox.signing import header_value
from recommerce.platform.providers import ProviderError, ProviderUnavailable

SIGNATURE_HEADER = "Stripe-Signature"
TIMEOUT_SECONDS = 20
T = TypeVar("T")

_CHECKOUT_FAILED = {
    "checkout.session.async_payment_failed": "async_payment_failed",
    "checkout.session.expired": "expired",
}
_TRANSFER_KINDS = {
    "transfer.created": EventKind.TRANSFER_PAID,
    "transfer.paid": EventKind.TRANSFER_PAID,
    "transfer.reversed": EventKind.TRANSFER_FAILED,
    "transfer.failed": EventKind.TRANSFER_FAILED,
}

logger = logging.getLogger(__name__)


def _dict(value: Any) -> dict[str, Any]:
    """Return a response object (or an expanded field) as a plain dict; {} otherwise."""
    if isinstance(value, stripe.StripeObject):
        return dict(value.to_dict())
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str:
    """Return the id of a field that is either an id or an expanded object."""
    if isinstance(value, str):
        return value
    found = _dict(value).get("id", "")
    return found if isinstance(found, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def success_url(return_url: str) -> str:
    """Return ``return_url`` with Stripe's session id placeholder in its query."""
    parts = urlsplit(return_url)
    query = f"{parts.query}&" if parts.query else ""
    # The placeholder must reach Stripe unencoded: Stripe substitutes it on redirect.
    query += "session_id={CHECKOUT_SESSION_ID}"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class StripePaymentProvider:
    """Payments through Stripe Checkout, refunds, transfers to connected accounts."""

    name = "stripe"

    def __init__(
        self,
        secret_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        connect_accounts: Mapping[str, str] | None = None,
        max_network_retries: int = 2,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.connect_accounts = dict(connect_accounts or {})
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=stripe.new_default_http_client(timeout=TIMEOUT_SECONDS),
        )

    def _call(self, request: Callable[[], T]) -> T:
        """Run one API request, turning the SDK's errors into the provider errors."""
        try:
            return request()
        except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
            raise ProviderUnavailable(
                "The payment provider cannot be reached; try again shortly.",
                code=_str(error.code),
            ) from error
        except stripe.StripeError as error:
            raise ProviderError(
                _str(error.user_message) or "The payment provider refused the request.",
                code=_str(error.code),
            ) from error

    def session_create(
        self,
        *,
        amount_minor: int,
        currency: str,
        reference: str,
        description: str,
        customer_email: str,
        return_url: str,
        cancel_url: str,
        idempotency_key: str,
    ) -> HostedSession:
        """Create a Checkout Session in payment mode for one line: the order's total."""
        params: SessionCreateParams = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": amount_minor,
                        "product_data": {"name": description or reference},
                    },
                }
            ],
            "client_reference_id": reference,
            "customer_email": customer_email,
            "success_url": success_url(return_url),
            "cancel_url": cancel_url,
            "metadata": {"reference": reference},
            "payment_intent_data": {"metadata": {"reference": reference}},
        }
        session = self._call(
            lambda: self._client.v1.checkout.sessions.create(
                params, {"idempotency_key": idempotency_key}
            )
        )
        return HostedSession(session_id=session.id, redirect_url=_str(session.url))

    def session_status(self, *, session_id: str) -> SessionStatus:
        """Retrieve the session with its payment and charge, for the state and the card."""
        params: SessionRetrieveParams = {
            "expand": ["payment_intent.latest_charge", "payment_intent.payment_method"]
        }
        session = _dict(
            self._call(lambda: self._client.v1.checkout.sessions.retrieve(session_id, params))
        )
        intent = _dict(session.get("payment_intent"))
        status, paid = session.get("status"), session.get("payment_status")
        if status == "expired":
            state = SessionState.EXPIRED
        elif status == "complete" and paid in ("paid", "no_payment_required"):
            state = SessionState.SUCCEEDED
        elif status == "complete":
            state = SessionState.PROCESSING
        else:
            state = SessionState.OPEN
        card = _dict(
            _dict(_dict(intent.get("latest_charge")).get("payment_method_details")).get("card")
        )
        error = _dict(intent.get("last_payment_error"))
        return SessionStatus(
            session_id=session_id,
            state=state,
            payment_id=_id(session.get("payment_intent")),
            amount_minor=_int(session.get("amount_total")),
            currency=_str(session.get("currency")).upper(),
            card_brand=_str(card.get("brand")),
            card_last4=_str(card.get("last4")),
            token=_id(intent.get("payment_method")),
            failure_code=_str(error.get("decline_code")) or _str(error.get("code")),
            failure_message=_str(error.get("message")),
        )

    def refund_create(
        self, *, payment_id: str, amount_minor: int, idempotency_key: str
    ) -> RefundResult:
        params: RefundCreateParams = {"payment_intent": payment_id, "amount": amount_minor}
        refund = self._call(
            lambda: self._client.v1.refunds.create(params, {"idempotency_key": idempotency_key})
        )
        status = _str(refund.status)
        failed = status in ("failed", "canceled")
        return RefundResult(
            refund_id=refund.id,
            succeeded=status == "succeeded",
            failure_message=(_str(refund.failure_reason) or "The refund failed.") if failed else "",
        )

    def transfer_create(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        description: str,
        idempotency_key: str,
    ) -> TransferResult:
        """Move funds to the seller's connected account (Stripe pays it out to its bank)."""
        params: TransferCreateParams = {
            "amount": amount_minor,
            "currency": currency.lower(),
            "destination": destination,
            "description": description,
        }
        transfer = self._call(
            lambda: self._client.v1.transfers.create(params, {"idempotency_key": idempotency_key})
        )
        return TransferResult(transfer_id=transfer.id, paid=True)

    def payout_destination(self, *, seller_id: int, iban: str) -> str:
        """Return the seller's connected account: Stripe holds its bank details itself."""
        account = self.connect_accounts.get(str(seller_id), "")
        if not account.startswith("acct_"):
            raise ProviderError(
                "This seller has no connected Stripe account configured.", code="no_destination"
            )
        return account

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Nothing to ask Stripe: payments are made without a Stripe customer object.

        Checkout Sessions are created with ``customer_email`` and no ``customer``, so Stripe
        holds no reusable profile of the person to delete; the payments themselves (with
        the email given at checkout) Stripe keeps under its own obligations as a payment
        institution.
        """
        logger.info("Erasure of %d payment(s): no Stripe customer to delete.", len(references))

    def webhook_verify(self, *, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Verify Stripe's signature with the SDK, then translate the event."""
        if not self.webhook_secret:
            raise InvalidWebhook("No Stripe webhook secret is configured.")
        header = header_value(headers, SIGNATURE_HEADER)
        if not header:
            raise InvalidWebhook(f"The {SIGNATURE_HEADER} header is missing.")
        try:
            event = self._client.construct_event(body, header, self.webhook_secret)
        except stripe.SignatureVerificationError as error:
            raise InvalidWebhook("The Stripe signature does not check out.") from error
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidWebhook("The notification is not a Stripe event.") from error
        return translate(_dict(event))


def translate(event: Mapping[str, Any]) -> ProviderEvent:
    """Map a Stripe event to the platform's terms (``EventKind.OTHER`` when not used)."""
    kind_name = _str(event.get("type"))
    event_id = _str(event.get("id"))
    if not event_id or not kind_name:
        raise InvalidWebhook("The notification is not a Stripe event.")
    obj = _dict(_dict(event.get("data")).get("object"))
    base: dict[str, Any] = {
        "event_id": event_id[:255],
        "provider_type": kind_name[:64],
        "created": _int(event.get("created")),
        "currency": _str(obj.get("currency")).upper()[:3],
    }
    if kind_name.startswith("checkout.session."):
        base.update(
            session_id=_id(obj.get("id")),
            payment_id=_id(obj.get("payment_intent")),
            amount_minor=_int(obj.get("amount_total")),
        )
        if kind_name == "checkout.session.completed":
            paid = obj.get("payment_status") in ("paid", "no_payment_required")
            kind = EventKind.PAYMENT_SUCCEEDED if paid else EventKind.PAYMENT_PROCESSING
        elif kind_name == "checkout.session.async_payment_succeeded":
            kind = EventKind.PAYMENT_SUCCEEDED
        elif kind_name in _CHECKOUT_FAILED:
            kind = EventKind.PAYMENT_FAILED
            base["failure_code"] = _CHECKOUT_FAILED[kind_name]
        else:
            kind = EventKind.OTHER
        return ProviderEvent(kind=kind, **base)
    if kind_name.startswith("refund.") or kind_name == "charge.refunded":
        refund = obj
        if kind_name == "charge.refunded":
            listed = [_dict(item) for item in _dict(obj.get("refunds")).get("data", [])]
            refund = max(listed, key=lambda item: _int(item.get("created")), default={})
        status = _str(refund.get("status"))
        kind = {
            "succeeded": EventKind.REFUND_SUCCEEDED,
            "failed": EventKind.REFUND_FAILED,
            "canceled": EventKind.REFUND_FAILED,
        }.get(status, EventKind.OTHER)
        base.update(
            object_id=_id(refund.get("id")),
            payment_id=_id(refund.get("payment_intent") or obj.get("payment_intent")),
            amount_minor=_int(refund.get("amount")),
            reason=_str(refund.get("failure_reason"))[:100],
        )
        return ProviderEvent(kind=kind if base["object_id"] else EventKind.OTHER, **base)
    if kind_name == "charge.dispute.created":
        base.update(
            object_id=_id(obj.get("id")),
            payment_id=_id(obj.get("payment_intent")),
            amount_minor=_int(obj.get("amount")),
            reason=_str(obj.get("reason"))[:100],
        )
        return ProviderEvent(kind=EventKind.DISPUTE_OPENED, **base)
    if kind_name in _TRANSFER_KINDS:
        kind = _TRANSFER_KINDS[kind_name]
        base.update(
            object_id=_id(obj.get("id")),
            amount_minor=_int(obj.get("amount")),
            reason="The transfer was reversed." if kind == EventKind.TRANSFER_FAILED else "",
        )
        return ProviderEvent(kind=kind, **base)
    return ProviderEvent(kind=EventKind.OTHER, **base)
