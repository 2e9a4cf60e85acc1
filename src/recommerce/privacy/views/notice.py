"""The privacy notice's public pages (NOTICE-1, NOTICE-2) and the banner's dismissal.

``/privacy/notice/`` is in the visitor's language (the site's language negotiation);
``/privacy/notice/en/`` and ``/privacy/notice/fr/`` name one, and each page links to the
other. Published versions are shown from their stored text, never regenerated.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from recommerce.privacy import selectors
from recommerce.privacy.models import NoticeVersion
from recommerce.privacy.notice.build import notice_render
from recommerce.privacy.notice.context import COOKIE_MAX_AGE, COOKIE_NAME
from recommerce.privacy.notice.selectors import notice_version_get, notice_version_list

VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-\d{1,3})?$")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Privacy notice",
        "description": "What personal data the marketplace holds, why, for how long, who "
        "receives it, and your rights.",
        "switch": "Lire en français",
        "version_of": "Version of",
        "all_versions": "All versions",
        "older": "This is an earlier version of the notice, kept as it was published.",
        "read_current": "Read the current notice",
        "what_changed": "What changed in this version:",
        "generated_on": "Generated on",
        "unpublished": "No version of this notice has been published yet: this text is "
        "generated from what the platform holds today.",
    },
    "fr": {
        "title": "Politique de confidentialité",
        "description": "Les données personnelles que la place de marché détient, pourquoi, "
        "combien de temps, qui les reçoit, et vos droits.",
        "switch": "Read in English",
        "version_of": "Version du",
        "all_versions": "Toutes les versions",
        "older": "Ceci est une version précédente de la politique, conservée telle qu'elle "
        "a été publiée.",
        "read_current": "Lire la politique en vigueur",
        "what_changed": "Ce qui a changé dans cette version\u00a0:",
        "generated_on": "Générée le",
        "unpublished": "Aucune version de cette politique n'a encore été publiée\u00a0: ce texte "
        "est généré à partir de ce que la plateforme détient aujourd'hui.",
    },
}


def _visitor_language(request: HttpRequest) -> str:
    language = str(getattr(request, "LANGUAGE_CODE", "") or "en")[:2]
    return language if language in TEXT else "en"


def _show(
    request: HttpRequest,
    *,
    lang: str,
    version: NoticeVersion | None,
    current: NoticeVersion | None,
) -> HttpResponse:
    other = "en" if lang == "fr" else "fr"
    context: dict[str, Any] = {
        "lang": lang,
        "other_lang": other,
        "text": TEXT[lang],
        "published": version is not None,
        "is_current": version is None or (current is not None and version.pk == current.pk),
    }
    if version is None:
        # Only before the first publication: the live text, marked as not yet published.
        context |= {
            "content": mark_safe(notice_render(language=lang)),  # noqa: S308  (autoescaped template)
            "published_on": timezone.localdate(),
            "other_url": reverse("privacy:notice", kwargs={"lang": other}),
        }
    else:
        stored = version.content_fr if lang == "fr" else version.content_en
        context |= {
            # The stored text is the platform's own render of an autoescaped template.
            "content": mark_safe(stored),  # noqa: S308
            "published_on": timezone.localdate(version.published_at),
            "summary": version.summary,
            "other_url": reverse(
                "privacy:notice-version", kwargs={"version": version.version, "lang": other}
            ),
            "current_url": reverse("privacy:notice", kwargs={"lang": lang}),
        }
        if context["is_current"]:
            context["other_url"] = reverse("privacy:notice", kwargs={"lang": other})
    response = render(request, "privacy/notice/page.html", context)
    response.headers["Content-Language"] = lang
    return response


@require_safe
def notice_page(request: HttpRequest, lang: str | None = None) -> HttpResponse:
    """Show the notice in force, in ``lang`` or the visitor's language."""
    current = selectors.notice_version_current()
    return _show(request, lang=lang or _visitor_language(request), version=current, current=current)


@require_safe
def notice_version(request: HttpRequest, version: str, lang: str | None = None) -> HttpResponse:
    """Show one published version exactly as it was published."""
    found = notice_version_get(version=version) if VERSION.match(version) else None
    if found is None:
        raise Http404("No version of the notice has this date.")
    current = selectors.notice_version_current()
    return _show(request, lang=lang or _visitor_language(request), version=found, current=current)


@require_safe
def notice_versions(request: HttpRequest) -> HttpResponse:
    versions = notice_version_list()
    return render(request, "privacy/notice/versions.html", {"versions": versions})


@require_POST
def notice_seen(request: HttpRequest) -> HttpResponse:
    """Remember in a strictly necessary cookie that the visitor saw the banner's version."""
    version = request.POST.get("version", "")
    if not VERSION.match(version):
        return HttpResponseBadRequest("Unknown version of the notice.", content_type="text/plain")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("privacy:notice")
    response = HttpResponse("") if getattr(request, "htmx", False) else redirect(target)
    response.set_cookie(
        COOKIE_NAME,
        version,
        max_age=COOKIE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response
