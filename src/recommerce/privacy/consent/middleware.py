"""Put the visitor's cookie choice on ``request.consent`` and keep responses to it.

- The signed ``rc_consent`` cookie gives the choice; a forged, expired or malformed one
  reads as undecided. ``Sec-GPC: 1`` sets ``Choice.gpc``, which keeps advertising off; for
  a signed-in person the signal is also recorded once, with an objection to advertising
  audiences.
- ``request.consent_prompt`` tells the base template whether to show the banner, lazily:
  only pages that render it pay for the notice-version lookup.
- On the way out, any cookie a view or an inner middleware set that is not in the
  ``COOKIES`` registry, or whose category the visitor has not allowed, is dropped: no
  optional cookie can reach a browser before consent, whatever a future feature does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from recommerce.privacy.consent import ADVERTISING, COOKIES_BY_NAME, Choice, consent_of
from recommerce.privacy.consent.cookie import StoredChoice, cookie_read
from recommerce.privacy.consent.web import (
    gpc_honour_once,
    notice_version_in_force,
    us_visitor,
    with_gpc,
)

logger = logging.getLogger(__name__)


class ConsentPrompt:
    """What the base template needs to know about consent, worked out only when asked."""

    def __init__(self, request: HttpRequest, stored: StoredChoice) -> None:
        self.request = request
        self.stored = stored

    @cached_property
    def banner(self) -> bool:
        """Tell whether to ask: no choice yet, or one made under an older notice."""
        if self.request.path.startswith(reverse("privacy:cookies")):
            return False
        choice = consent_of(self.request)
        return not choice.decided or choice.version != notice_version_in_force()

    @cached_property
    def notice_changed(self) -> bool:
        return consent_of(self.request).decided and self.banner

    @cached_property
    def us_visitor(self) -> bool:
        return us_visitor(self.request)

    @property
    def gpc_check(self) -> bool:
        """Tell whether the page should let a script check ``navigator.globalPrivacyControl``.

        Only when the cookie allows advertising and no ``Sec-GPC`` header said it already.
        """
        choice = self.stored.choice
        return (
            choice.decided and ADVERTISING in choice.categories and not consent_of(self.request).gpc
        )


def cookies_keep_to_choice(response: HttpResponseBase, choice: Choice) -> list[str]:
    """Drop cookies that are unregistered or not allowed by ``choice``; return their names.

    Deleting a cookie (an expired Set-Cookie) is always let through.
    """
    dropped = []
    for name in list(response.cookies):
        morsel = response.cookies[name]
        if str(morsel["max-age"]) == "0":
            continue
        entry = COOKIES_BY_NAME.get(name)
        if entry is None or not choice.allows(entry.category):
            del response.cookies[name]
            dropped.append(name)
    return dropped


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stored = cookie_read(request)
        gpc = request.headers.get("Sec-GPC", "").strip() == "1"
        request.consent = with_gpc(stored, gpc)  # type: ignore[attr-defined]
        request.consent_prompt = ConsentPrompt(request, stored)  # type: ignore[attr-defined]
        if gpc:
            gpc_honour_once(request, stored)
        response = self.get_response(request)
        dropped = cookies_keep_to_choice(response, consent_of(request))
        for name in dropped:
            if name not in COOKIES_BY_NAME:
                logger.warning(
                    "Dropped cookie %r on %s: it is not in privacy.consent.COOKIES.",
                    name,
                    request.path,
                )
        return response
