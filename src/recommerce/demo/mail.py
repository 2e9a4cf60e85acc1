"""An email the mail server refused, so customer service has one to look at (Outgoing email).

Every other demo email went out (to ``var/mail``); this one, to a mailbox that was full, was
tried on the outbox's schedule over half a day and marked failed the day before the seed.
"""

from __future__ import annotations

from recommerce.demo.timeline import days_ago, travel
from recommerce.platform.models import OutboundEmail
from recommerce.platform.outbox import MAX_ATTEMPTS, email_queue

UNDELIVERED_TO = "camille.roux@example.net"


def demo_undelivered_email_create() -> OutboundEmail:
    """Write the failed email once; return it."""
    written = days_ago(2, hour=16)
    with travel(written):
        email = email_queue(
            to=[UNDELIVERED_TO],
            subject="Recommerce: confirm your newsletter subscription",
            body="Confirm your subscription to the Recommerce newsletter with the link below.",
            category="transactional",
            key="demo:undelivered-newsletter-confirmation",
        )
    OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.PENDING).update(
        status=OutboundEmail.Status.FAILED,
        attempts=MAX_ATTEMPTS,
        next_attempt_at=days_ago(1, hour=5),
        last_error=f"SMTP 552 5.2.2 <{UNDELIVERED_TO}>: mailbox full, message refused",
    )
    email.refresh_from_db()
    return email
