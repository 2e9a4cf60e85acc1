"""The catalog search service: text, facets, sorting and pagination over listings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from recommerce.catalog.models import GRADES, Brand, Category, Listing, storage_label
from recommerce.catalog.search.backends import current_backend
from recommerce.catalog.search.query import SearchQuery, SearchQueryError
from recommerce.catalog.search.terms import Term, query_terms
from recommerce.platform.money import format_money
from recommerce.platform.versions import version_bump, version_get

# Price facet buckets, in minor units: [low, high)
PRICE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 100_00),
    (100_00, 200_00),
    (200_00, 400_00),
    (400_00, 700_00),
    (700_00, None),
)
GRADE_LABELS = {g: g.capitalize() for g in GRADES}
_VERSION_NAME = "catalog-listings"


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: SearchQuery
    items: list[Listing]
    total: int
    facets: dict[str, list[FacetValue]]
    terms: list[Term] = field(default_factory=list)
    backend: str = ""
    # Identifies the facet counts; pages key fragments drawn from them on it.
    facets_key: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def corrected_query(self) -> str:
        """Return the query as searched when a word was corrected, else ""."""
        if not any(t.corrected_from for t in self.terms):
            return ""
        return " ".join(t.text for t in self.terms)


def listings_changed() -> None:
    """Retire every cached piece built on listings: results, facets, product pages.

    Seen by every process at once, and again at commit (``platform.versions``).
    """
    version_bump(_VERSION_NAME)


def listings_version() -> int:
    """Return a number that changes whenever listings change (for cache keys)."""
    return version_get(_VERSION_NAME)


Clause = tuple[str, list[Any]]


CATEGORY_TREE_SECONDS = 300


def _category_tree() -> list[tuple[int, str, int | None]]:
    """Return every category as (id, slug, parent id); a small table read on every listing."""
    key = f"catalog:category-tree:{listings_version()}"
    tree: list[tuple[int, str, int | None]] | None = cache.get(key)
    if tree is None:
        tree = list(Category.objects.values_list("id", "slug", "parent_id"))
        cache.set(key, tree, CATEGORY_TREE_SECONDS)
    return tree


def _category_ids(slug: str) -> list[int]:
    categories = _category_tree()
    root = next((c for c in categories if c[1] == slug), None)
    if root is None:
        raise SearchQueryError("category", f"Unknown category {slug!r}.")
    ids, frontier = [root[0]], [root[0]]
    while frontier:
        frontier = [c[0] for c in categories if c[2] in frontier]
        ids += frontier
    return ids


def _brand_ids(slugs: tuple[str, ...]) -> list[int]:
    found = dict(Brand.objects.filter(slug__in=slugs).values_list("slug", "id"))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise SearchQueryError("brand", f"Unknown brand {missing[0]!r}.")
    return list(found.values())


def _in(column: str, values: list[Any]) -> Clause:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


TERMS_SECONDS = 300


def _cached_terms(q: str, backend: Any) -> list[Term]:
    """Return ``query_terms`` for ``q``, cached: shoppers type the same searches again.

    Keyed on the listings' version; a vocabulary rebuild shows within a few minutes.
    """
    source = repr((q, backend.name, listings_version()))
    key = "catalog:terms:" + hashlib.sha256(source.encode()).hexdigest()
    terms: list[Term] | None = cache.get(key)
    if terms is None:
        terms = query_terms(q, backend)
        cache.set(key, terms, TERMS_SECONDS)
    return terms


class _Plan:
    """The SQL pieces of one query, with each facet's own filter kept apart."""

    def __init__(self, query: SearchQuery) -> None:
        self.query = query
        self.backend = current_backend()
        self.terms = _cached_terms(query.q, self.backend) if query.q.strip() else []
        self.join = ""
        self.clauses: dict[str, Clause] = {"base": ("l.price_from IS NOT NULL", [])}
        self.rank: Clause | None = None
        if self.terms:
            match = self.backend.match(self.terms)
            self.join = match.join
            self.clauses["text"] = (match.where, match.params)
            self.rank = (match.rank, match.rank_params)
        if query.category:
            self.clauses["category"] = _in("l.category_id", _category_ids(query.category))
        if query.brands:
            self.clauses["brand"] = _in("l.brand_id", _brand_ids(query.brands))
        if query.storage:
            self.clauses["storage"] = _in("l.storage_gb", list(query.storage))
        grade_columns = [f"l.price_{g}" for g in query.grades]
        self.price_expr = self.backend.least(grade_columns) if grade_columns else "l.price_from"
        if grade_columns:
            self.clauses["grade"] = (
                "(" + " OR ".join(f"{c} IS NOT NULL" for c in grade_columns) + ")",
                [],
            )
        price = self.price_range(self.price_expr)
        if price:
            self.clauses["price"] = price

    def price_range(self, expr: str) -> Clause | None:
        parts, params = [], []
        if self.query.price_min is not None:
            parts.append(f"{expr} >= %s")
            params.append(self.query.price_min)
        if self.query.price_max is not None:
            parts.append(f"{expr} <= %s")
            params.append(self.query.price_max)
        return (" AND ".join(parts), params) if parts else None

    def where(self, *, without: str = "") -> Clause:
        chosen = [c for name, c in self.clauses.items() if name != without]
        return " AND ".join(f"({sql})" for sql, _ in chosen), [p for _, ps in chosen for p in ps]

    def from_(self) -> str:
        return f"catalog_listing l {self.join}"

    def order_by(self) -> Clause:
        sort = self.query.effective_sort
        if sort == "relevance" and self.rank:
            return f"{self.rank[0]}, l.popularity DESC, l.variant_id", list(self.rank[1])
        return {
            "price_asc": (f"{self.price_expr} ASC, l.popularity DESC, l.variant_id", []),
            "price_desc": (f"{self.price_expr} DESC, l.popularity DESC, l.variant_id", []),
            "newest": ("l.release_year DESC, l.popularity DESC, l.variant_id", []),
        }.get(sort, ("l.popularity DESC, l.variant_id", []))


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _group_counts(plan: _Plan, facet: str, column: str) -> dict[Any, int]:
    where, params = plan.where(without=facet)
    rows = _fetch(
        f"SELECT {column}, COUNT(*) FROM {plan.from_()} WHERE {where} GROUP BY {column}", params
    )
    return {value: count for value, count in rows if value is not None}


def _facets(plan: _Plan) -> tuple[int, dict[str, list[FacetValue]]]:
    query = plan.query
    where, params = plan.where()
    total = _fetch(f"SELECT COUNT(*) FROM {plan.from_()} WHERE {where}", params)[0][0]

    category_counts = _group_counts(plan, "category", "l.category_id")
    categories = Category.objects.filter(pk__in=category_counts).values_list("pk", "slug", "name")
    brand_counts = _group_counts(plan, "brand", "l.brand_id")
    brands = Brand.objects.filter(pk__in=brand_counts).values_list("pk", "slug", "name")
    storage_counts = _group_counts(plan, "storage", "l.storage_gb")

    grade_sql, grade_params = [], []
    for grade in GRADES:
        condition, condition_params = f"l.price_{grade} IS NOT NULL", []
        price = plan.price_range(f"l.price_{grade}")
        if price:
            condition += f" AND {price[0]}"
            condition_params = price[1]
        grade_sql.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        grade_params += condition_params
    where_g, params_g = plan.where(without="grade")
    grade_counts = _fetch(
        f"SELECT {', '.join(grade_sql)} FROM {plan.from_()} WHERE {where_g}",
        grade_params + params_g,
    )[0]

    bucket_cases = " ".join(
        f"WHEN {plan.price_expr} < {high} THEN {i}"
        for i, (_, high) in enumerate(PRICE_BUCKETS)
        if high is not None
    )
    price_counts = _group_counts(
        plan, "price", f"CASE {bucket_cases} ELSE {len(PRICE_BUCKETS) - 1} END"
    )

    def bucket_label(low: int, high: int | None) -> str:
        def money(minor: int) -> str:
            return format_money(minor, drop_zero_minor=True)

        if high is None:
            return f"{money(low)} and more"
        if low == 0:
            return f"Under {money(high)}"
        return f"{money(low)} to {money(high)}"

    facets = {
        "category": sorted(
            (
                FacetValue(slug, name, category_counts[pk], slug == query.category)
                for pk, slug, name in categories
            ),
            key=lambda f: (-f.count, f.label),
        ),
        "brand": sorted(
            (
                FacetValue(slug, name, brand_counts[pk], slug in query.brands)
                for pk, slug, name in brands
            ),
            key=lambda f: (-f.count, f.label),
        ),
        "grade": [
            FacetValue(g, GRADE_LABELS[g], int(grade_counts[i] or 0), g in query.grades)
            for i, g in enumerate(GRADES)
            if grade_counts[i]
        ],
        "storage": [
            FacetValue(str(gb), storage_label(gb), n, gb in query.storage)
            for gb, n in sorted(storage_counts.items())
        ],
        "price": [
            FacetValue(
                f"{low}-{high if high is not None else ''}",
                bucket_label(low, high),
                price_counts.get(i, 0),
                query.price_min == low and query.price_max == (high - 1 if high else None),
            )
            for i, (low, high) in enumerate(PRICE_BUCKETS)
            if price_counts.get(i)
        ],
    }
    return total, facets


def search(query: SearchQuery) -> SearchResult:
    """Return one page of listings matching ``query``, with facet counts.

    Raises SearchQueryError when the query names an unknown category or brand.
    """
    plan = _Plan(query)
    key_source = repr((query.without_paging(), plan.terms, plan.backend.name, listings_version()))
    cache_key = "catalog:facets:" + hashlib.sha256(key_source.encode()).hexdigest()
    cached = cache.get(cache_key)
    if cached is None:
        cached = _facets(plan)
        cache.set(cache_key, cached, settings.CATALOG_FACET_CACHE_SECONDS)
    total, facets = cached

    # A page of results is cached like its facets: the same pages are asked for again and
    # again (a category's first page, a popular search), and listings change far less often.
    page_key = f"{cache_key}:{query.sort}:{query.page}:{query.per_page}"
    items: list[Listing] | None = cache.get(page_key)
    if items is None:
        where, params = plan.where()
        order, order_params = plan.order_by()
        offset = (query.page - 1) * query.per_page
        columns = ", ".join(f"l.{f.column}" for f in Listing._meta.concrete_fields)
        # The price sorted and filtered on is the price each card shows (Listing.shown_price).
        sql = (
            f"SELECT {columns}, {plan.price_expr} AS shown_price_minor FROM {plan.from_()} "
            f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s"
        )
        items = list(Listing.objects.raw(sql, [*params, *order_params, query.per_page, offset]))
        for item in items:
            item.shown_grades = query.grades
        cache.set(page_key, items, settings.CATALOG_FACET_CACHE_SECONDS)
    return SearchResult(
        query=query,
        items=items,
        total=total,
        facets=facets,
        terms=plan.terms,
        backend=plan.backend.name,
        facets_key=cache_key,
    )
