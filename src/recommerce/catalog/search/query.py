"""The search request: parsed and validated from URL parameters by one function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from recommerce.catalog.models import GRADES
from recommerce.platform.money import parse_major

SORTS: dict[str, str] = {
    "relevance": "Relevance",
    "popular": "Most popular",
    "price_asc": "Price: low to high",
    "price_desc": "Price: high to low",
    "newest": "Newest models",
}
MAX_QUERY_LENGTH = 200
MAX_PAGE = 1000
MAX_PER_PAGE = 100


class SearchQueryError(ValueError):
    """A parameter could not be understood; ``field`` names it for the form or the API."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    category: str = ""
    brands: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    storage: tuple[int, ...] = ()
    price_min: int | None = None
    price_max: int | None = None
    sort: str = ""
    page: int = 1
    per_page: int = 24
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "popular"

    def without_paging(self) -> SearchQuery:
        return replace(self, page=1, sort="")


def _one(params: Mapping[str, Sequence[str]], name: str) -> str:
    values = params.get(name) or []
    return values[-1].strip() if values else ""


def _many(params: Mapping[str, Sequence[str]], name: str) -> list[str]:
    found: list[str] = []
    for value in params.get(name) or []:
        found += [v.strip() for v in value.split(",") if v.strip()]
    return found


def _positive_int(raw: str, name: str, label: str, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SearchQueryError(name, f"{label} must be a whole number, not {raw!r}.") from None
    if not 1 <= value <= maximum:
        raise SearchQueryError(name, f"{label} must be between 1 and {maximum}.")
    return value


def _price(raw: str, name: str, label: str) -> int | None:
    if not raw:
        return None
    try:
        return parse_major(raw)
    except ValueError as error:
        raise SearchQueryError(name, f"{label}: {error}") from None


def search_query_from_params(
    params: Mapping[str, Sequence[str]], *, per_page: int = 24, category: str = ""
) -> SearchQuery:
    """Build a SearchQuery from request parameters, or raise SearchQueryError.

    Accepted: ``q``, ``category``, ``brand`` and ``grade`` and ``storage`` (repeated or
    comma-separated), ``price_min`` and ``price_max`` (major units, e.g. 199.99), ``sort``,
    ``page``, ``per_page``.
    """
    q = _one(params, "q")
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchQueryError("q", f"The search text is limited to {MAX_QUERY_LENGTH} characters.")
    grades = _many(params, "grade")
    for grade in grades:
        if grade not in GRADES:
            raise SearchQueryError(
                "grade", f"Unknown grade {grade!r}; choose from {', '.join(GRADES)}."
            )
    storage: list[int] = []
    for raw in _many(params, "storage"):
        storage.append(_positive_int(raw, "storage", "Storage (GB)", 1_000_000))
    price_min = _price(_one(params, "price_min"), "price_min", "Minimum price")
    price_max = _price(_one(params, "price_max"), "price_max", "Maximum price")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise SearchQueryError("price_max", "The maximum price is below the minimum price.")
    sort = _one(params, "sort")
    if sort and sort not in SORTS:
        raise SearchQueryError("sort", f"Unknown sort {sort!r}; choose from {', '.join(SORTS)}.")
    page_raw = _one(params, "page")
    page = _positive_int(page_raw, "page", "Page", MAX_PAGE) if page_raw else 1
    per_page_raw = _one(params, "per_page")
    if per_page_raw:
        per_page = _positive_int(per_page_raw, "per_page", "Results per page", MAX_PER_PAGE)
    return SearchQuery(
        q=q,
        category=category or _one(params, "category"),
        brands=tuple(sorted(set(_many(params, "brand")))),
        grades=tuple(g for g in GRADES if g in grades),
        storage=tuple(sorted(set(storage))),
        price_min=price_min,
        price_max=price_max,
        sort=sort,
        page=page,
        per_page=per_page,
    )
