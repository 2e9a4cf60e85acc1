"""Filters and tags for the storefront templates: money, percentages and facet links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from babel.numbers import format_percent, get_currency_symbol
from django import template
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from recommerce.platform.money import format_money, minor_exponent, without_vat

register = template.Library()

# Icons drawn in platform/icons.svg; anything else falls back to a generic device.
ICONS = frozenset(
    {
        "smartphones",
        "laptops",
        "tablets",
        "smartwatches",
        "consoles",
        "audio",
        "desktops",
        "cameras",
        "e-readers",
    }
)


def _locale() -> str:
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


@register.filter
def money(minor: int | None, currency: str | None = None) -> str:
    """Format an amount in minor units, e.g. ``{{ offer.price_minor|money:offer.currency }}``."""
    if minor is None:
        return ""
    return format_money(int(minor), currency or None)


@register.filter
def net_of_vat(minor: int | None, rate_bp: int | None) -> int | None:
    """Show a VAT-inclusive amount without VAT when ``rate_bp`` is set (business buyers)."""
    if minor is None or not rate_bp:
        return minor
    return without_vat(int(minor), int(rate_bp))


@register.filter
def basis_points_percent(value: int | None) -> str:
    """Show basis points (0-10000) as a whole percentage, e.g. 8734 -> "87%"."""
    if value is None:
        return ""
    return str(format_percent(Decimal(int(value)) / 10_000, locale=settings.DEFAULT_LOCALE))


@register.filter
def country_name(code: str) -> str:
    """Return the name of an ISO 3166-1 alpha-2 country in the active language."""
    if not code:
        return ""
    try:
        names = Locale.parse(_locale()).territories
    except (UnknownLocaleError, ValueError):
        return code
    return str(names.get(code.upper(), code))


@register.filter
def currency_symbol(code: str) -> str:
    """Return the symbol shoppers know a currency by, e.g. "EUR" -> "€"."""
    return str(get_currency_symbol(code, locale=settings.DEFAULT_LOCALE)) if code else ""


@register.filter
def media_url(name: str) -> str:
    """Return the public URL of a stored file's name ("" for none)."""
    return default_storage.url(name) if name else ""


@register.filter
def icon_name(name: str) -> str:
    """Return ``name`` when the icon sheet draws it, else the generic device icon."""
    return name if name in ICONS else "device"


def _request(context: template.Context) -> HttpRequest:
    request = context.get("request")
    if not isinstance(request, HttpRequest):
        raise template.TemplateSyntaxError("The storefront tags need the request in context.")
    return request


def _split(params: QueryDict, name: str) -> list[str]:
    """Return a parameter's values, whether repeated or comma-separated."""
    found: list[str] = []
    for value in params.getlist(name):
        found += [v.strip() for v in value.split(",") if v.strip()]
    return found


def _encode(params: QueryDict) -> str:
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def toggle_url(context: template.Context, name: str, value: str, single: bool = False) -> str:
    """Return the current query string with ``value`` of ``name`` switched on or off.

    Other parameters are kept; the page number is dropped because the result set changes.
    ``single`` replaces the parameter instead of adding to it (one category at a time).
    """
    params = _request(context).GET.copy()
    values = _split(params, name)
    if value in values:
        values.remove(value)
    elif single:
        values = [value]
    else:
        values.append(value)
    params.setlist(name, values)
    params.pop("page", None)
    return _encode(params)


def _major(minor: int) -> str:
    amount = Decimal(minor).scaleb(-minor_exponent(settings.DEFAULT_CURRENCY))
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount)


@register.simple_tag(takes_context=True)
def price_bucket_url(context: template.Context, bucket: str, selected: bool = False) -> str:
    """Return the query string selecting (or clearing) a price facet bucket.

    Buckets read "low-high" in minor units, high excluded and possibly empty; the search
    takes an inclusive range in major units, so the upper bound becomes high minus one
    minor unit (e.g. "10000-20000" -> price_min=100, price_max=199.99).
    """
    params = _request(context).GET.copy()
    params.pop("page", None)
    params.pop("price_min", None)
    params.pop("price_max", None)
    if not selected:
        low, _, high = bucket.partition("-")
        params["price_min"] = _major(int(low))
        if high:
            params["price_max"] = _major(int(high) - 1)
    return _encode(params)


@register.simple_tag(takes_context=True)
def kept_params(context: template.Context, *exclude: str) -> str:
    """Return the current query string without ``exclude`` and the page, or "".

    Meant to follow another path, e.g. a link to a sibling category keeping the filters.
    """
    params = _request(context).GET.copy()
    for name in (*exclude, "page"):
        params.pop(name, None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag(takes_context=True)
def drop_params(context: template.Context, *names: str) -> str:
    """Return the current query string without ``names`` and the page, for a link to here."""
    params = _request(context).GET.copy()
    for name in (*names, "page"):
        params.pop(name, None)
    return _encode(params)


@register.simple_tag(takes_context=True)
def hidden_params(context: template.Context, *exclude: str) -> SafeString:
    """Render hidden inputs carrying the current parameters, so a form keeps the filters."""
    params = _request(context).GET
    skip = {*exclude, "page"}
    pairs = [
        (name, value) for name, values in params.lists() if name not in skip for value in values
    ]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.simple_tag(takes_context=True)
def filter_count(context: template.Context, *names: str) -> int:
    """Return how many filter values the current parameters apply among ``names``.

    "price" stands for the price range (price_min and price_max), which counts once.
    """
    params = _request(context).GET
    count = 0
    for name in names:
        if name == "price":
            count += 1 if _split(params, "price_min") or _split(params, "price_max") else 0
        else:
            count += len(_split(params, name))
    return count


@register.simple_tag
def page_window(current: int, pages: int, around: int = 2) -> list[int | None]:
    """Return the page numbers to show, with None where a gap is elided.

    The first and last page stay reachable; ``around`` pages either side of the current one.
    """
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and window[-1] is not None and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


@register.filter
def first_selected(values: Any) -> Any:
    """Return the first selected facet value of a list, or None."""
    return next((v for v in values or () if getattr(v, "selected", False)), None)


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """Look a key up in a mapping from a template, where the key is a variable."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


# Pages a person signs in from without wanting to come back to them afterwards.
_NO_RETURN_PREFIXES = (
    "/account/login/",
    "/account/signup/",
    "/account/logout/",
    "/account/password/",
)


@register.simple_tag(takes_context=True)
def sign_in_url(context: template.Context) -> str:
    """Return the sign-in page's address, with ``next`` set to the page shown now.

    allauth follows ``next`` after signing in only to a same-site address; the sign-in and
    sign-up pages themselves are left out so a person never returns to them.
    """
    url = reverse("account_login")
    request = context.get("request")
    if request is None or request.method != "GET":
        return url
    here = request.get_full_path()
    if here == "/" or here.startswith(_NO_RETURN_PREFIXES):
        return url
    return f"{url}?{urlencode({'next': here})}"
