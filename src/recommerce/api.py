"""The JSON API, version 1: each app contributes its router."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from recommerce.catalog.api import router as catalog_router
from recommerce.catalog.search import SearchQueryError
from recommerce.offers.api import router as offers_router

api = NinjaAPI(
    title="Recommerce API",
    version="1.0.0",
    description="Catalog, offers and search of the Recommerce marketplace.",
    urls_namespace="api-v1",
)
api.add_router("/", catalog_router)
api.add_router("/", offers_router)


@api.exception_handler(SearchQueryError)
def bad_search_query(request: HttpRequest, exc: SearchQueryError) -> HttpResponse:
    return api.create_response(
        request, {"detail": [{"loc": ["query", exc.field], "msg": exc.message}]}, status=400
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", "Invalid value.")} for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)
