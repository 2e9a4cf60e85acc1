"""The catalog search service (one interface, a backend per database)."""

from recommerce.catalog.search.engine import (
    FacetValue,
    SearchResult,
    listings_changed,
    search,
)
from recommerce.catalog.search.query import (
    SORTS,
    SearchQuery,
    SearchQueryError,
    search_query_from_params,
)

__all__ = [
    "SORTS",
    "FacetValue",
    "SearchQuery",
    "SearchQueryError",
    "SearchResult",
    "listings_changed",
    "search",
    "search_query_from_params",
]
