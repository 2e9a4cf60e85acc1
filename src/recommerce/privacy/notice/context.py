"""The "notice changed" banner: a context processor and the cookie that dismisses it.

Add ``recommerce.privacy.notice.context.notice_banner`` to the template context processors
and include ``privacy/notice/_changed_banner.html`` in the base template. The banner shows
a version announced to users (any version after the first) until the visitor dismisses it;
the dismissal is kept in a strictly necessary cookie holding the version seen, so no
consent is needed and a later version shows again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

COOKIE_NAME = "rc_notice_seen"
COOKIE_MAX_AGE = 365 * 24 * 3600
CACHE_KEY = "privacy:notice:banner"
# Each process keeps the answer this long; publishing clears it in the process that published.
CACHE_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Banner:
    version: str
    published_on: dt.date


def _announced() -> tuple[str, str]:
    """Return (version, ISO date) of the version in force if it was announced, else blanks."""
    from recommerce.privacy.models import NoticeVersion

    latest = list(NoticeVersion.objects.order_by("-published_at", "-id")[:2])
    if len(latest) < 2:
        return ("", "")
    current = latest[0]
    return (current.version, timezone.localdate(current.published_at).isoformat())


def banner_forget() -> None:
    cache.delete(CACHE_KEY)


def banner_for(request: HttpRequest) -> Banner | None:
    """Return the banner ``request``'s visitor should see, or None."""
    found: tuple[str, str] | None = cache.get_or_set(CACHE_KEY, _announced, CACHE_SECONDS)
    version, day = found or ("", "")
    if not version or request.COOKIES.get(COOKIE_NAME) == version:
        return None
    return Banner(version=version, published_on=dt.date.fromisoformat(day))


def notice_banner(request: HttpRequest) -> dict[str, Any]:
    """Put ``notice_banner`` in templates, looked up only if a template reads it."""
    return {"notice_banner": SimpleLazyObject(lambda: banner_for(request))}
