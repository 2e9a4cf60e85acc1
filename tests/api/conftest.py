from __future__ import annotations

from typing import Any

from tests.api.fuzz_report import REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the API fuzzer sent and what it saw (Hardening 3.3)."""
    lines = REPORT.lines()
    if lines:
        terminalreporter.section("API fuzzing")
        for line in lines:
            terminalreporter.write_line(line)
