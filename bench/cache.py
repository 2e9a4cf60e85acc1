"""Measure what the embedded setup's shared cache costs: the database cache table (where
rate limits, flags and locks go without Redis) beside each process's memory (where pieces
of pages stay), on SQLite as the demo runs it.

For each size (rows already in the cache table: s = 100, m = 5,000, l = 20,000, the
table's limit) it times, per operation, many calls of ``get`` (a 3 kB value), ``get_many``
(24 keys, as a page of cards), ``set`` and ``add``, on both caches, in one process. The
floor is measured in the same run: a dictionary lookup and ``SELECT 1`` on the same
database connection.

Usage::

    .venv/bin/python bench/cache.py --sizes s,m,l --calls 2000

It waits before each size until the one-minute load is under ``--max-load`` (1.0 by
default, for at most 5 minutes) and prints the load it ran at. The database is a
temporary SQLite file, deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"s": 100, "m": 5_000, "l": 20_000}
VALUE = "x" * 3_000
CARDS = 24


def quiet(max_load: float, longest: float = 300.0) -> float:
    """Wait until the machine's one-minute load is under ``max_load``; return the load."""
    deadline = time.monotonic() + longest
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def per_call_us(action: Callable[[int], Any], calls: int) -> dict[str, float]:
    """Run ``action(i)`` ``calls`` times; return the median and p95 of one call, in µs."""
    samples = []
    for index in range(calls):
        started = time.perf_counter_ns()
        action(index)
        samples.append((time.perf_counter_ns() - started) / 1_000)
    samples.sort()
    return {
        "p50": round(statistics.median(samples), 1),
        "p95": round(samples[int(len(samples) * 0.95) - 1], 1),
    }


def measure(cache: Any, calls: int) -> dict[str, dict[str, float]]:
    keys = [f"bench:card:{n}" for n in range(CARDS)]
    cache.set_many(dict.fromkeys(keys, VALUE), 3_600)
    cache.set("bench:one", VALUE, 3_600)
    return {
        "get": per_call_us(lambda i: cache.get("bench:one"), calls),
        "get_many": per_call_us(lambda i: cache.get_many(keys), calls),
        "set": per_call_us(lambda i: cache.set(f"bench:set:{i % 50}", VALUE, 3_600), calls),
        "add": per_call_us(lambda i: cache.add(f"bench:add:{time.time_ns()}", 1, 60), calls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="s,m,l")
    parser.add_argument("--calls", type=int, default=2_000)
    parser.add_argument("--max-load", type=float, default=1.0)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "recommerce.settings",
            "RECOMMERCE_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "REDIS_URL": "",
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    call_command("createcachetable", verbosity=0)
    shared, local = caches["shared"], caches["pages"]
    floor_map = {"bench:one": VALUE}

    def select_one(_: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    results = []
    for size in args.sizes.split(","):
        rows = SIZES[size]
        shared.clear()
        shared.set_many({f"bench:fill:{n}": VALUE for n in range(rows)}, 3_600)
        load = quiet(args.max_load)
        results.append(
            {
                "size": size,
                "rows": rows,
                "load": round(load, 2),
                "floor": {
                    "dict lookup": per_call_us(lambda i: floor_map.get("bench:one"), args.calls),
                    "SELECT 1": per_call_us(select_one, args.calls),
                },
                "local memory": measure(local, args.calls),
                "database table": measure(shared, args.calls),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
