"""The staff tools' shared navigation: each app adds its own pages (like ``admin.py``).

Platform knows no app: an app's ``AppConfig.ready`` calls ``staff_page_add`` for each of its
staff pages, with the permission that opens it, and the staff layout
(``platform/staff/_layout.html``) shows each person the pages their role opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse


@dataclass(frozen=True, slots=True)
class StaffPage:
    """One entry of the staff navigation."""

    label: str
    url_name: str
    permission: str  # "" for every staff member
    order: int


_pages: dict[str, StaffPage] = {}


def staff_page_add(*, label: str, url_name: str, permission: str = "", order: int) -> None:
    """Add a page to the staff navigation (again with the same ``url_name``: replaced)."""
    _pages[url_name] = StaffPage(label, url_name, permission, order)


def staff_pages_for(user: Any) -> list[tuple[StaffPage, str]]:
    """Return the pages ``user`` may open, in order, each with its address."""
    if not getattr(user, "is_staff", False):
        return []
    return [
        (page, reverse(page.url_name))
        for page in sorted(_pages.values(), key=lambda page: (page.order, page.label))
        if not page.permission or user.has_perm(page.permission)
    ]


View = Callable[..., HttpResponse]


def staff_only(permission: str) -> Callable[[View], View]:
    """Let in signed-in staff holding ``permission``: other staff get 403, others 404."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_staff:
                raise Http404("No such page.")
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
