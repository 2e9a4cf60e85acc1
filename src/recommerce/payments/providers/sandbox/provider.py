"""The sandbox payment provider: it behaves like a real one, offline, inside the app.

Its own tables (``SandboxSession``, ``SandboxOutbox``) stand for the provider's systems.
A buyer pays on its hosted page with a test card; the payment is then *processing* for
``confirm_delay_seconds`` before it succeeds, and the confirmation arrives as a signed
notification from the outbox, retried with backoff until the platform accepts it.

How notifications travel (``transport``) is told in ``outbox``.

Magic values: the test cards in ``cards.TEST_CARDS``; a transfer to an IBAN whose last
four characters are ``0000`` is refused by the bank (``transfer.failed``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from stdnum import iban as stdnum_iban

from recommerce.payments.models import SandboxOutbox, SandboxSession
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
from recommerce.payments.providers.sandbox import signing
from recommerce.payments.providers.sandbox.cards import (
    DECLINE_MESSAGES,
)
from recommerce.payments.providers.sandbox.hosted import HostedPages
from recommerce.payments.providers.sandbox.outbox import Outbox
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError

FAILING_IBAN_SUFFIX = "0000"
_KINDS = frozenset(kind.value for kind in EventKind)


class SandboxPaymentProvider(HostedPages):
    """An offline payment provider with hosted pages, test cards and signed webhooks."""

    name = "sandbox"

    def __init__(
        self,
        webhook_secret: str,
        confirm_delay_seconds: int = 2,
        transport: str = "auto",
    ) -> None:
        if not webhook_secret:
            raise ValueError("The sandbox payment provider needs a webhook_secret.")
        self.webhook_secret = webhook_secret
        self.confirm_delay = dt.timedelta(seconds=max(0, confirm_delay_seconds))
        self.erasure_notices: list[tuple[str, ...]] = []
        self.outbox = Outbox(
            provider_name=self.name, webhook_secret=webhook_secret, transport=transport
        )

    # --- The provider interface ---------------------------------------------------------

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
        """Open a hosted page; the same idempotency key gives back the same session."""
        if amount_minor <= 0 or len(currency) != 3 or not idempotency_key:
            raise ProviderError("Invalid amount, currency or idempotency key.", code="invalid")
        wanted = (amount_minor, currency.upper(), reference)
        session = SandboxSession.objects.filter(idempotency_key=idempotency_key).first()
        if session is None:
            try:
                with transaction.atomic():
                    session = SandboxSession.objects.create(
                        public_id=f"cs_sandbox_{secrets.token_hex(16)}",
                        idempotency_key=idempotency_key,
                        amount_minor=amount_minor,
                        currency=currency.upper(),
                        merchant_reference=reference,
                        description=description[:200],
                        return_url=return_url,
                        cancel_url=cancel_url,
                        payment_intent_id=f"pi_sandbox_{secrets.token_hex(12)}",
                    )
            except IntegrityError:
                session = SandboxSession.objects.get(idempotency_key=idempotency_key)
        if (session.amount_minor, session.currency, session.merchant_reference) != wanted:
            raise ProviderError(
                "This idempotency key was used with other parameters.", code="idempotency_error"
            )
        return HostedSession(session_id=session.public_id, redirect_url=self.page_url(session))

    def session_status(self, *, session_id: str) -> SessionStatus:
        """Report a session as a provider would: succeeded only once confirmed."""
        session = SandboxSession.objects.filter(public_id=session_id).first()
        if session is None:
            raise ProviderError("No such payment session.", code="resource_missing")
        session = self._settle(session)
        state = {
            SandboxSession.Status.OPEN: SessionState.OPEN,
            SandboxSession.Status.CHALLENGE: SessionState.OPEN,
            SandboxSession.Status.PROCESSING: SessionState.PROCESSING,
            SandboxSession.Status.SUCCEEDED: SessionState.SUCCEEDED,
            SandboxSession.Status.DECLINED: SessionState.FAILED,
            SandboxSession.Status.EXPIRED: SessionState.EXPIRED,
        }[SandboxSession.Status(session.status)]
        paid = state in (SessionState.PROCESSING, SessionState.SUCCEEDED)
        return SessionStatus(
            session_id=session.public_id,
            state=state,
            payment_id=session.payment_intent_id,
            amount_minor=session.amount_minor,
            currency=session.currency,
            card_brand=session.card_brand if paid else "",
            card_last4=session.card_last4 if paid else "",
            token=self._token(session) if paid else "",
            failure_code=session.decline_code,
            failure_message=DECLINE_MESSAGES.get(session.decline_code, ""),
        )

    def refund_create(
        self, *, payment_id: str, amount_minor: int, idempotency_key: str
    ) -> RefundResult:
        """Refund part or all of a payment; ``refund.succeeded`` follows as a notification."""
        refund_id = f"re_sandbox_{self._derive(idempotency_key)}"
        event_id = f"evt_{refund_id}"
        with transaction.atomic():
            session = (
                SandboxSession.objects.select_for_update()
                .filter(payment_intent_id=payment_id)
                .first()
            )
            if session is None:
                raise ProviderError("No such payment.", code="resource_missing")
            earlier = SandboxOutbox.objects.filter(event_id=event_id).first()
            if earlier is not None:
                if json.loads(earlier.body)["data"]["amount_minor"] != amount_minor:
                    raise ProviderError(
                        "This idempotency key was used with other parameters.",
                        code="idempotency_error",
                    )
                return RefundResult(refund_id=refund_id, succeeded=False)
            session = self._settle(session)
            if session.status != SandboxSession.Status.SUCCEEDED:
                raise ProviderError("This payment is not captured.", code="charge_not_captured")
            if amount_minor <= 0 or session.refunded_minor + amount_minor > session.amount_minor:
                raise ProviderError(
                    "The refund is larger than what remains of the payment.",
                    code="amount_too_large",
                )
            session.refunded_minor += amount_minor
            session.save(update_fields=["refunded_minor", "updated_at"])
            self.outbox.queue(
                event_id,
                EventKind.REFUND_SUCCEEDED,
                session=session,
                object_id=refund_id,
                amount_minor=amount_minor,
            )
        return RefundResult(refund_id=refund_id, succeeded=False)

    def transfer_create(
        self,
        *,
        amount_minor: int,
        currency: str,
        destination: str,
        description: str,
        idempotency_key: str,
    ) -> TransferResult:
        """Pay a bank account at once; an IBAN ending in 0000 is refused by its bank later."""
        transfer_id = f"tr_sandbox_{self._derive(idempotency_key)}"
        event_id = f"evt_{transfer_id}"
        earlier = SandboxOutbox.objects.filter(event_id=event_id).first()
        if earlier is None:
            if amount_minor <= 0 or len(currency) != 3:
                raise ProviderError("Invalid amount or currency.", code="invalid")
            account = stdnum_iban.compact(destination)
            if not stdnum_iban.is_valid(account):
                raise ProviderError("The destination is not a valid IBAN.", code="invalid_iban")
            kind = (
                EventKind.TRANSFER_FAILED
                if account.endswith(FAILING_IBAN_SUFFIX)
                else EventKind.TRANSFER_PAID
            )
            try:
                with transaction.atomic():
                    earlier = self.outbox.queue(
                        event_id,
                        kind,
                        object_id=transfer_id,
                        amount_minor=amount_minor,
                        currency=currency.upper(),
                        reason="account_closed" if kind == EventKind.TRANSFER_FAILED else "",
                    )
            except IntegrityError:
                earlier = SandboxOutbox.objects.get(event_id=event_id)
        data = json.loads(earlier.body)
        if data["data"]["amount_minor"] != amount_minor:
            raise ProviderError(
                "This idempotency key was used with other parameters.", code="idempotency_error"
            )
        return TransferResult(transfer_id=transfer_id, paid=data["type"] == EventKind.TRANSFER_PAID)

    def payout_destination(self, *, seller_id: int, iban: str) -> str:
        """Pay sellers straight to their bank account."""
        if not iban:
            raise ProviderError("The seller has no bank account on file.", code="no_destination")
        return iban

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        self.erasure_notices.append(tuple(references))

    def webhook_verify(self, *, body: bytes, headers: Mapping[str, str]) -> ProviderEvent:
        """Check the signature and its age, then read the notification."""
        signing.verify(
            secret=self.webhook_secret,
            body=body,
            header=signing.header_value(headers, signing.SIGNATURE_HEADER),
            now=int(clock.now().timestamp()),
        )
        try:
            message = json.loads(body)
            data = message["data"]
            kind_name = str(message["type"])
            event_id = str(message["id"])
            created = int(message["created"])
            if not isinstance(data, dict) or not event_id:
                raise TypeError("data")
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidWebhook("The notification is not a sandbox event.") from error
        kind = EventKind(kind_name) if kind_name in _KINDS else EventKind.OTHER

        def text(key: str) -> str:
            value = data.get(key, "")
            return value[:255] if isinstance(value, str) else ""

        amount = data.get("amount_minor", 0)
        return ProviderEvent(
            event_id=event_id[:255],
            kind=kind,
            provider_type=kind_name[:64],
            session_id=text("session_id"),
            payment_id=text("payment_id"),
            object_id=text("object_id"),
            amount_minor=amount if isinstance(amount, int) and amount > 0 else 0,
            currency=text("currency").upper()[:3],
            card_brand=text("card_brand")[:20],
            card_last4=text("card_last4")[:4],
            token=text("token"),
            failure_code=text("failure_code")[:64],
            reason=text("reason")[:100],
            created=created,
            raw=message,
        )

    # --- Delivering notifications -------------------------------------------------------

    def outbox_deliver(self, *, event_id: str) -> bool:
        """Deliver one due notification (a failure is retried later, with backoff)."""
        return self.outbox.deliver(event_id=event_id)

    def outbox_deliver_due(self, *, limit: int = 200) -> int:
        """Expire stale pages, then deliver every notification that is due; return how many."""
        self.sessions_expire_stale()
        return self.outbox.deliver_due(limit=limit)

    def signature_header(self, body: bytes, timestamp: int | None = None) -> str:
        """Sign ``body`` now (or at ``timestamp``) as the sandbox signs its notifications."""
        return self.outbox.signature_header(body, timestamp)

    # --- Internals ----------------------------------------------------------------------

    def _derive(self, key: str) -> str:
        # Provider-side ids follow from the idempotency key, so a repeat finds the first one.
        digest = hmac.new(self.webhook_secret.encode(), key.encode(), hashlib.sha256)
        return digest.hexdigest()[:24]
