"""Record page and product views, only for visitors who allowed analytics.

Runs after the consent middleware, which puts the visitor's choice on ``request.consent``.
A view is counted when the page was served in full (a 200 HTML answer to a GET, not an
htmx fragment) on a public path, and the visitor is neither staff nor someone who objected
to analytics. A visitor without consent costs one attribute read; an anonymous one with
consent costs one INSERT (two on a product page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from recommerce.analytics.services import page_view_record, product_view_record, visitor_key
from recommerce.privacy import purposes
from recommerce.privacy.consent import ANALYTICS, consent_of
from recommerce.privacy.consent.cookie import cookie_read
from recommerce.privacy.selectors import processing_allowed

logger = logging.getLogger(__name__)

# Staff tools, the admin, the API and files are not site usage. The personal areas carry
# one-time tokens and order or request references in their paths (an export link, an
# email confirmation key, a checkout reference), which statistics must never keep.
EXCLUDED_PREFIXES = (
    "/staff/",
    "/admin/",
    "/api/",
    "/static/",
    "/media/",
    "/_allauth/",
    "/account/",
    "/privacy/",
    "/marketing/",
    "/payments/",
    "/checkout/",
    "/.well-known/",
    "/health/",
)
PRODUCT_PAGE = "offers:product"


def _counted_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        # An htmx request fetches part of a page already counted.
        and "HX-Request" not in request.headers
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _referrer_host(request: HttpRequest) -> str:
    """Return the referring site's host name, or "" for none or this site itself."""
    try:
        host = urlsplit(request.headers.get("Referer", "")).hostname or ""
        own = urlsplit(f"//{request.get_host()}").hostname or ""
    except ValueError:  # a malformed header (e.g. a bad IPv6 literal) names no site
        return ""
    return "" if host == own else host


def _product_variant(request: HttpRequest) -> int | None:
    match = request.resolver_match
    if match is None or match.view_name != PRODUCT_PAGE:
        return None
    variant_id = match.kwargs.get("variant_id")
    return variant_id if isinstance(variant_id, int) else None


def page_view_count(request: HttpRequest) -> None:
    """Record the view of the page ``request`` asked for (consent already checked)."""
    user: Any = request.user if hasattr(request, "user") else None
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None and (
        user.is_staff or not processing_allowed(user=user, purpose=purposes.ANALYTICS)
    ):
        return
    # With analytics allowed, the consent cookie's random browser id tells visitors apart,
    # hashed under a key of its own so it cannot be matched to the consent records.
    visitor = visitor_key(user=user, browser_id="" if user else cookie_read(request).browser_id)
    page_view_record(
        path=request.path, referrer_host=_referrer_host(request), visitor=visitor, user=user
    )
    variant_id = _product_variant(request)
    if variant_id is not None:
        product_view_record(variant_id=variant_id, visitor=visitor, user=user)


class PageViewMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if consent_of(request).allows(ANALYTICS) and _counted_response(request, response):
            try:
                page_view_count(request)
            except DatabaseError:
                # A missed view is better than a failed page.
                logger.exception("A page view could not be recorded.")
        return response
