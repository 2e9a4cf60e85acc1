"""Put the visitor's cookie choice on ``request.consent`` (filled in with the banner)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from recommerce.privacy.consent import UNDECIDED


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.consent = UNDECIDED  # type: ignore[attr-defined]
        return self.get_response(request)
