"""The suite never builds a result from the real calendar (hardening 5.10).

A test that takes today's date and changes its year breaks on 29 February; one that takes
this year from the clock breaks on New Year's Eve. Tests use fixed dates, the project's clock
under time-machine, or a plain offset from now, never these.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("tests", "e2e", "bench")

FRAGILE = {
    "a date changed field by field (no 29 February, no 31st in most months)": re.compile(
        r"(?:(?:today|now)\([^()]*\)|localdate\(\s*\))\s*\.replace\("
    ),
    "a year, month or day read from the real calendar": re.compile(
        r"(?:(?:today|now)\([^()]*\)|localdate\(\s*\))\s*\.(?:year|month|day)\b"
    ),
    "the real date (use a fixed date, or clock.today() under time-machine)": re.compile(
        r"\b(?:date|datetime)\.today\(\)"
    ),
    "the machine's local time, without a time zone": re.compile(r"\bdatetime\.now\(\)"),
}


def fragile_uses(text: str) -> list[tuple[int, str]]:
    """Return ``(line, reason)`` for each fragile use of the real date in ``text``."""
    found = []
    for reason, pattern in FRAGILE.items():
        for match in pattern.finditer(text):
            found.append((text.count("\n", 0, match.start()) + 1, reason))
    return sorted(found)


def test_the_suite_builds_no_result_from_the_real_calendar() -> None:
    """Hardening 5.10: no test, browser journey or bench script reads the real date so."""
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {reason}"
        for folder in FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.resolve() != this
        for line, reason in fragile_uses(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        "birth_date=dt.date.today().replace(year=dt.date.today().year - 16)",
        "ten_years_ago = date.today().replace(year=date.today().year - 10, day=1)",
        "year = timezone.localdate().year",
        "when = clock.now().replace(month=2)",
        "stamp = datetime.now()",
        "day = dt.datetime.today()",
    ],
)
def test_the_guard_sees_each_fragile_pattern(line: str) -> None:
    """Hardening 5.10: each pattern the guard forbids is found (positive controls)."""
    assert fragile_uses(line)


@pytest.mark.parametrize(
    "line",
    [
        "with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=41)):",
        "due_on=clock.today(),",
        "birth_date=dt.date(2012, 2, 29)",
        "expires_at=clock.now() - dt.timedelta(minutes=1)",
        "(timezone.localdate() - dt.timedelta(days=3)).isoformat()",
        # The local date of a stored moment, not of the clock.
        "str(timezone.localdate(invoice.issued_at).year)",
    ],
)
def test_the_guard_lets_fixed_dates_and_offsets_from_now_pass(line: str) -> None:
    """Hardening 5.10: fixed dates and plain offsets from the clock are not flagged."""
    assert fragile_uses(line) == []
