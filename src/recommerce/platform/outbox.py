"""The outgoing email queue: every email is a row before it is sent (ADR 0017).

``email_queue`` writes the row (once per key), ``email_deliver`` sends it: claimed first by
a conditional update, so two processes never send one row at once, then marked sent right
after the mail server accepted it. A send that fails leaves the row waiting, retried with
a growing delay (``RETRY_MINUTES``) and marked failed after the last; a row left "sending"
by a process that died is taken again after ``STUCK_AFTER``. ``outbox_send_due`` (the
worker's sweep, every minute) sends whatever is due.

The one window left: a process killed between the server's acceptance and the row's update
(a few milliseconds) sends that email again; it carries the same ``Message-ID``, which
receivers use to drop the copy.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from recommerce.platform import clock, faults
from recommerce.platform.models import OutboundEmail

logger = logging.getLogger(__name__)

# Minutes to wait after each failed attempt; the row fails for good after the last.
RETRY_MINUTES = (1, 5, 15, 60, 180, 360, 720)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
# Longer than any one SMTP exchange: a row "sending" for longer lost its sender.
STUCK_AFTER = dt.timedelta(minutes=10)
SWEEP_LIMIT = 500
Status = OutboundEmail.Status


class _Outgoing(EmailMultiAlternatives):
    """A message whose Message-ID is the row's, the same at every attempt."""

    def __init__(self, *args: Any, message_id: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.message_id = message_id

    def message(self) -> Any:
        message = super().message()
        del message["Message-ID"]
        message["Message-ID"] = self.message_id
        return message


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def email_queue(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    category: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    key: str = "",
) -> OutboundEmail:
    """Write an email to the outbox and return its row; a ``key`` already written returns
    the row written first, unchanged (so a task run twice queues one email)."""
    key = key or f"message:{uuid.uuid4().hex}"
    try:
        with transaction.atomic():
            return OutboundEmail.objects.create(
                key=key,
                to="\n".join(to),
                subject=subject,
                body=body,
                html=html,
                headers=dict(headers or {}),
                attachments=[
                    [name, base64.b64encode(content).decode("ascii"), mimetype]
                    for name, content, mimetype in attachments
                ],
                category=category,
                message_id=_message_id(),
                next_attempt_at=clock.now(),
            )
    except IntegrityError:
        return OutboundEmail.objects.get(key=key)


def _claim(pk: int, now: dt.datetime) -> bool:
    """Take the row for this process: waiting and due, or left sending by a dead sender."""
    waiting = Q(status=Status.PENDING, next_attempt_at__lte=now)
    stuck = Q(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
    claimed = (
        OutboundEmail.objects.filter(waiting | stuck, pk=pk)
        .exclude(attempts__gte=MAX_ATTEMPTS)
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _build(email: OutboundEmail) -> _Outgoing:
    message = _Outgoing(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to.split("\n"),
        headers=dict(email.headers),
        message_id=email.message_id,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for name, content, mimetype in email.attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def email_deliver(*, email: OutboundEmail) -> bool:
    """Send one outbox row if it is due and nobody else is sending it; return whether it
    went. A failure is recorded on the row, which is tried again later; nothing raises."""
    now = clock.now()
    if not _claim(email.pk, now):
        return False
    email.refresh_from_db()
    try:
        _build(email).send()
    except Exception as error:
        last = email.attempts >= MAX_ATTEMPTS
        delay = RETRY_MINUTES[min(email.attempts, len(RETRY_MINUTES)) - 1]
        OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
            status=Status.FAILED if last else Status.PENDING,
            next_attempt_at=clock.now() + dt.timedelta(minutes=delay),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        logger.warning("Email %s not sent (attempt %s): %s", email.key, email.attempts, error)
        return False
    # The window named in the module's docstring: accepted, not yet marked.
    faults.checkpoint("outbox.accepted")
    # Sent: only the delivery record stays (key, category, Message-ID, times). The address,
    # subject and bodies are not needed any more, and may name the person or hold a
    # one-time code: an erased person's last email leaves nothing of them behind.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT,
        sent_at=clock.now(),
        to="",
        subject="",
        body="",
        html="",
        headers={},
        attachments=[],
        last_error="",
    )
    faults.checkpoint("outbox.sent")
    return True


def outbox_send_due(*, limit: int = SWEEP_LIMIT) -> int:
    """Send the emails due (waiting past their time, or stuck sending); return how many."""
    now = clock.now()
    # A row stuck after its last attempt is not tried again: it is failed, for staff to see.
    OutboundEmail.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER, attempts__gte=MAX_ATTEMPTS
    ).update(status=Status.FAILED, last_error="The sender stopped during the last attempt.")
    due = (
        OutboundEmail.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for email in OutboundEmail.objects.filter(pk__in=list(due)).order_by("pk"):
        sent += email_deliver(email=email)
    return sent


@transaction.atomic
def email_retry(*, email: OutboundEmail) -> OutboundEmail:
    """Give a failed email a new round of attempts, from now (staff's retry button)."""
    OutboundEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=clock.now()
    )
    email.refresh_from_db()
    return email
