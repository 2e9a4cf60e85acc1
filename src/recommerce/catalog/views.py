"""Storefront pages: home, category listing and search results."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails

from recommerce.catalog import selectors
from recommerce.catalog.search import SORTS, SearchQueryError, search, search_query_from_params

# The filters offered as checkboxes, in the order the sidebar shows them.
FACET_GROUPS = (("brand", "Brand"), ("grade", "Condition"), ("storage", "Storage"))


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def home(request: HttpRequest) -> HttpResponse:
    categories = selectors.category_list_top()
    return render(
        request,
        "catalog/home.html",
        {
            "categories": categories,
            "popular": selectors.listings_popular(limit=8),
        },
    )


def _results(
    request: HtmxHttpRequest, template: str, context: dict[str, object], category: str = ""
) -> HttpResponse:
    context.update(sorts=SORTS, facet_groups=FACET_GROUPS)
    # A history restore asks for the whole page even though htmx sends it.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    try:
        query = search_query_from_params(dict(request.GET.lists()), category=category)
        result = search(query)
    except SearchQueryError as error:
        context.update(error=error)
        status = 400
    else:
        context.update(result=result, query=query)
        status = 200
    if partial:
        response = render(request, "catalog/_results.html", context, status=status)
    else:
        response = render(request, template, context, status=status)
    # The same URL answers with a fragment or a whole page depending on this header.
    patch_vary_headers(response, ["HX-Request"])
    return response


def search_page(request: HtmxHttpRequest) -> HttpResponse:
    return _results(request, "catalog/search.html", {"q": request.GET.get("q", "").strip()})


def category_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_get(slug=slug)
    if category is None:
        raise Http404("No such category.")
    return _results(request, "catalog/category.html", {"category": category}, category=slug)
