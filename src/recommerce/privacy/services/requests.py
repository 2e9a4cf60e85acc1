"""Data-subject requests (RIGHT-1 to RIGHT-5): receipt, identity, handling, answer.

Workflow: received → identity verified → in progress → completed, partly done or refused
with a reason (an erasure request closes as its erasure ledger allows).
Every step writes a ``DataRequestEvent`` (who, when, what). Deadlines come from
``deadlines.deadlines_for`` at receipt; an extension is only possible while the first
period runs, and the person is told.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import dateformat, timezone

from recommerce.platform.mail import send_templated
from recommerce.privacy.deadlines import Jurisdiction, deadlines_for
from recommerce.privacy.ledger import LedgerUnavailable, RequestStep, ledger_store
from recommerce.privacy.models import DataRequest, DataRequestEvent, ErasureRecord
from recommerce.privacy.purposes import BY_CODE
from recommerce.privacy.rights.kept import kept_lines
from recommerce.privacy.selectors import identity_matches

logger = logging.getLogger(__name__)
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
Status = DataRequest.Status
Kind = DataRequest.Kind


class RequestError(ValueError):
    """The step is not possible in the request's state; the message says why."""


def _event(request: DataRequest, action: str, *, actor: Any = None, note: str = "") -> None:
    event = DataRequestEvent.objects.create(
        request=request,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        note=note,
    )
    transaction.on_commit(lambda: _ledger_step(request, action, event.created_at))


def _ledger_step(request: DataRequest, action: str, at: dt.datetime) -> None:
    """Copy a committed step to the erasure ledger, which outlives a restore of this database.

    Only the reference, kind, law, step and dates: the proof that a deadline was met. A
    ledger that cannot be written is logged and does not undo the step (an erasure, unlike
    a request step, is never done without its ledger entry).
    """
    extended = request.extended_due_on.isoformat() if request.extended_due_on else ""
    step = RequestStep(
        reference=request.reference,
        kind=request.kind,
        jurisdiction=request.jurisdiction,
        step=action,
        at=at,
        received_at=request.received_at,
        due_on=request.due_on.isoformat(),
        extended_due_on=extended,
    )
    try:
        ledger_store().request_step_append(step)
    except LedgerUnavailable:
        logger.exception("Step %s of request %s is not in the ledger.", action, request.reference)


def _reference() -> str:
    # 48 random bits: the reference opens the requester's pages (never their data).
    return f"DSR-{timezone.now():%y}{secrets.token_hex(6).upper()}"


def _code_hash(request: DataRequest, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{request.reference}:{code}".encode(), hashlib.sha256).hexdigest()


def _mail(request: DataRequest, subject: str, template: str, **context: Any) -> None:
    send_templated(
        to=[request.email],
        subject=f"{subject} ({request.reference})",
        template=f"privacy/email/{template}",
        context={"request": request, "site_url": settings.SITE_URL, **context},
    )


@transaction.atomic
def data_request_submit(
    *,
    kind: str,
    channel: str,
    jurisdiction: str,
    full_name: str,
    email: str,
    user: Any = None,
    details: str = "",
    purpose: str = "",
    actor: Any = None,
    received_on: dt.date | None = None,
) -> DataRequest:
    """Record a request and acknowledge it; verify the sender unless it came signed in.

    ``user`` is given only for requests made from a signed-in, re-authenticated session:
    the identity is then verified by the session itself. A written request entered by
    staff gives ``received_on``, the date the letter arrived.
    """
    if kind not in Kind.values:
        raise RequestError("Choose what you are asking for.")
    if jurisdiction not in DataRequest.Jurisdiction.values:
        raise RequestError("Choose the law that applies to you (GDPR or CCPA).")
    if kind in (Kind.RESTRICTION, Kind.OBJECTION) and purpose not in BY_CODE:
        raise RequestError("Choose a listed use of your data to restrict or stop.")
    now = timezone.now()
    received_date = received_on or timezone.localdate(now)
    received_at = now
    if received_on is not None:
        # A letter's period runs from the day it arrived, not from the day it was entered.
        received_at = min(now, timezone.make_aware(dt.datetime.combine(received_on, dt.time(9))))
    due = deadlines_for(Jurisdiction(jurisdiction), received_date)
    request = DataRequest.objects.create(
        reference=_reference(),
        kind=kind,
        channel=channel,
        jurisdiction=jurisdiction,
        user=user,
        full_name=full_name.strip()[:150],
        email=email.strip().lower(),
        details=details.strip(),
        purpose=purpose,
        received_at=received_at,
        acknowledge_by=due.acknowledge_by,
        acknowledged_at=now,
        due_on=due.answer_by,
        handled_by=actor if channel == DataRequest.Channel.WRITTEN else None,
    )
    _event(request, "received", actor=actor, note=DataRequest.Channel(channel).label)
    if user is not None:
        request.status, request.verified_at = Status.VERIFIED, now
        request.verification_method = "signed in and re-authenticated"
        request.save(update_fields=["status", "verified_at", "verification_method"])
        _event(request, "identity verified", actor=user, note=request.verification_method)
        _mail(request, "We received your request", "received")
    else:
        data_request_send_code(request=request)
    return request


def data_request_send_code(*, request: DataRequest) -> None:
    """Email a one-time code (and a link carrying it) that proves the sender owns the address."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.code_hash = _code_hash(request, code)
    request.code_expires_at = timezone.now() + dt.timedelta(minutes=CODE_MINUTES)
    request.code_attempts = 0
    request.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    _event(request, "verification code sent", note=f"valid {CODE_MINUTES} minutes")
    _mail(request, "Confirm your request", "verify", code=code, minutes=CODE_MINUTES)


def data_request_verify(*, reference: str, code: str, data_points: dict[str, str]) -> DataRequest:
    """Check the emailed code and the facts the person gives against the account.

    Where an account has the address, at least one fact must match it (a postal code of
    one of its addresses, an order number, the last four digits of its phone); otherwise
    the identity is in doubt and staff may ask for an identity document. A wrong code is
    counted in its own committed transaction, so the limit on guesses holds.
    """
    with transaction.atomic():
        outcome = _verify(reference=reference, code=code, data_points=data_points)
    if isinstance(outcome, str):
        raise RequestError(outcome)
    return outcome


def _verify(*, reference: str, code: str, data_points: dict[str, str]) -> DataRequest | str:
    request = DataRequest.objects.select_for_update().filter(reference=reference).first()
    if request is None or request.status != Status.RECEIVED or not request.code_hash:
        return "This request is not waiting for a code."
    if request.code_attempts >= CODE_ATTEMPTS:
        return "Too many wrong codes. Ask us to send a new one."
    if request.code_expires_at is None or request.code_expires_at < timezone.now():
        return "This code has expired. Ask us to send a new one."
    if not hmac.compare_digest(request.code_hash, _code_hash(request, code.strip())):
        request.code_attempts += 1
        request.save(update_fields=["code_attempts"])
        return "This code is not the one we sent."
    request.code_hash, request.data_points = "", {k: v for k, v in data_points.items() if v}
    account = get_user_model().objects.filter(email__iexact=request.email).first()
    if account is not None and not identity_matches(user=account, facts=request.data_points):
        request.save(update_fields=["code_hash", "data_points"])
        _event(request, "identity in doubt", note="email confirmed; no fact matched the account")
        return request
    request.user = account
    request.status, request.verified_at = Status.VERIFIED, timezone.now()
    request.verification_method = (
        "email code and a matching fact" if account else "email code (no account found)"
    )
    request.save(
        update_fields=["code_hash", "data_points", "user", "status", "verified_at",
                       "verification_method"]
    )  # fmt: skip
    _event(request, "identity verified", note=request.verification_method)
    return request


@transaction.atomic
def data_request_document_ask(*, request: DataRequest, actor: Any, note: str) -> None:
    """Ask the person for a copy of an identity document (reasonable doubt only)."""
    if request.status != Status.RECEIVED:
        raise RequestError("A document can only be asked for before the identity is verified.")
    request.document_requested_at = timezone.now()
    request.save(update_fields=["document_requested_at"])
    _event(request, "identity document asked", actor=actor, note=note)
    _mail(request, "We need to confirm who you are", "document", note=note)


@transaction.atomic
def data_request_document_upload(
    *, request: DataRequest, content: bytes, content_type: str
) -> None:
    """Store the document sealed at rest; it is deleted when the request closes."""
    if request.document_requested_at is None or not request.is_open:
        raise RequestError("No identity document is expected for this request.")
    _document_delete(request)
    request.identity_document.save("document", ContentFile(content), save=False)
    request.identity_document_type = content_type
    request.save(update_fields=["identity_document", "identity_document_type"])
    _event(request, "identity document received", note=content_type)


def data_request_document_read(*, request: DataRequest, staff: Any) -> bytes:
    """Return the decrypted document for staff who handle requests (the look is logged)."""
    from recommerce.privacy.services.logs import staff_access_record

    if not staff.has_perm("privacy.handle_datarequest"):
        raise PermissionError("Only the data-protection team reads identity documents.")
    with request.identity_document.open("rb") as handle:
        content = bytes(handle.read())
    staff_access_record(
        staff=staff, subject=request.user, what=f"identity document of {request.reference}"
    )
    return content


def _document_delete(request: DataRequest) -> None:
    if request.identity_document:
        name, storage = request.identity_document.name, request.identity_document.storage
        transaction.on_commit(lambda: storage.delete(name))
        request.identity_document, request.identity_document_type = "", ""


@transaction.atomic
def data_request_verify_by_staff(*, request: DataRequest, actor: Any, method: str) -> None:
    """Record that staff verified the identity (a document, a letter with matching facts)."""
    if request.status != Status.RECEIVED:
        raise RequestError("This request's identity is already settled.")
    if request.user is None:
        request.user = get_user_model().objects.filter(email__iexact=request.email).first()
    request.status, request.verified_at = Status.VERIFIED, timezone.now()
    request.verification_method = method[:64]
    request.save(update_fields=["user", "status", "verified_at", "verification_method"])
    _event(request, "identity verified", actor=actor, note=method)


@transaction.atomic
def data_request_extend(*, request: DataRequest, actor: Any, reason: str) -> None:
    """Extend the deadline once, inside the first period, and tell the person why."""
    # Locked and read again: two staff members clicking at once extend it only once.
    DataRequest.objects.select_for_update().filter(pk=request.pk).first()
    request.refresh_from_db()
    if not request.is_open or request.extended_due_on is not None:
        raise RequestError("This request cannot be extended (closed, or extended already).")
    received = timezone.localdate(request.received_at)
    due = deadlines_for(Jurisdiction(request.jurisdiction), received)
    if timezone.localdate() > due.extension_notice_by:
        raise RequestError("The extension had to be announced before the first deadline.")
    if not reason.strip():
        raise RequestError("Give the reason the person will read.")
    request.extended_due_on, request.extension_reason = due.extended_answer_by, reason.strip()
    request.extension_notified_at = timezone.now()
    request.save(update_fields=["extended_due_on", "extension_reason", "extension_notified_at"])
    _event(request, "deadline extended", actor=actor, note=reason)
    _mail(request, "We need more time for your request", "extended")


@transaction.atomic
def data_request_start(*, request: DataRequest, actor: Any) -> None:
    """Move a verified request to in progress, once: a second caller is refused.

    The row is locked and read again, so two "carry out" clicks at the same moment cannot
    both start it (and both run an erasure or an export).
    """
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != Status.VERIFIED:
        request.status = locked.status
        if locked.status == Status.IN_PROGRESS:
            raise RequestError("This request is already being carried out.")
        raise RequestError("Verify the person's identity before acting on the request.")
    locked.status = Status.IN_PROGRESS
    locked.handled_by = actor if getattr(actor, "is_staff", False) else locked.handled_by
    locked.save(update_fields=["status", "handled_by"])
    request.status, request.handled_by = locked.status, locked.handled_by
    _event(request, "in progress", actor=actor)


# How a request may close: "completed", "partly_done" or "refused".
Outcome = str


def data_request_closings(request: DataRequest) -> set[Outcome]:
    """Return the outcomes the request may close with, given what was done.

    An erasure request is completed only when its erasure ledger says done (or no account
    was found to erase); while nothing is erased it can only be refused, with the legal
    reason; once data is erased but the erasure is not done (a recipient not told), it
    can close as partly done.
    """
    if not request.is_open:
        return set()
    if request.kind != Kind.ERASURE:
        return {Status.COMPLETED.value, Status.REFUSED.value}
    records = list(ErasureRecord.objects.filter(request_reference=request.reference))
    if any(record.status == ErasureRecord.Status.DONE for record in records):
        return {Status.COMPLETED.value}
    if any(record.erased_at is not None for record in records):
        return {Status.PARTLY_DONE.value}
    if not records and request.user is None:
        return {Status.COMPLETED.value, Status.REFUSED.value}  # no account to erase
    return {Status.REFUSED.value}


_NOT_ALLOWED = {
    Status.COMPLETED.value: (
        "An erasure request is completed by its erasure: this one is not done yet. Refuse "
        "it, or close it as partly done, with the legal reason the person will read."
    ),
    Status.PARTLY_DONE.value: (
        "Only an erasure that erased data without finishing can close as partly done."
    ),
    Status.REFUSED.value: (
        "The person's data is already erased: close the request as partly done, saying "
        "what could not be done, or resume the erasure."
    ),
}


@transaction.atomic
def data_request_close(
    *,
    request: DataRequest,
    actor: Any,
    answer: str,
    refused: bool = False,
    partly: bool = False,
) -> None:
    """Close the request as completed, partly done or refused; tell the person.

    An erasure request's answer also lists what stays and until when: the records kept
    under a legal hold, or, while nothing is erased, what stands in the way and when it
    ends. Any identity document is deleted.
    """
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_open:
        raise RequestError("This request is already closed.")
    outcome = Status.REFUSED if refused else Status.PARTLY_DONE if partly else Status.COMPLETED
    if refused and not answer.strip():
        raise RequestError("A refusal needs the reason the person will read.")
    if partly and not answer.strip():
        raise RequestError("Give the legal reason the person will read.")
    if outcome.value not in data_request_closings(locked):
        raise RequestError(_NOT_ALLOWED[outcome.value])
    text = answer.strip()
    if request.kind == Kind.ERASURE:
        text = "\n\n".join(part for part in (text, _erasure_summary(request)) if part)
    _close(request, actor=actor, status=outcome, answer=text, note=answer)
    if request.kind == Kind.ERASURE and outcome != Status.REFUSED:
        record = ErasureRecord.objects.filter(
            request_reference=request.reference, erased_at__isnull=False
        ).first()
        if record is not None:
            data_requests_close_related(record=record, actor=actor)


def _close(request: DataRequest, *, actor: Any, status: str, answer: str, note: str) -> None:
    request.status = status
    request.answer, request.closed_at = answer, timezone.now()
    _document_delete(request)
    request.save(
        update_fields=["status", "answer", "closed_at", "identity_document",
                       "identity_document_type"]
    )  # fmt: skip
    _event(request, status.replace("_", " "), actor=actor, note=note[:500])
    _mail(request, "Your request is answered", "closed")


_CLOSED_BY_ERASURE = {
    Kind.ACCESS: "nothing is left to send but the records below",
    Kind.PORTABILITY: "nothing is left to send but the records below",
    Kind.RECTIFICATION: "nothing is left to correct",
    Kind.RESTRICTION: "none of your data is used any more, for any purpose",
    Kind.OBJECTION: "none of your data is used any more, for any purpose",
    Kind.ERASURE: "it asked for the same erasure",
}


@transaction.atomic
def data_requests_close_related(*, record: ErasureRecord, actor: Any = None) -> int:
    """Answer the person's other open requests once their data is erased; return how many.

    They were listed when the data was erased (the erasure detaches them from the account,
    so they could no longer be found); closing starts their retention clock.
    """
    day = dateformat.format(timezone.localdate(record.erased_at or timezone.now()), "j F Y")
    by = f" at your request {record.request_reference}" if record.request_reference else ""
    summary = _kept_summary(record)
    closed = 0
    for request in DataRequest.objects.select_for_update().filter(
        reference__in=record.related_requests, status__in=DataRequest.OPEN
    ):
        why = _CLOSED_BY_ERASURE[Kind(request.kind)]
        answer = (
            f"Your account and its data were erased on {day}{by}, so this request "
            f"is answered with it: {why}.\n\n{summary}"
        )
        _close(request, actor=actor, status=Status.COMPLETED, answer=answer, note=answer)
        closed += 1
    return closed


def _erasure_summary(request: DataRequest) -> str:
    """Say which data stay and until when, from the request's erasure ledger."""
    record = (
        ErasureRecord.objects.filter(request_reference=request.reference)
        .order_by(F("erased_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if record is None:
        return ""
    if record.erased_at is None:
        if not record.blockers:
            return ""
        waiting = "\n".join(f"- {reason}" for reason in record.blockers)
        return (
            "Your account and its data stay as they are for now. What stands in the way:\n"
            f"{waiting}"
        )
    return _kept_summary(record)


def _kept_summary(record: ErasureRecord) -> str:
    if not record.kept:
        return "Nothing was kept under a legal obligation."
    lines = "\n".join(f"- {line}" for line in kept_lines(record.kept))
    return (
        f"What the law makes us keep, detached from any account and used for nothing else:\n{lines}"
    )
