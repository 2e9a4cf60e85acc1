"""Background work: the sandbox's notification deliveries and payment reconciliation."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from recommerce.payments.providers.sandbox import SandboxPaymentProvider
from recommerce.payments.services import payment_provider, payments_reconcile
from recommerce.platform.locks import task_lock


def _sandbox() -> SandboxPaymentProvider | None:
    provider = payment_provider()
    return provider if isinstance(provider, SandboxPaymentProvider) else None


@db_task()
def sandbox_event_deliver(event_id: str) -> bool:
    """Deliver one sandbox notification when it is due (retries reschedule themselves)."""
    sandbox = _sandbox()
    return sandbox.outbox_deliver(event_id=event_id) if sandbox else False


@db_periodic_task(crontab(minute="*"))
@task_lock("payments-sandbox-outbox")
def sandbox_outbox_sweep() -> int:
    """Deliver every due sandbox notification, including retries a lost task missed."""
    sandbox = _sandbox()
    return sandbox.outbox_deliver_due() if sandbox else 0


@db_periodic_task(crontab(minute="*"))
@task_lock("payments-reconcile")
def payments_reconcile_run() -> int:
    """Apply kept notifications and ask the provider about payments left waiting.

    Every minute: a payment whose notification was lost is captured, and its orders
    placed, at most a minute after it is ``RECONCILE_AFTER`` old (ADR 0007).
    """
    return payments_reconcile()
