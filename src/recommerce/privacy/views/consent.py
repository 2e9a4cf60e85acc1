"""Cookie and tracking choices (CONSENT-1 to CONSENT-3): the banner's answers, the cookie
settings page, the GPC endpoint a script calls, the US "Do Not Sell or Share" page, and
``/.well-known/gpc.json``.

Every form works without JavaScript (a POST, then a redirect to a same-site ``next``);
``consent.js`` sends the same forms with ``fetch`` and asks for JSON instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recommerce.privacy.consent import (
    ADVERTISING,
    CATEGORY_INFO,
    COOKIES,
    NECESSARY,
    OPTIONAL,
    consent_of,
)
from recommerce.privacy.consent.cookie import cookie_read
from recommerce.privacy.consent.forms import CookieSettingsForm
from recommerce.privacy.consent.web import (
    choice_json,
    choice_save,
    cookie_store,
    referer_path,
    safe_next,
    signed_in,
    us_visitor,
)
from recommerce.privacy.models import ConsentRecord
from recommerce.privacy.purposes import MARKETING_AUDIENCES
from recommerce.privacy.selectors import processing_allowed

Method = ConsentRecord.Method
# The day the site began to honour Global Privacy Control (/.well-known/gpc.json).
GPC_SINCE = "2026-11-23"
BANNER_ANSWERS = {"all": list(OPTIONAL), "none": []}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _settings_page(
    request: HttpRequest, form: CookieSettingsForm, *, error: str = "", status: int = 200
) -> HttpResponse:
    choice = consent_of(request)
    categories = [
        {
            "code": category,
            "field": form[category],
            "info": CATEGORY_INFO[category],
            "locked_off": category == ADVERTISING and choice.gpc,
        }
        for category in OPTIONAL
    ]
    allowed = [CATEGORY_INFO[c].title for c in OPTIONAL if choice.allows(c)]
    return render(
        request,
        "privacy/consent/settings.html",
        {
            "choice": choice,
            "allowed_titles": allowed,
            "necessary": CATEGORY_INFO[NECESSARY],
            "categories": categories,
            "cookies": [(cookie, CATEGORY_INFO[cookie.category].title) for cookie in COOKIES],
            # Back to the page the visitor came from once saved (never the settings page).
            "next": safe_next(request, _came_from(request), ""),
            "error": error,
            "us_visitor": us_visitor(request),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cookies(request: HttpRequest) -> HttpResponse:
    """Show and change the cookie choices (the footer's "Cookie settings" on every page)."""
    choice = consent_of(request)
    form = CookieSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={category: choice.allows(category) for category in OPTIONAL},
    )
    if not form.is_bound:
        return _settings_page(request, form)
    if not form.is_valid():
        return _settings_page(request, form, error="These choices could not be read.", status=400)
    saved = choice_save(request, categories=form.categories(), method=Method.SETTINGS)
    if _wants_json(request):
        response: HttpResponse = JsonResponse(choice_json(saved.choice))
    elif next_url := safe_next(request, request.POST.get("next"), ""):
        response = redirect(next_url)
    else:
        messages.success(request, "Your cookie choices are saved.")
        response = redirect("privacy:cookies")
    cookie_store(response, saved)
    return response


def _came_from(request: HttpRequest) -> str:
    """Return where to go once saved: back to the page the banner was on, if it sent us."""
    given = request.POST.get("next") or request.GET.get("next")
    if given is not None:
        return given
    back = referer_path(request) if request.GET.get("return") else ""
    return "" if back.startswith(request.path) else back


@require_POST
def cookies_banner(request: HttpRequest) -> HttpResponse:
    """Take the banner's "Accept all" or "Reject all"."""
    answer = request.POST.get("choice", "")
    if answer not in BANNER_ANSWERS:
        message = "Choose “Accept all” or “Reject all”, or pick categories below."
        if _wants_json(request):
            return JsonResponse({"detail": message}, status=400)
        return _settings_page(request, CookieSettingsForm(), error=message, status=400)
    saved = choice_save(request, categories=BANNER_ANSWERS[answer], method=Method.BANNER)
    if _wants_json(request):
        response: HttpResponse = JsonResponse(choice_json(saved.choice))
    else:
        back = request.POST.get("next") or referer_path(request)
        response = redirect(safe_next(request, back))
    cookie_store(response, saved)
    return response


@require_POST
def cookies_gpc(request: HttpRequest) -> HttpResponse:
    """Record the browser's Global Privacy Control as an opt-out (called by consent.js).

    Nothing happens when the stored choice already keeps advertising off.
    """
    stored = cookie_read(request).choice
    if not (stored.decided and ADVERTISING in stored.categories):
        return JsonResponse({"recorded": False, **choice_json(consent_of(request))})
    saved = choice_save(request, categories=sorted(stored.categories), method=Method.GPC)
    response = JsonResponse({"recorded": True, **choice_json(saved.choice)})
    cookie_store(response, saved)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request: HttpRequest) -> HttpResponse:
    """Explain that the platform never sells data, and opt out of sharing (CONSENT-3)."""
    choice = consent_of(request)
    if request.method == "POST":
        kept = sorted(choice.categories) if choice.decided else []
        saved = choice_save(request, categories=kept, method=Method.OPT_OUT)
        messages.success(
            request,
            "You have opted out: your data is not shared for cross-context behavioural "
            "advertising.",
        )
        response = redirect("privacy:opt-out")
        cookie_store(response, saved)
        return response
    user = signed_in(request)
    objected = user is not None and not processing_allowed(user=user, purpose=MARKETING_AUDIENCES)
    return render(
        request,
        "privacy/consent/opt_out.html",
        {
            "choice": choice,
            "opted_out": choice.gpc
            or objected
            or (choice.decided and not choice.allows(ADVERTISING)),
            "objected": objected,
        },
    )


@require_safe
@cache_control(public=True, max_age=24 * 60 * 60)
def gpc_json(request: HttpRequest) -> JsonResponse:
    """Declare that the site honours Global Privacy Control (the GPC specification's file)."""
    return JsonResponse({"gpc": True, "lastUpdate": GPC_SINCE})
