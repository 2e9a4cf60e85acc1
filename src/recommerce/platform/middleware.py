"""Response headers that keep every page first-party, the compression of pages, outages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from recommerce.platform import health
from recommerce.platform.outages import (
    DATABASE_LOG,
    database_unavailable,
    unavailable_response,
)

HEALTH_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/health/live": health.live,
    "/health/ready": health.ready,
}

# Only the site itself may provide scripts, styles, images and fonts: no CDN, web-font
# service or third-party tag can load, so no visitor's address leaks before consent.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# The API documentation page runs Swagger UI, which needs an inline bootstrap script.
API_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
).replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path.endswith("/docs") else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PageGZipMiddleware(GZipMiddleware):
    """Compress HTML pages, with Django's random padding against BREACH-style guessing.

    Only pages: static files leave compressed ahead of time (WhiteNoise), and JSON answers
    (the API, allauth's headless endpoints) carry tokens that no compression should risk.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class OutageMiddleware:
    """Answer health checks first, and 503 rather than 500 while the database is down.

    First in ``MIDDLEWARE``. ``/health/live`` and ``/health/ready`` (GET or HEAD) are
    answered here, before the HTTPS redirect, the ``Host`` check, sessions and analytics
    (see ``platform.health``). An error a view raises that means the database cannot be
    reached (``outages.database_unavailable``) becomes the 503 of
    ``outages.unavailable_response``, logged once a minute; an error raised by another
    middleware reaches ``outages.server_error`` (the ``handler500``) instead, which gives
    the same answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_unavailable(exception):
            return None
        DATABASE_LOG.warn(f"{request.method} {request.path} answered 503", exception)
        return unavailable_response(request)
