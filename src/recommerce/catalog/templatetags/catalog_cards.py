"""``{% listing_cards listings %}``: product cards, rendered once and then served from cache.

A card shows nothing but its listing's stored values, so its HTML is cached under a digest
of those values (and of the card template, the language and the VAT shown): any change to
the listing or the template gives a new key, and a stale card can never be served. All
cards of a page are fetched with one cache round trip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from recommerce.catalog.models import Listing

register = template.Library()

CARD_TEMPLATE = "catalog/_listing_card.html"
CARD_FIELDS = (
    "variant_id", "model_slug", "title", "subtitle", "image", "price_premium",
    "price_excellent", "price_good", "price_fair", "price_from", "shown_grades", "shown_price",
)  # fmt: skip
CARD_SECONDS = 24 * 3600


@lru_cache(maxsize=1)
def _template_digest() -> str:
    source = get_template(CARD_TEMPLATE).template.source  # type: ignore[attr-defined]
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def card_key(listing: Listing, vat_excluded_bp: int = 0) -> str:
    state = repr(
        (
            _template_digest(),
            translation.get_language(),
            vat_excluded_bp,
            *(getattr(listing, f) for f in CARD_FIELDS),
        )
    )
    return "catalog:card:" + hashlib.sha256(state.encode()).hexdigest()


@register.simple_tag(takes_context=True)
def listing_cards(context: template.Context, listings: Iterable[Listing]) -> SafeString:
    """Render each listing as ``<li>`` + card, reusing cached cards."""
    listings = list(listings)
    vat = int(context.get("vat_excluded_bp") or 0)  # business buyers see prices without VAT
    keys = [card_key(listing, vat) for listing in listings]
    found = cache.get_many(keys)
    missing: dict[str, str] = {}
    card = get_template(CARD_TEMPLATE)
    request = context.get("request")
    for key, listing in zip(keys, listings, strict=True):
        if key not in found:
            found[key] = missing[key] = card.render(
                {"listing": listing, "vat_excluded_bp": vat}, request
            )
    if missing:
        cache.set_many(missing, CARD_SECONDS)
    return format_html_join("", "<li>{}</li>", ((mark_safe(found[k]),) for k in keys))  # noqa: S308
