"""The staff layout's navigation (``platform.staff``)."""

from __future__ import annotations

from typing import Any

from django import template

from recommerce.platform.staff import StaffPage, staff_pages_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_pages(context: dict[str, Any]) -> list[tuple[StaffPage, str]]:
    """Return the staff pages the signed-in person may open, with their addresses."""
    request = context.get("request")
    return staff_pages_for(getattr(request, "user", None))
