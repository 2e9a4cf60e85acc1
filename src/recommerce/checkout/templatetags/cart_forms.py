"""The add-to-cart form, rendered fresh on every page so each copy has its own token."""

from __future__ import annotations

import secrets
from typing import Any

from django import template

register = template.Library()

FORM_ID = "cart-add"


@register.inclusion_tag("checkout/_cart_add_form.html")
def cart_add_form() -> dict[str, Any]:
    """Render the one add-to-cart form of a page, with a new one-time token.

    Buttons anywhere on the page, cached parts included, post through it with
    ``form="cart-add" name="offer" value="<offer id>"``; the token lives outside any cached
    fragment, so a reloaded page gets a new one while a reposted form keeps its own.
    """
    return {"form_id": FORM_ID, "token": secrets.token_urlsafe(16)}
