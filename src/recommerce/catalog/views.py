"""Storefront pages: home, category listing and search results."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from recommerce.catalog import selectors
from recommerce.catalog.search import SORTS, SearchQueryError, search, search_query_from_params


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/home.html",
        {
            "categories": selectors.category_list_top(),
            "popular": selectors.listings_popular(limit=8),
        },
    )


def _results(
    request: HttpRequest, template: str, context: dict[str, object], category: str = ""
) -> HttpResponse:
    try:
        query = search_query_from_params(dict(request.GET.lists()), category=category)
        result = search(query)
    except SearchQueryError as error:
        context.update(error=error, sorts=SORTS)
        return render(request, template, context, status=400)
    context.update(result=result, query=query, sorts=SORTS)
    if request.htmx:
        return render(request, "catalog/_results.html", context)
    return render(request, template, context)


def search_page(request: HttpRequest) -> HttpResponse:
    return _results(request, "catalog/search.html", {"q": request.GET.get("q", "")})


def category_page(request: HttpRequest, slug: str) -> HttpResponse:
    category = selectors.category_get(slug=slug)
    if category is None:
        raise Http404("No such category.")
    return _results(request, "catalog/category.html", {"category": category}, category=slug)
