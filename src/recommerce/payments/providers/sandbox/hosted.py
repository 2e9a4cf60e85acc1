"""The sandbox's hosted payment page: the session's life from open to paid, declined or expired.

A session is *processing* once paid and counts as succeeded ``confirm_delay`` later, like
a real provider's eventual confirmation; an unpaid page expires after a day.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction

from recommerce.payments.models import SandboxSession
from recommerce.payments.providers.base import EventKind
from recommerce.payments.providers.sandbox.cards import (
    DECLINE_MESSAGES,
    TEST_CARDS_BY_NUMBER,
    Behaviour,
    card_brand,
)
from recommerce.payments.providers.sandbox.outbox import Outbox, site_path
from recommerce.platform import clock

SESSION_TTL = dt.timedelta(hours=24)
_OPEN_STATES = (
    SandboxSession.Status.OPEN,
    SandboxSession.Status.CHALLENGE,
    SandboxSession.Status.DECLINED,
)


@dataclass(frozen=True, slots=True)
class PageResult:
    """What the hosted page shows or where it sends the buyer after a step."""

    state: str  # "processing", "challenge", "declined", "paid", "expired"
    redirect_url: str = ""
    code: str = ""
    message: str = ""


class HostedPages:
    """The hosted page's steps, for the sandbox provider (which sets both attributes)."""

    outbox: Outbox
    confirm_delay: dt.timedelta

    def page_url(self, session: SandboxSession) -> str:
        path = site_path(
            "payments:sandbox_pay",
            f"/payments/sandbox/pay/{session.public_id}/",
            public_id=session.public_id,
        )
        return f"{settings.SITE_URL}{path}"

    def page_session(self, *, public_id: str) -> SandboxSession | None:
        """Return the session behind a hosted page, brought up to date, or None."""
        session = SandboxSession.objects.filter(public_id=public_id).first()
        return self._settle(session) if session is not None else None

    def return_url(self, session: SandboxSession) -> str:
        """Return where the buyer goes once paid: the merchant's page, with the session id."""
        parts = urlsplit(session.return_url)
        query = f"{parts.query}&" if parts.query else ""
        query += urlencode({"session_id": session.public_id})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))

    def card_pay(self, *, public_id: str, number: str) -> PageResult:
        """Take a payment with a test card whose form already passed its checks."""
        card = TEST_CARDS_BY_NUMBER.get(number)
        if card is None:
            raise ValueError("Only the listed test cards are accepted.")
        with transaction.atomic():
            session = SandboxSession.objects.select_for_update().get(public_id=public_id)
            done = self._finished(session)
            if done is not None:
                return done
            # Only the brand and the last four digits are kept, as a provider shows them.
            session.card_brand = card_brand(number)
            session.card_last4 = number[-4:]
            if card.behaviour in (Behaviour.SUCCEED, Behaviour.DISPUTE):
                return self._succeed(session, dispute=card.behaviour == Behaviour.DISPUTE)
            if card.behaviour == Behaviour.CHALLENGE:
                session.status = SandboxSession.Status.CHALLENGE
                session.challenge_code = f"{secrets.randbelow(1_000_000):06d}"
                session.decline_code = ""
                session.save()
                return PageResult(state="challenge")
            code = (
                "insufficient_funds"
                if card.behaviour == Behaviour.INSUFFICIENT_FUNDS
                else "card_declined"
            )
            return self._decline(session, code)

    def challenge_answer(self, *, public_id: str, code: str) -> PageResult:
        """Finish a 3-D Secure challenge: the right code pays, a wrong one fails."""
        with transaction.atomic():
            session = SandboxSession.objects.select_for_update().get(public_id=public_id)
            done = self._finished(session)
            if done is not None:
                return done
            if session.status != SandboxSession.Status.CHALLENGE or not session.challenge_code:
                return PageResult(state="open")
            if hmac.compare_digest(code.strip(), session.challenge_code):
                return self._succeed(session, dispute=False)
            return self._decline(session, "authentication_failed")

    def sessions_expire_stale(self) -> int:
        """Expire pages left unpaid for a day, notifying ``payment.failed`` for each."""
        cutoff = clock.now() - SESSION_TTL
        stale = SandboxSession.objects.filter(status__in=_OPEN_STATES, created_at__lt=cutoff)
        return sum(
            1
            for session in list(stale)
            if self._settle(session).status == SandboxSession.Status.EXPIRED
        )

    def _token(self, session: SandboxSession) -> str:
        return "pm_" + session.payment_intent_id.removeprefix("pi_")

    def _finished(self, session: SandboxSession) -> PageResult | None:
        session = self._settle(session)
        if session.status in (SandboxSession.Status.PROCESSING, SandboxSession.Status.SUCCEEDED):
            return PageResult(state="paid", redirect_url=self.return_url(session))
        if session.status == SandboxSession.Status.EXPIRED:
            return PageResult(state="expired", message=DECLINE_MESSAGES["expired"])
        return None

    def _settle(self, session: SandboxSession) -> SandboxSession:
        """Bring a session's state up to date with the clock (confirmation, expiry)."""
        now = clock.now()
        if (
            session.status == SandboxSession.Status.PROCESSING
            and session.confirm_after is not None
            and session.confirm_after <= now
        ):
            SandboxSession.objects.filter(
                pk=session.pk, status=SandboxSession.Status.PROCESSING
            ).update(status=SandboxSession.Status.SUCCEEDED, updated_at=now)
            session.refresh_from_db()
        elif session.status in _OPEN_STATES and session.created_at < now - SESSION_TTL:
            with transaction.atomic():
                expired = SandboxSession.objects.filter(
                    pk=session.pk, status__in=_OPEN_STATES
                ).update(status=SandboxSession.Status.EXPIRED, challenge_code="", updated_at=now)
                if expired:
                    session.refresh_from_db()
                    self.outbox.queue(
                        f"evt_sandbox_{secrets.token_hex(12)}",
                        EventKind.PAYMENT_FAILED,
                        session=session,
                        failure_code="expired",
                    )
            session.refresh_from_db()
        return session

    def _succeed(self, session: SandboxSession, *, dispute: bool) -> PageResult:
        now = clock.now()
        session.status = SandboxSession.Status.PROCESSING
        session.confirm_after = now + self.confirm_delay
        session.decline_code = ""
        session.challenge_code = ""
        session.save()
        self.outbox.queue(
            f"evt_sandbox_{secrets.token_hex(12)}",
            EventKind.PAYMENT_SUCCEEDED,
            session=session,
            deliver_after=session.confirm_after,
            amount_minor=session.amount_minor,
            card_brand=session.card_brand,
            card_last4=session.card_last4,
            token=self._token(session),
        )
        if dispute:
            self.outbox.queue(
                f"evt_sandbox_{secrets.token_hex(12)}",
                EventKind.DISPUTE_OPENED,
                session=session,
                deliver_after=session.confirm_after
                + max(self.confirm_delay, dt.timedelta(seconds=1)),
                object_id=f"dp_sandbox_{secrets.token_hex(12)}",
                amount_minor=session.amount_minor,
                reason="fraudulent",
            )
        return PageResult(state="processing", redirect_url=self.return_url(session))

    def _decline(self, session: SandboxSession, code: str) -> PageResult:
        session.status = SandboxSession.Status.DECLINED
        session.decline_code = code
        session.challenge_code = ""
        session.save()
        self.outbox.queue(
            f"evt_sandbox_{secrets.token_hex(12)}",
            EventKind.PAYMENT_FAILED,
            session=session,
            failure_code=code,
        )
        return PageResult(state="declined", code=code, message=DECLINE_MESSAGES[code])
