"""Full-text backends: SQLite FTS5 and PostgreSQL tsvector + pg_trgm.

A backend answers two questions for the engine: how to restrict and rank listings by
the query terms (an SQL join, a condition and a rank expression), and how to correct a
word that is not in the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Max

from recommerce.catalog.search import terms as term_utils
from recommerce.catalog.search.terms import Term


@dataclass(frozen=True)
class TextMatch:
    join: str
    where: str
    params: list[Any]
    rank: str  # an SQL expression; lower sorts first
    rank_params: list[Any]


class SqliteBackend:
    """FTS5 over an external-content table kept in sync by triggers (see migration 0002)."""

    name = "sqlite-fts5"

    @staticmethod
    def least(columns: list[str]) -> str:
        if len(columns) == 1:
            return columns[0]
        # SQLite's scalar min() returns NULL when any argument is NULL.
        return "min(" + ", ".join(f"coalesce({c}, 9223372036854775807)" for c in columns) + ")"

    _vocabulary: tuple[tuple[int, int | None], list[tuple[str, int]]] | None = None

    def match(self, terms: list[Term]) -> TextMatch:
        expression = " AND ".join(f'"{t.text}"' + ("*" if t.prefix else "") for t in terms)
        return TextMatch(
            join="JOIN catalog_listing_fts ON catalog_listing_fts.rowid = l.variant_id",
            where="catalog_listing_fts MATCH %s",
            params=[expression],
            rank="bm25(catalog_listing_fts, 8.0, 1.0)",
            rank_params=[],
        )

    def known(self, candidates: list[str]) -> set[str]:
        return term_utils.known_terms(candidates)

    def prefixes(self, candidates: list[str]) -> set[str]:
        return term_utils.prefix_terms(candidates)

    def correct(self, word: str) -> str | None:
        return term_utils.closest_python(word, self._load_vocabulary())

    def _load_vocabulary(self) -> list[tuple[str, int]]:
        # Every rebuild inserts fresh rows, so (count, highest id) identifies the vocabulary
        # across processes, whichever cache backend is configured.
        from recommerce.catalog.models import SearchTerm

        stamp = SearchTerm.objects.aggregate(n=Count("id"), last=Max("id"))
        version = (stamp["n"], stamp["last"])
        cached = SqliteBackend._vocabulary
        if cached is None or cached[0] != version:
            rows = list(SearchTerm.objects.values_list("term", "frequency"))
            SqliteBackend._vocabulary = cached = (version, rows)
        return cached[1]


class PostgresBackend:
    """A generated, GIN-indexed tsvector column; pg_trgm proposes corrections."""

    name = "postgresql-fts"

    @staticmethod
    def least(columns: list[str]) -> str:
        return columns[0] if len(columns) == 1 else "LEAST(" + ", ".join(columns) + ")"

    def match(self, terms: list[Term]) -> TextMatch:
        expression = " & ".join(t.text + (":*" if t.prefix else "") for t in terms)
        return TextMatch(
            join="",
            where="l.search_vector @@ to_tsquery('simple', %s)",
            params=[expression],
            rank="-ts_rank_cd(l.search_vector, to_tsquery('simple', %s))",
            rank_params=[expression],
        )

    def known(self, candidates: list[str]) -> set[str]:
        return term_utils.known_terms(candidates)

    def prefixes(self, candidates: list[str]) -> set[str]:
        return term_utils.prefix_terms(candidates)

    def correct(self, word: str) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, frequency FROM catalog_searchterm WHERE term %% %s "
                "ORDER BY similarity(term, %s) DESC, frequency DESC LIMIT 20",
                [word, word],
            )
            candidates = [(row[0], row[1]) for row in cursor.fetchall()]
        return term_utils.closest_python(word, candidates)


def current_backend() -> SqliteBackend | PostgresBackend:
    """Return the backend for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise RuntimeError(f"No catalog search backend for {connection.vendor}.")
