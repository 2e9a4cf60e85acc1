"""Data exports (RIGHT-1): prepared in the background, downloaded once, then deleted.

Who gets the archive: its owner, signed in; or whoever gives the one-time code emailed with
the link. The link alone is not enough, since links leak (a forwarded email, a shared
browser history, a proxy's log): a signed-in person other than the owner without the code
is refused, and the export stays available to its owner.

An export survives its worker's death: ``exports_resume`` (every ten minutes) builds again
an export left being prepared past ``RESUME_AFTER``, and sends the email of one built but
never announced; the email is queued once (key ``export:<id>``) with its code, so a run
cut short and resumed sends one email whose code works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from huey.exceptions import TaskLockedException

from recommerce.platform import faults
from recommerce.platform.locks import task_lock
from recommerce.platform.mail import queue_templated
from recommerce.platform.models import OutboundEmail
from recommerce.platform.outbox import email_deliver
from recommerce.privacy.encryption.files import sealed_storage
from recommerce.privacy.models import DataRequest, ExportArchive
from recommerce.privacy.rights.export import export_archive_bytes
from recommerce.privacy.selectors import export_archive_get

SIGNING_SALT = "privacy.export"
# Ten characters from 31 (no 0/O, 1/I/L): about 50 bits, typed from the email.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_ATTEMPTS = 5
# Longer than the largest export takes to build: one still pending after it was cut short.
RESUME_AFTER = dt.timedelta(minutes=30)
BUILD_LOCK_TTL = dt.timedelta(minutes=20)


class ExportUnavailable(Exception):
    """The link is wrong, expired or already used."""


class ExportNotFound(ExportUnavailable):
    """The person has no export with this number."""


class ExportNotReady(ExportUnavailable):
    """The export is still being prepared."""


class ExportRefused(Exception):
    """The asker may not take this export: not its owner, and no right code."""


def _storage() -> Any:
    """Archives are sealed at rest, like identity documents: the ZIP holds everything
    about the person, for up to ``PRIVACY_EXPORT_HOURS`` (ADR 0013)."""
    return sealed_storage()


def export_schema_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("privacy:export-schema")


def export_request(*, user: Any, request: DataRequest | None = None) -> ExportArchive:
    """Queue an export of ``user``'s data; the worker builds it after the commit."""
    archive = ExportArchive.objects.create(user=user, request=request)
    from recommerce.privacy.tasks import export_build_task

    transaction.on_commit(lambda: export_build_task(archive.pk))
    return archive


def export_build(*, archive: ExportArchive) -> ExportArchive:
    """Write the ZIP of the archive's person to private storage and mark it ready."""
    if archive.status != ExportArchive.Status.PENDING:
        return archive
    try:
        content = export_archive_bytes(archive.user, schema_url=export_schema_url())
    except Exception as error:
        archive.status, archive.error = ExportArchive.Status.FAILED, str(error)[:2000]
        archive.save(update_fields=["status", "error"])
        raise
    faults.checkpoint("export.build")
    name = f"exports/{archive.user_id}-{secrets.token_hex(16)}.zip"
    archive.file_name = _storage().save(name, ContentFile(content))
    archive.size = len(content)
    archive.status = ExportArchive.Status.READY
    archive.ready_at = timezone.now()
    archive.expires_at = archive.ready_at + dt.timedelta(hours=settings.PRIVACY_EXPORT_HOURS)
    archive.save(update_fields=["file_name", "size", "status", "ready_at", "expires_at"])
    return archive


def export_link_token(archive: ExportArchive) -> str:
    return signing.dumps({"a": archive.pk}, salt=SIGNING_SALT)


def export_code_issue(*, archive: ExportArchive) -> str:
    """Make the one-time code that goes in the email with the link; keep only its hash."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    archive.code_hash, archive.code_attempts = _code_hash(archive, code), 0
    archive.save(update_fields=["code_hash", "code_attempts"])
    return code


def _code_hash(archive: ExportArchive, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    normal = "".join(code.split()).upper()
    return hmac.new(key, f"export:{archive.pk}:{normal}".encode(), hashlib.sha256).hexdigest()


def export_from_link(*, token: str) -> ExportArchive:
    """Return the archive a download link names, if the link is genuine and still valid.

    Reads only: nothing is spent, so a page can show what the link needs before any click.
    """
    max_age = dt.timedelta(hours=settings.PRIVACY_EXPORT_HOURS)
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=max_age)
    except signing.BadSignature:
        raise ExportUnavailable("This download link is not valid or has expired.") from None
    return _available(ExportArchive.objects.filter(pk=payload.get("a")).first())


def _available(archive: ExportArchive | None) -> ExportArchive:
    if archive is None or archive.status != ExportArchive.Status.READY:
        raise ExportUnavailable("This download was already used or is no longer available.")
    if archive.expires_at and archive.expires_at < timezone.now():
        raise ExportUnavailable("This download link has expired.")
    return archive


def export_is_owner(archive: ExportArchive, user: Any) -> bool:
    """Tell whether ``user`` is the signed-in owner of the archive (no code needed)."""
    return bool(getattr(user, "is_authenticated", False) and user.pk == archive.user_id)


@dataclass(frozen=True, slots=True)
class _Refusal:
    reason: str


def export_take(*, token: str, user: Any = None, code: str = "") -> tuple[ExportArchive, bytes]:
    """Return the archive and its bytes, once, then delete the file.

    The rule: the owner signed in (``user``), or whoever gives the one-time ``code`` of the
    email. Anyone else is refused before the file is read and the export stays available;
    a wrong code counts, and after ``CODE_ATTEMPTS`` of them only the owner signed in can
    still take it.
    """
    result = _take(token=token, user=user, code=code)
    if isinstance(result, _Refusal):
        # Raised after the commit, so the count of wrong codes is kept.
        raise ExportRefused(result.reason)
    return result


@transaction.atomic
def _take(*, token: str, user: Any, code: str) -> tuple[ExportArchive, bytes] | _Refusal:
    found = export_from_link(token=token)
    archive = _available(ExportArchive.objects.select_for_update().filter(pk=found.pk).first())
    if not export_is_owner(archive, user):
        refusal = _check_code(archive, code)
        if refusal is not None:
            return refusal
    try:
        with _storage().open(archive.file_name, "rb") as handle:
            content = handle.read()
    except OSError:
        raise ExportUnavailable("This download is no longer available.") from None
    archive.status, archive.downloaded_at = ExportArchive.Status.DOWNLOADED, timezone.now()
    archive.code_hash = ""
    archive.save(update_fields=["status", "downloaded_at", "code_hash"])
    name = archive.file_name
    transaction.on_commit(lambda: _storage().delete(name))
    return archive, content


@transaction.atomic
def export_take_own(*, user: Any, archive_id: int) -> tuple[ExportArchive, bytes]:
    """Return one of ``user``'s own exports and its bytes, once (the app's download).

    A signed-in, re-authenticated session stands in for the emailed link; from there the
    link's rules apply (once, before it expires, then the file is deleted). Raises
    ``ExportNotFound`` for an export that is not the person's.
    """
    archive = export_archive_get(user=user, archive_id=archive_id)
    if archive is None:
        raise ExportNotFound("You have no export with this number.")
    if archive.status == ExportArchive.Status.PENDING:
        raise ExportNotReady("Your data is still being prepared; try again in a moment.")
    return export_take(token=export_link_token(archive), user=user)


def _check_code(archive: ExportArchive, code: str) -> _Refusal | None:
    if not archive.code_hash or archive.code_attempts >= CODE_ATTEMPTS:
        return _Refusal(
            "This download needs its owner signed in: the code of the email can no longer be used."
        )
    if not code.strip():
        return _Refusal("Sign in as the owner of this data, or give the code of the email.")
    if hmac.compare_digest(archive.code_hash, _code_hash(archive, code)):
        return None
    archive.code_attempts += 1
    archive.save(update_fields=["code_attempts"])
    left = CODE_ATTEMPTS - archive.code_attempts
    return _Refusal(
        "This code is not the one we emailed."
        + (f" {left} tr{'y' if left == 1 else 'ies'} left." if left else "")
    )


def exports_expire(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the files of exports not downloaded in time; return how many (or would be)."""
    due = ExportArchive.objects.filter(
        status=ExportArchive.Status.READY, expires_at__lt=now or timezone.now()
    )
    if dry_run:
        return due.count()
    count = 0
    for archive in due:
        _storage().delete(archive.file_name)
        archive.status = ExportArchive.Status.EXPIRED
        archive.save(update_fields=["status"])
        count += 1
    return count


def export_download_url(archive: ExportArchive) -> str:
    path = reverse("privacy:export-download", kwargs={"token": export_link_token(archive)})
    return settings.SITE_URL.rstrip("/") + path


def export_mail(*, archive: ExportArchive) -> None:
    """Send the one-time download link, and close the request the export answers.

    Run again (a resumed export), it sends the email queued the first time, not a second
    one with another code.
    """
    if archive.status != ExportArchive.Status.READY:
        return
    key = f"export:{archive.pk}"
    with transaction.atomic():
        email = OutboundEmail.objects.filter(key=key).first()
        if email is None:
            to = archive.request.email if archive.request else archive.user.email
            email = queue_templated(
                to=[to],
                subject="Your data is ready to download",
                template="privacy/email/export_ready",
                context={
                    "url": export_download_url(archive),
                    "code": export_code_issue(archive=archive),
                    "hours": settings.PRIVACY_EXPORT_HOURS,
                    "archive": archive,
                },
                key=key,
            )
    if email is not None:
        email_deliver(email=email)
    if archive.request is not None:
        from recommerce.privacy.services.handling import export_ready

        export_ready(request=archive.request)


def export_build_and_mail(*, archive_id: int) -> ExportArchive | None:
    """Build an export and send its link, under the export's lock (one worker at a time).

    Raise ``TaskLockedException`` while another live worker has it in hand.
    """
    with task_lock(f"privacy-export-{archive_id}", ttl=BUILD_LOCK_TTL):
        archive = (
            ExportArchive.objects.select_related("user", "request").filter(pk=archive_id).first()
        )
        if archive is None:
            return None  # erased with its person before the worker came to it
        archive = export_build(archive=archive)
        faults.checkpoint("export.built")
        export_mail(archive=archive)
        return archive


def exports_resume(*, now: dt.datetime | None = None) -> int:
    """Finish the exports a stopped worker left; return how many were taken up.

    Those still being prepared past ``RESUME_AFTER`` are built; those built that long ago
    whose email was never queued, or whose request is still open, get their email.
    """
    now = now or timezone.now()
    stale = now - RESUME_AFTER
    unbuilt = ExportArchive.objects.filter(
        status=ExportArchive.Status.PENDING, created_at__lt=stale
    )
    built = ExportArchive.objects.filter(
        status=ExportArchive.Status.READY, ready_at__lt=stale, expires_at__gt=now
    ).select_related("request")
    due = list(unbuilt.values_list("pk", flat=True))
    for archive in built:
        announced = OutboundEmail.objects.filter(key=f"export:{archive.pk}").exists()
        if not announced or (archive.request is not None and archive.request.is_open):
            due.append(archive.pk)
    resumed = 0
    for archive_id in due:
        try:
            export_build_and_mail(archive_id=archive_id)
        except TaskLockedException:
            continue  # a live worker has it in hand
        resumed += 1
    return resumed
