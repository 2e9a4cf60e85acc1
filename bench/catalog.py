"""Measure the storefront over HTTP against the production server configuration.

For each database (SQLite, PostgreSQL + Redis) and data size (made by ``recommerce seed``),
start ``recommerce serve`` (gunicorn, DEBUG off, hashed static files) and measure:

- latency p50/p95/p99 with one client, per page kind: product page (first views of
  pages drawn from 1,200 products, then the same views again), category listing, search
  (a mix of exact queries, typos and facets);
- throughput with 16 concurrent clients on a mix of the three kinds.

Usage::

    .venv/bin/python bench/catalog.py --sizes s,m --databases sqlite,postgresql

Databases are built once per size and reused (``var/bench/``, ``recommerce_bench_<size>``);
``--rebuild`` starts them afresh. Only addresses on this machine are contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
HOST = "127.0.0.1"

SEARCHES = [
    {"q": "iphone 13"},
    {"q": "iphne 13"},
    {"q": "galaxy s21"},
    {"q": "samsng galaxy"},
    {"q": "macbook air"},
    {"q": "macbok pro"},
    {"q": "pixel"},
    {"q": "ipad"},
    {"q": "playstation"},
    {"q": "airpods"},
    {"q": "iphone", "grade": "excellent"},
    {"q": "laptop", "sort": "price_asc"},
    {"q": "iphone 12", "storage": "128"},
    {"q": "watch", "price_max": "300"},
    {"q": "thinkpad"},
    {"q": "switch oled"},
]


@dataclass
class Target:
    database: str
    size: str

    @property
    def var_dir(self) -> Path:
        return ROOT / "var" / "bench" / f"{self.database}-{self.size}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "RECOMMERCE_VAR_DIR": str(self.var_dir),
            "DEBUG": "0",
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_MANIFEST": "1",
            # A measurement, not a deployment: sandbox payments, keys made in var/ and a
            # ledger file on this one machine are accepted here, which `recommerce serve`
            # refuses otherwise (docs/deploy.md).
            "SILENCED_SYSTEM_CHECKS": ",".join(
                [
                    "platform.E101",
                    "privacy.E101",
                    "privacy.E102",
                    "privacy.E104",
                    "payments.E101",
                    "support.E101",
                    "support.E102",
                ]
            ),
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if self.database == "postgresql":
            env["DATABASE_URL"] = f"{PG_SERVER}/recommerce_bench_{self.size}"
            env["REDIS_URL"] = REDIS_URL
        return env


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=True, cwd=ROOT)


def prepare(target: Target, rebuild: bool) -> None:
    """Create, migrate and seed the target's database unless it is ready."""
    marker = target.var_dir / "seeded"
    env = target.env()
    if rebuild or not marker.exists():
        shutil.rmtree(target.var_dir, ignore_errors=True)
        target.var_dir.mkdir(parents=True)
        if target.database == "postgresql":
            name = f"recommerce_bench_{target.size}"
            run(["psql", PG_SERVER + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], env)
            run(["psql", PG_SERVER + "/postgres", "-qc", f"CREATE DATABASE {name}"], env)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        started = time.perf_counter()
        run([PYTHON, "manage.py", "seed", "--size", target.size], env)
        seconds = time.perf_counter() - started
        if target.database == "postgresql":
            run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], env)
        marker.write_text(f"{seconds:.0f}\n")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)


def flush_cache(target: Target) -> None:
    """Start each measured target with an empty shared cache.

    Every size uses the same Redis database, and ids repeat across sizes: without this, a
    page cached for one data set would be served for another.
    """
    if target.database == "postgresql":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


class Server:
    def __init__(self, target: Target, port: int, workers: int) -> None:
        flush_cache(target)
        env = target.env() | {"PORT": str(port), "HOST": HOST, "WEB_CONCURRENCY": str(workers)}
        self.port = port
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "recommerce"), "serve"], env=env, cwd=ROOT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = Client(port).get("/api/v1/categories")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("The server did not start.")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Client:
    """One keep-alive HTTP connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
            self.connection.request("GET", path)
            response = self.connection.getresponse()
        return response.status, response.read()


def sample_paths(port: int, rng: random.Random) -> dict[str, list[str]]:
    """Collect product, category and search paths to request, through the API."""
    client = Client(port)
    _, body = client.get("/api/v1/categories")
    categories = [c["slug"] for c in json.loads(body)]
    products: list[str] = []
    for page in rng.sample(range(1, 40), 12):
        _, body = client.get(f"/api/v1/products?per_page=100&page={page}&sort=newest")
        products += [item["url"] for item in json.loads(body)["items"]]
    category_paths = []
    for slug in categories:
        category_paths += [
            f"/c/{slug}/",
            f"/c/{slug}/?sort=price_asc",
            f"/c/{slug}/?page=2",
            f"/c/{slug}/?grade=good",
        ]
    search_paths = ["/search/?" + urlencode(params) for params in SEARCHES]
    return {"product": products, "category": category_paths, "search": search_paths}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def latency(port: int, paths: list[str], requests: int, rng: random.Random) -> dict[str, float]:
    client = Client(port)
    for path in paths[:20]:  # warm caches and connections
        client.get(path)
    timings: list[float] = []
    errors = 0
    for _ in range(requests):
        path = rng.choice(paths)
        started = time.perf_counter()
        status, _ = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        errors += status != 200
    return {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 95),
        "p99": percentile(timings, 99),
        "errors": errors,
    }


def throughput(port: int, paths: list[str], clients: int, seconds: float) -> dict[str, float]:
    done = [0] * clients
    errors = [0] * clients
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        rng = random.Random(index)
        client = Client(port)
        while time.monotonic() < stop_at:
            status, _ = client.get(rng.choice(paths))
            done[index] += 1
            errors[index] += status != 200

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": sum(done) / elapsed, "errors": sum(errors), "requests": sum(done)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="s,m")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=400, help="per page kind, one client")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="throughput run length")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    rows = []
    for database in args.databases.split(","):
        for size in args.sizes.split(","):
            target = Target(database, size)
            log(f"{database}/{size}: preparing")
            prepare(target, args.rebuild)
            log(f"{database}/{size}: starting the server")
            server = Server(target, args.port, args.workers)
            try:
                rng = random.Random(42)
                paths = sample_paths(args.port, rng)
                row: dict[str, object] = {"database": database, "size": size}
                for kind, kind_paths in paths.items():
                    log(f"{database}/{size}: {kind}, one client")
                    state = rng.getstate()
                    row[kind] = latency(args.port, kind_paths, args.requests, rng)
                    if kind == "product":
                        # The same pages in the same order: first views, then repeat views.
                        log(f"{database}/{size}: product, repeat views")
                        replay = random.Random()
                        replay.setstate(state)
                        row["product_repeat"] = latency(
                            args.port, kind_paths, args.requests, replay
                        )
                log(f"{database}/{size}: {args.clients} clients for {args.seconds:.0f} s")
                mixed = [p for kind_paths in paths.values() for p in kind_paths[:200]]
                row["throughput"] = throughput(args.port, mixed, args.clients, args.seconds)
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            finally:
                server.stop()

    print(f"\nOne client, ms (p50 / p95 / p99); {args.clients} clients, requests/s\n")
    print(
        "| database | size | product page, first view | product page, repeat view | category "
        "| search | throughput | errors |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        cells = []
        errors = 0
        for kind in ("product", "product_repeat", "category", "search"):
            m = row[kind]
            assert isinstance(m, dict)
            cells.append(f"{m['p50']:.1f} / {m['p95']:.1f} / {m['p99']:.1f}")
            errors += int(m["errors"])
        t = row["throughput"]
        assert isinstance(t, dict)
        errors += int(t["errors"])
        print(
            f"| {row['database']} | {row['size']} | {' | '.join(cells)} | "
            f"{t['rps']:.0f} | {errors} |"
        )


if __name__ == "__main__":
    main()
