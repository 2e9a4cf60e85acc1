"""Fixtures of the payments tests: a payer, the sandbox, signed events, event recording."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from recommerce.accounts.models import User
from recommerce.payments import events as payment_events
from recommerce.payments import services
from recommerce.payments.models import Payment, SandboxSession
from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.platform import events as platform_events

_seq = itertools.count(1)
RETURN_URL = "http://testserver/checkout/return/"
CANCEL_URL = "http://testserver/checkout/cancel/"
EVENT_TYPES = (
    payment_events.PaymentCaptured,
    payment_events.PaymentFailed,
    payment_events.RefundSucceeded,
    payment_events.RefundFailed,
    payment_events.ChargebackOpened,
    payment_events.TransferPaid,
    payment_events.TransferFailed,
)


@pytest.fixture(autouse=True)
def _payments_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.payments.urls"


@pytest.fixture(autouse=True)
def _postgres_only(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks (select_for_update) do nothing on SQLite")


class Published(list[Any]):
    """The payment events delivered to subscribers (after commit), in order."""

    def counts(self) -> Counter[str]:
        return Counter(type(event).__name__ for event in self)

    def of(self, event_type: type) -> list[Any]:
        return [event for event in self if isinstance(event, event_type)]


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> Published:
    """Record payment events; other apps' subscribers are left out of these unit tests."""
    seen = Published()
    for event_type in EVENT_TYPES:
        monkeypatch.setitem(platform_events._handlers, event_type, [seen.append])
    return seen


@pytest.fixture
def payer(db: None) -> User:
    return make_payer()


def make_payer(email: str | None = None) -> User:
    # No password: hashing one would only slow the tests down.
    return User.objects.create_user(email or f"payer{next(_seq)}@example.com", None)


def sandbox() -> SandboxPaymentProvider:
    provider = services.payment_provider()
    assert isinstance(provider, SandboxPaymentProvider)
    return provider


def start(
    payer: User,
    *,
    amount_minor: int = 10_000,
    key: str | None = None,
    reference: str | None = None,
    plan: str = "full",
    country: str = "FR",
    currency: str = "EUR",
) -> Payment:
    n = next(_seq)
    return services.payment_start(
        reference=reference or f"CK-{n}",
        amount_minor=amount_minor,
        currency=currency,
        payer=payer,
        plan=plan,
        description="Recommerce order",
        idempotency_key=key or f"start-{n}",
        return_url=RETURN_URL,
        cancel_url=CANCEL_URL,
        buyer_country=country,
    )


def session_of(payment: Payment) -> SandboxSession:
    return SandboxSession.objects.get(public_id=payment.provider_session_id)


def sandbox_event(
    kind: str, *, session: SandboxSession | None = None, event_id: str | None = None, **data: Any
) -> dict[str, Any]:
    """Build a notification as the sandbox writes it."""
    fields: dict[str, Any] = {}
    if session is not None:
        fields = {
            "session_id": session.public_id,
            "payment_id": session.payment_intent_id,
            "currency": session.currency,
        }
    fields.update(data)
    return {
        "id": event_id or f"evt_test_{next(_seq)}",
        "type": kind,
        "created": 1_700_000_000,
        "data": fields,
    }


def signed(
    event: dict[str, Any] | bytes, *, timestamp: int | None = None, secret: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """Return a body and the headers that sign it (with the sandbox's secret by default)."""
    from recommerce.payments.providers.sandbox import signing
    from recommerce.platform import clock

    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    when = int(clock.now().timestamp()) if timestamp is None else timestamp
    header = signing.signature_header(
        secret=secret or sandbox().webhook_secret, body=body, timestamp=when
    )
    return body, {signing.SIGNATURE_HEADER: header}


def receive(event: dict[str, Any], **kwargs: Any) -> Any:
    body, headers = signed(event, **kwargs)
    return services.webhook_receive(provider_name="sandbox", body=body, headers=headers)


@pytest.fixture
def commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Callable[[], Any]:
    """Run what waits for the test's transaction to commit (events, task scheduling)."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def frozen() -> Iterator[Any]:
    import time_machine

    with time_machine.travel("2031-03-14 10:00:00+00:00", tick=False) as traveller:
        yield traveller


VISA_OK = "4242424242424242"


def pay_and_confirm(
    payment: Payment, traveller: Any, commit: Callable[[], Any], number: str = VISA_OK
) -> Payment:
    """Pay on the sandbox page, let the confirmation delay pass, deliver the notification."""
    with commit():
        sandbox().card_pay(public_id=payment.provider_session_id, number=number)
    traveller.shift(3)
    with commit():
        sandbox().outbox_deliver_due()
    payment.refresh_from_db()
    return payment
