"""Reads of the notice's published versions."""

from __future__ import annotations

from django.db.models import QuerySet

from recommerce.privacy.models import NoticeVersion


def notice_version_get(*, version: str) -> NoticeVersion | None:
    return NoticeVersion.objects.filter(version=version).first()


def notice_version_list() -> QuerySet[NoticeVersion]:
    """Return every published version, the one in force first."""
    return NoticeVersion.objects.order_by("-published_at", "-id")
