"""Publishing the privacy notice (NOTICE-2): a dated version, kept as published, announced.

A version stores both languages exactly as rendered, so an earlier version reads the same
years later whatever the registry became. Publishing an unchanged text is refused: a
version means something changed. The first version is not announced (nothing changed for
anyone); every later one is emailed to account holders, in batches on the worker, and
shown on the site until the visitor dismisses the banner.

Each announcement is written to the outbox under the key ``notice:<version>:user:<id>``
before it is sent, so a worker stopped mid-batch loses none (the outbox sends what was
written) and sends none twice; ``notice_announce_resume`` queues again, for a few days,
the accounts whose batch was lost with its worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from recommerce.platform.mail import send_templated
from recommerce.platform.models import OutboundEmail
from recommerce.privacy.models import NoticeVersion
from recommerce.privacy.notice.build import notice_render
from recommerce.privacy.notice.context import banner_forget

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
ERASED_DOMAIN = "@erased.invalid"
SUMMARY_MAX = 2000
SEND_ATTEMPTS = 3
RETRY_SECONDS = 600
# An announcement is resumed this long after publication (its batches had time to run)
# and no longer than RESUME_DAYS after it.
RESUME_AFTER = dt.timedelta(minutes=30)
RESUME_DAYS = 3


class NoticeError(ValueError):
    """The notice cannot be published as asked; the message says why."""


class NoticeUnchanged(NoticeError):
    """The generated notice is the same as the version in force."""


def content_hash(content_en: str, content_fr: str) -> str:
    """Return the SHA-256 of both languages (a NUL between them: no two splits collide)."""
    return hashlib.sha256(f"{content_en}\0{content_fr}".encode()).hexdigest()


def notice_generate() -> tuple[str, str, str]:
    """Return the notice as the registry reads now: English, French and their hash."""
    content_en = notice_render(language="en")
    content_fr = notice_render(language="fr")
    return content_en, content_fr, content_hash(content_en, content_fr)


def _version_slug(day: dt.date) -> str:
    base = day.isoformat()
    taken = set(
        NoticeVersion.objects.filter(version__startswith=base).values_list("version", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def notice_publish(*, actor: Any, summary: str, when: dt.datetime | None = None) -> NoticeVersion:
    """Publish the notice as generated now, with ``summary`` saying what changed.

    Raise ``NoticeUnchanged`` when the text is the same as the version in force, and
    ``NoticeError`` for a missing or overlong summary.
    """
    summary = summary.strip()
    if not summary:
        raise NoticeError("Say in a few words what changed: people read it in the email.")
    if len(summary) > SUMMARY_MAX:
        raise NoticeError(f"Keep the summary under {SUMMARY_MAX} characters.")
    content_en, content_fr, digest = notice_generate()
    current = NoticeVersion.objects.select_for_update().order_by("-published_at", "-id").first()
    if current is not None and current.content_hash == digest:
        raise NoticeUnchanged(
            f"Nothing changed since the version of {current.version}: there is nothing to publish."
        )
    published_at = when or timezone.now()
    version = NoticeVersion.objects.create(
        version=_version_slug(timezone.localdate(published_at)),
        published_at=published_at,
        summary=summary,
        content_en=content_en,
        content_fr=content_fr,
        content_hash=digest,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    transaction.on_commit(banner_forget)
    if current is not None:
        transaction.on_commit(lambda: notice_announce(version=version))
    return version


def notice_recipient_ids(*, joined_before: dt.datetime | None = None) -> list[int]:
    """Return the ids of active accounts with an address mail can reach, in order."""
    people = get_user_model()._default_manager.filter(is_active=True)
    people = people.exclude(email="").exclude(email__iendswith=ERASED_DOMAIN)
    if joined_before is not None:
        people = people.filter(date_joined__lte=joined_before)
    return list(people.order_by("pk").values_list("pk", flat=True))


def notice_announce(*, version: NoticeVersion) -> int:
    """Queue the email announcing ``version`` to every reachable account; return how many."""
    from recommerce.privacy.notice.tasks import notice_announce_task

    ids = notice_recipient_ids()
    for start in range(0, len(ids), BATCH_SIZE):
        notice_announce_task(version.pk, ids[start : start + BATCH_SIZE])
    return len(ids)


def _mail_key(version: NoticeVersion, person_id: int) -> str:
    return f"notice:{version.pk}:user:{person_id}"


def notice_announce_resume(*, now: dt.datetime | None = None) -> int:
    """Queue the announcement of the latest version again for the accounts that have none
    in the outbox (their batch was lost with a stopped worker); return how many.

    Only a version that is announced (not the first), published between ``RESUME_AFTER``
    and ``RESUME_DAYS`` ago, and only to accounts that existed when it was published.
    """
    from recommerce.privacy.notice.tasks import notice_announce_task

    now = now or timezone.now()
    latest = list(NoticeVersion.objects.order_by("-published_at", "-id")[:2])
    if len(latest) < 2:
        return 0
    version = latest[0]
    if not now - dt.timedelta(days=RESUME_DAYS) <= version.published_at <= now - RESUME_AFTER:
        return 0
    prefix = _mail_key(version, 0)[:-1]
    written = set(
        OutboundEmail.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )
    ids = notice_recipient_ids(joined_before=version.published_at)
    missing = [pk for pk in ids if _mail_key(version, pk) not in written]
    for start in range(0, len(missing), BATCH_SIZE):
        notice_announce_task(version.pk, missing[start : start + BATCH_SIZE])
    return len(missing)


def _language(person: Any) -> str:
    language = str(getattr(person, "language", "") or settings.LANGUAGE_CODE)[:2]
    return language if language in ("en", "fr") else "en"


def notice_mail(*, version: NoticeVersion, person: Any) -> None:
    """Email ``person`` that the notice changed, in their language (a service message)."""
    language = _language(person)
    with translation.override(language):
        day = formats.date_format(timezone.localtime(version.published_at), "j F Y")
        notice_path = reverse("privacy:notice", kwargs={"lang": language})
        versions_path = reverse("privacy:notice-versions")
    subject = (
        f"notre politique de confidentialité a changé le {day}"
        if language == "fr"
        else f"our privacy notice changed on {day}"
    )
    send_templated(
        to=[person.email],
        subject=subject,
        template="privacy/email/notice_changed",
        context={
            "person": person,
            "version": version,
            "day": day,
            "language": language,
            "notice_url": f"{settings.SITE_URL}{notice_path}",
            "versions_url": f"{settings.SITE_URL}{versions_path}",
        },
        language=language,
        transactional=True,
        key=_mail_key(version, person.pk),
    )


def notice_mail_batch(*, version_id: int, user_ids: Sequence[int], attempt: int = 1) -> list[int]:
    """Send the announcement to one batch; return the ids that failed (queued again)."""
    version = NoticeVersion.objects.filter(pk=version_id).first()
    if version is None:
        return []
    # Checked again at send time: someone may have been erased since the batch was queued.
    people = get_user_model()._default_manager.filter(pk__in=list(user_ids), is_active=True)
    people = people.exclude(email="").exclude(email__iendswith=ERASED_DOMAIN).order_by("pk")
    failed: list[int] = []
    for person in people:
        try:
            notice_mail(version=version, person=person)
        except Exception:
            logger.exception("The notice email to account %s failed.", person.pk)
            failed.append(person.pk)
    if failed and attempt < SEND_ATTEMPTS:
        from recommerce.privacy.notice.tasks import notice_announce_task

        # Only the failed addresses go again, so nobody gets the email twice.
        notice_announce_task.schedule(
            (version_id, failed), {"attempt": attempt + 1}, delay=RETRY_SECONDS
        )
    return failed
