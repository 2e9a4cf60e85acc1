"""Turning what a shopper typed into index terms, correcting typos against the vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from recommerce.catalog.models import SearchTerm
from recommerce.catalog.text import edit_distance, words

MAX_TERMS = 8


@dataclass(frozen=True, slots=True)
class Term:
    """One query word as the index will match it."""

    text: str
    prefix: bool = False
    corrected_from: str = ""


def allowed_distance(word: str) -> int:
    """Return how many edits a word of this length may be corrected by."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 5 else 2


def closest_python(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """Return the candidate nearest to ``word`` by edit distance, favouring frequent terms."""
    limit = allowed_distance(word)
    if limit == 0:
        return None
    best: tuple[int, int, str] | None = None
    for term, frequency in candidates:
        distance = edit_distance(word, term, limit)
        if distance <= limit:
            key = (distance, -frequency, term)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def query_terms(q: str, corrector: object) -> list[Term]:
    """Split ``q`` into terms; a word not in the vocabulary becomes a prefix or a correction.

    ``corrector`` is the backend: it answers ``known(words)``, ``prefixes(words)`` and
    ``correct(word)``.
    """
    raw = words(q)[:MAX_TERMS]
    if not raw:
        return []
    known: set[str] = corrector.known(raw)  # type: ignore[attr-defined]
    unknown = [w for w in raw if w not in known]
    prefixes: set[str] = corrector.prefixes(unknown) if unknown else set()  # type: ignore[attr-defined]
    terms: list[Term] = []
    for word in raw:
        if word in known:
            terms.append(Term(word))
        elif word in prefixes:
            terms.append(Term(word, prefix=True))
        else:
            fixed = corrector.correct(word)  # type: ignore[attr-defined]
            terms.append(Term(fixed, corrected_from=word) if fixed else Term(word))
    return terms


def known_terms(candidates: list[str]) -> set[str]:
    return set(SearchTerm.objects.filter(term__in=candidates).values_list("term", flat=True))


def prefix_terms(candidates: list[str]) -> set[str]:
    """Return the candidates (2+ characters) that begin some vocabulary term."""
    return {
        w
        for w in candidates
        if len(w) >= 2 and SearchTerm.objects.filter(term__startswith=w).exists()
    }
