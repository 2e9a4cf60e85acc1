"""Consent as the web pages and the API handle it: save a choice from a request, set the
cookie, honour a GPC signal, and the small request facts the pages need."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.utils.http import url_has_allowed_host_and_scheme

from recommerce.privacy.consent import (
    ADVERTISING,
    CATEGORIES,
    OPTIONAL,
    Choice,
    categories_clean,
    consent_of,
)
from recommerce.privacy.consent.cookie import (
    StoredChoice,
    browser_id_new,
    cookie_read,
    cookie_write,
)
from recommerce.privacy.selectors import notice_version_current
from recommerce.privacy.services.consent import (
    GPC_CHECK_SECONDS,
    OPT_OUT_METHODS,
    consent_gpc_honour,
    consent_opt_out,
    consent_record_create,
    gpc_checked_key,
)


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


def signed_in(request: HttpRequest) -> Any | None:
    """Return the signed-in account behind ``request``, or None."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def notice_version_in_force() -> str:
    """Return the version of the privacy notice in force ("" before the first is published)."""
    current = notice_version_current()
    return current.version if current is not None else ""


def us_visitor(request: HttpRequest) -> bool:
    """Tell whether the visitor is probably in the United States.

    A signed-in person's country of residence says so; otherwise the region of the first
    language the browser asks for (``en-US``).
    """
    user = signed_in(request)
    if user is not None and str(getattr(user, "country", "") or "") == "US":
        return True
    first = request.headers.get("Accept-Language", "").split(",")[0].split(";")[0]
    parts = first.strip().replace("_", "-").split("-")
    return len(parts) >= 2 and parts[-1].upper() == "US"


def referer_path(request: HttpRequest) -> str:
    """Return the path of the same-site page the visitor came from, or "".

    Pages do not write their own address into the banner's forms: an error page would then
    repeat the object reference the visitor asked for (an order number on a 404).
    """
    referer = request.headers.get("Referer", "")
    origin = f"{request.scheme}://{request.get_host()}"
    return referer[len(origin) :] if referer.startswith(origin + "/") else ""


def safe_next(request: HttpRequest, value: str | None, default: str = "/") -> str:
    """Return ``value`` if it is a path on this site, else ``default`` (no open redirect)."""
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not any(ord(char) < 32 for char in value)
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default


def choice_save(
    request: HttpRequest,
    *,
    categories: list[str],
    method: str,
    user: Any | None = None,
) -> StoredChoice:
    """Record a visitor's choice and return what the cookie must now hold.

    A Global Privacy Control signal, the opt-out page and the GPC endpoint keep advertising
    off whatever was ticked. The caller sets the cookie on its response with
    ``cookie_store``. Raises ``UnknownCategory`` for a category the site does not have.
    """
    current = consent_of(request)
    stored = cookie_read(request)
    browser_id = stored.browser_id or browser_id_new()
    allowed = categories_clean(categories)
    if current.gpc or method in OPT_OUT_METHODS:
        allowed = [category for category in allowed if category != ADVERTISING]
    version = notice_version_in_force()
    person = user if user is not None else signed_in(request)
    facts: dict[str, Any] = {
        "user": person,
        "browser_id": browser_id,
        "categories": allowed,
        "notice_version": version,
        "ip": client_ip(request),
    }
    if method in OPT_OUT_METHODS:
        consent_opt_out(method=method, **facts)
    else:
        consent_record_create(method=method, **facts)
    choice = Choice(categories=frozenset(allowed), version=version, decided=True, gpc=current.gpc)
    # The rest of this request (templates, the cookie filter) sees the new choice.
    request.consent = choice  # type: ignore[attr-defined]
    return StoredChoice(choice, browser_id)


def choice_json(choice: Choice) -> dict[str, Any]:
    return {
        "decided": choice.decided,
        "categories": [category for category in OPTIONAL if category in choice.categories],
        "notice_version": choice.version,
        "gpc": choice.gpc,
        "allowed": {category: choice.allows(category) for category in CATEGORIES},
    }


def cookie_store(response: HttpResponseBase, saved: StoredChoice) -> None:
    cookie_write(
        response,
        categories=sorted(saved.choice.categories),
        version=saved.choice.version,
        browser_id=saved.browser_id,
    )


def gpc_honour_once(request: HttpRequest, stored: StoredChoice) -> None:
    """Record a signed-in person's GPC signal and object to advertising audiences.

    A cache flag keeps this to one look at the records per person and day; ``cache.add``
    lets only one of several simultaneous requests do it.
    """
    user = signed_in(request)
    if user is None or not cache.add(gpc_checked_key(user.pk), True, GPC_CHECK_SECONDS):
        return
    try:
        consent_gpc_honour(
            user=user,
            browser_id=stored.browser_id,
            categories=sorted(stored.choice.categories),
            notice_version=notice_version_in_force(),
            ip=client_ip(request),
        )
    except Exception:
        cache.delete(gpc_checked_key(user.pk))
        raise


def with_gpc(stored: StoredChoice, gpc: bool) -> Choice:
    return replace(stored.choice, gpc=gpc)
