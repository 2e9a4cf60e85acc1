"""The after-sales URLs that take an object identifier: pages and API operations.

The project-wide SEC-2 matrix (tests/accounts/test_isolation.py) leaves these to
tests/support/test_isolation.py, which requests each of them for every actor.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

SUPPORT_NAMESPACES = {"support", "seller_support", "staff_support"}


def _walk(patterns: list[Any], ns: tuple[str, ...] = ()) -> Any:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, (*ns, p.namespace) if p.namespace else ns)
        elif isinstance(p, URLPattern):
            yield p, ":".join((*ns, p.name or str(p.pattern)))


def _api_module(pattern: URLPattern) -> str:
    """Return the module of the function behind an API URL (a ninja ``PathView``)."""
    cells = getattr(pattern.callback, "__closure__", None) or ()
    for cell in cells:
        operations = getattr(cell.cell_contents, "operations", None)
        if operations:
            return str(getattr(operations[0].view_func, "__module__", ""))
    return ""


def support_object_keys() -> set[str]:
    """Return the keys (``namespace:name``) of after-sales URLs with a path parameter."""
    found = set()
    for pattern, key in _walk(get_resolver().url_patterns):
        if not pattern.pattern.regex.groups:
            continue
        namespace = key.split(":")[0]
        if namespace in SUPPORT_NAMESPACES or (
            namespace == "api-v1" and _api_module(pattern).startswith("recommerce.support.")
        ):
            found.add(key)
    return found
