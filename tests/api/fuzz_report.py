"""The fuzzer's counts, printed at the end of the run by ``tests/api/conftest.py``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FuzzReport:
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    by_mode: dict[str, Counter[int]] = field(default_factory=dict)

    def record(self, operation: str, mode: str, status: int) -> None:
        self.cases[(operation, mode)] += 1
        self.statuses[status] += 1
        self.by_mode.setdefault(mode, Counter())[status] += 1

    def lines(self) -> list[str]:
        if not self.cases:
            return []
        operations = {operation for operation, _ in self.cases}
        modes = sorted({mode for _, mode in self.cases})
        server_errors = sum(n for status, n in self.statuses.items() if status >= 500)
        lines = [
            f"operations: {len(operations)}, auth modes: {len(modes)} ({', '.join(modes)}), "
            f"operation x mode pairs: {len(self.cases)}, cases: {sum(self.cases.values())}, "
            f"5xx: {server_errors}",
            "statuses: " + ", ".join(f"{s}x{n}" for s, n in sorted(self.statuses.items())),
        ]
        for mode in modes:
            counts = self.by_mode[mode]
            lines.append(f"  {mode}: " + ", ".join(f"{s}x{n}" for s, n in sorted(counts.items())))
        return lines


REPORT = FuzzReport()
