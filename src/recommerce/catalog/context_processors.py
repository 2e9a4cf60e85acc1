from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from recommerce.catalog.selectors import category_list_nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Give every page the category menu, read only by pages that show it."""
    return {"nav_categories": SimpleLazyObject(category_list_nav)}
