"""Data exports (RIGHT-1): prepared in the background, downloaded once, then deleted."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recommerce.platform.mail import send_templated
from recommerce.privacy.models import DataRequest, ExportArchive
from recommerce.privacy.rights.export import export_archive_bytes
from recommerce.privacy.selectors import export_archive_get

SIGNING_SALT = "privacy.export"


class ExportUnavailable(Exception):
    """The link is wrong, expired or already used."""


class ExportNotFound(ExportUnavailable):
    """The person has no export with this number."""


class ExportNotReady(ExportUnavailable):
    """The export is still being prepared."""


def _storage() -> Any:
    return storages["private"]


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


@transaction.atomic
def export_take(*, token: str) -> tuple[ExportArchive, bytes]:
    """Return the archive and its bytes for a download link, once; the file is then deleted."""
    max_age = dt.timedelta(hours=settings.PRIVACY_EXPORT_HOURS)
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=max_age)
    except signing.BadSignature:
        raise ExportUnavailable("This download link is not valid or has expired.") from None
    archive = ExportArchive.objects.select_for_update().filter(pk=payload.get("a")).first()
    if archive is None or archive.status != ExportArchive.Status.READY:
        raise ExportUnavailable("This download was already used or is no longer available.")
    if archive.expires_at and archive.expires_at < timezone.now():
        raise ExportUnavailable("This download link has expired.")
    try:
        with _storage().open(archive.file_name, "rb") as handle:
            content = handle.read()
    except OSError:
        raise ExportUnavailable("This download is no longer available.") from None
    archive.status, archive.downloaded_at = ExportArchive.Status.DOWNLOADED, timezone.now()
    archive.save(update_fields=["status", "downloaded_at"])
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
    return export_take(token=export_link_token(archive))


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
    """Send the one-time download link, and close the request the export answers."""
    if archive.status != ExportArchive.Status.READY:
        return
    to = archive.request.email if archive.request else archive.user.email
    send_templated(
        to=[to],
        subject="Your data is ready to download",
        template="privacy/email/export_ready",
        context={
            "url": export_download_url(archive),
            "hours": settings.PRIVACY_EXPORT_HOURS,
            "archive": archive,
        },
    )
    if archive.request is not None:
        from recommerce.privacy.services.handling import export_ready

        export_ready(request=archive.request)
