"""Measure after-sales over HTTP: reading a 50-message conversation, posting a message and
opening a claim, at 1 and 8 clients, against the production server configuration.

Each client is a signed-in buyer (its own session, one keep-alive connection). Kinds:

- ``page``: the buyer's conversation page (``/account/support/messages/<id>/``), 50 messages;
- ``api_read``: the same conversation through the API (``GET /api/v1/conversations/<id>/
  messages``);
- ``post_api``: ``POST /api/v1/orders/<number>/messages`` (session + CSRF, an
  Idempotency-Key each), into the buyer's own conversation;
- ``post_form``: the conversation page's form (``POST``, answered with a redirect);
- ``claim``: ``POST /api/v1/orders/<number>/claims`` (a warranty repair) on a freshly
  delivered order each time.

The floor is measured in the same run: ``/health/live`` over HTTP (answered before every
middleware) and a ``SELECT 1`` from a Django process. Figures are refused when the
machine's one-minute load stays at ``--max-load`` or above (after waiting ``--wait``
seconds): the load is printed before and after.

Usage::

    .venv/bin/python bench/aftersales.py --size m --seconds 15

PostgreSQL ``recommerce_bench_aftersales_<size>`` and ``var/bench/aftersales-<size>/`` are
built once and reused (``--rebuild`` starts afresh); Redis database 6 is emptied when the
server starts. ``--profile`` adds a cProfile listing of each kind, run in one process.
Only addresses on this machine are contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# The server's cache, emptied when it starts (catalog.Server): this bench's Redis database.
os.environ["BENCH_REDIS"] = "redis://127.0.0.1:6379/6"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import HOST, PG_SERVER, PYTHON, REDIS_URL, ROOT, Server, Target, log, percentile

KINDS = ("page", "api_read", "post_api", "post_form", "claim")
READS, POSTS = ("page", "api_read"), ("post_api", "post_form")
CLAIM = {"kind": "warranty", "requested": "repair", "description": "The screen flickers."}
TEXTS = (
    "Hello, is the charger included in the parcel? I cannot find it.",
    "The battery health says 86 %, the listing said at least 85 %: all good then.",
    "Could you confirm the device is unlocked for every network?",
    "Thank you, it arrived today and works well.",
)


class AftersalesTarget(Target):
    """The size's catalog with the after-sales volume, in a database of its own."""

    def __init__(self, size: str) -> None:
        super().__init__("postgresql", size)

    @property
    def database_name(self) -> str:
        return f"recommerce_bench_aftersales_{self.size}"

    @property
    def var_dir(self) -> Path:
        return ROOT / "var" / "bench" / f"aftersales-{self.size}"

    def env(self) -> dict[str, str]:
        return super().env() | {
            "DATABASE_URL": f"{PG_SERVER}/{self.database_name}",
            "REDIS_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "recommerce.settings",
        }


def child(target: AftersalesTarget, *args: str) -> dict[str, Any]:
    """Run this script's Django part (``--child``) for ``target``; return its JSON answer."""
    output = subprocess.run(
        [PYTHON, __file__, "--size", target.size, "--child", *args],
        env=target.env(), cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def database(target: AftersalesTarget, rebuild: bool) -> None:
    server = PG_SERVER + "/postgres"
    name = target.database_name
    if rebuild:
        subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        (target.var_dir / "built").unlink(missing_ok=True)
    exists = subprocess.run(
        ["psql", server, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    target.var_dir.mkdir(parents=True, exist_ok=True)


# --- HTTP ----------------------------------------------------------------------------------


class Buyer:
    """A signed-in buyer's browser: its cookies and one keep-alive connection."""

    def __init__(self, port: int, data: dict[str, Any], index: int) -> None:
        self.port = port
        self.me = data["buyers"][index]
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid CSRF secret
        self.cookie = f"{data['session_cookie']}={self.me['session']}; "
        self.cookie += f"{data['csrf_cookie']}={self.csrf}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.sent = 0

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        sent = {"Cookie": self.cookie, "Sec-Fetch-Site": "same-origin", **(headers or {})}
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        return response.status, response.read()

    def api_post(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.csrf,
            "Idempotency-Key": secrets.token_hex(12),
        }
        return self.request("POST", path, json.dumps(payload), headers)

    def text(self) -> str:
        self.sent += 1
        return f"{TEXTS[self.sent % len(TEXTS)]} ({self.sent})"

    def act(self, kind: str) -> tuple[int, int, bytes]:
        """Do one request of ``kind``; return the expected and the actual status, the body."""
        me = self.me
        if kind == "page":
            return 200, *self.request("GET", f"/account/support/messages/{me['read']}/")
        if kind == "api_read":
            return 200, *self.request("GET", f"/api/v1/conversations/{me['read']}/messages")
        if kind == "post_api":
            path = f"/api/v1/orders/{me['write_order']}/messages"
            return 201, *self.api_post(path, {"body": self.text()})
        if kind == "post_form":
            form = urlencode({"body": self.text(), "csrfmiddlewaretoken": self.csrf})
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return 302, *self.request(
                "POST", f"/account/support/messages/{me['write']}/", form, headers
            )
        if kind == "claim":
            if not me["claim_orders"]:
                raise LookupError("no fresh order left to claim on")
            number = me["claim_orders"].pop(0)
            return 201, *self.api_post(f"/api/v1/orders/{number}/claims", CLAIM)
        if kind == "floor":
            return 200, *self.request("GET", "/health/live")
        raise ValueError(kind)


def measure(buyers: list[Buyer], kind: str, seconds: float) -> dict[str, Any]:
    """Run ``kind`` on every buyer at once for ``seconds``; return latencies and throughput."""
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(buyer: Buyer) -> None:
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                expected, status, body = buyer.act(kind)
            except LookupError as error:
                with lock:
                    errors.append(str(error))
                break
            mine.append((time.perf_counter() - started) * 1000)
            if status != expected:
                with lock:
                    errors.append(f"HTTP {status}: {body[:200]!r}")
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=worker, args=(b,)) for b in buyers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "kind": kind,
        "clients": len(buyers),
        "requests": len(timings),
        "per_second": len(timings) / elapsed,
        "p50": statistics.median(timings) if timings else 0.0,
        "p95": percentile(timings, 95) if timings else 0.0,
        "p99": percentile(timings, 99) if timings else 0.0,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def check_read(buyer: Buyer) -> None:
    """Make sure the read conversation holds the 50 messages the figures are about."""
    status, body = buyer.request("GET", f"/api/v1/conversations/{buyer.me['read']}/messages")
    found = len(json.loads(body)["messages"]) if status == 200 else -1
    if found != 50:
        raise SystemExit(f"The conversation to read has {found} messages (HTTP {status}), not 50.")


def quiet(max_load: float, longest: float) -> float:
    """Wait until the one-minute load is under ``max_load`` (at most ``longest`` s)."""
    deadline = time.monotonic() + longest
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


# --- In one Django process: data, floor, query counts ------------------------------------


def child_main(size: str, action: str, extra: list[str]) -> None:
    import django

    django.setup()
    import aftersales_data

    if action == "build":
        print(json.dumps({"seconds": aftersales_data.build(size)}))
    elif action == "setup":
        clients, pool = (int(x) for x in extra)
        print(json.dumps(aftersales_data.setup(clients, pool)))
    elif action == "floor":
        from privacy import floor

        print(json.dumps(floor()))
    elif action == "queries":
        print(json.dumps(queries(json.loads(Path(extra[0]).read_text()), extra[1] == "profile")))


def queries(data: dict[str, Any], profiled: bool) -> dict[str, Any]:
    """Count each kind's statements and database time, through Django's test client."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client

    from privacy import Queries, statement

    me = data["buyers"][0]
    client = Client(HTTP_HOST=HOST)
    client.cookies[data["session_cookie"]] = me["session"]
    claim_orders = me["claim_orders"][-30:]  # the end of the pool: the HTTP runs use its start
    requests = {
        "page": lambda: client.get(f"/account/support/messages/{me['read']}/"),
        "api_read": lambda: client.get(f"/api/v1/conversations/{me['read']}/messages"),
        "post_api": lambda: client.post(
            f"/api/v1/orders/{me['write_order']}/messages",
            {"body": "Counted."},
            content_type="application/json",
            headers={"Idempotency-Key": secrets.token_hex(12)},
        ),
        "post_form": lambda: client.post(
            f"/account/support/messages/{me['write']}/", {"body": "Counted."}
        ),
        "claim": lambda: client.post(
            f"/api/v1/orders/{claim_orders.pop()}/claims", CLAIM, content_type="application/json"
        ),
    }
    found: dict[str, Any] = {}
    for kind, call in requests.items():
        call()  # warm: imports, templates, connections
        recorder = Queries()
        with connection.execute_wrapper(recorder):
            response = call()
        by: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for sql, seconds in recorder.items:
            by[statement(sql)][0] += 1
            by[statement(sql)][1] += seconds * 1000
        found[kind] = {
            "status": response.status_code,
            "queries": len(recorder.items),
            "db_ms": round(sum(s for _, s in recorder.items) * 1000, 2),
            "by": {
                k: [n, round(ms, 2)] for k, (n, ms) in sorted(by.items(), key=lambda i: -i[1][1])
            },
        }
        if profiled:
            profiler = cProfile.Profile()
            for _ in range(10):
                profiler.runcall(call)
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream).sort_stats("cumulative")
            stats.print_stats(r"recommerce|django/(db|template|middleware)|ninja", 30)
            print(f"\n--- cProfile: {kind}, 10 requests ---\n{stream.getvalue()}", file=sys.stderr)
    return found


# --- Driver ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="m", choices=("s", "m"))
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--seconds", type=float, default=15.0, help="per kind and client count")
    parser.add_argument("--pool", type=int, default=600, help="fresh orders per buyer")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument(
        "--wait", type=float, default=600.0, help="longest wait for a quiet machine"
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.size, args.child[0], args.child[1:])
        return

    counts = [int(n) for n in args.clients.split(",")]
    kinds = args.kinds.split(",")
    target = AftersalesTarget(args.size)
    database(target, args.rebuild)
    log(f"size {args.size}: building (reused when already built)")
    built = child(target, "build")["seconds"]
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        env=target.env(), cwd=ROOT, check=True,
    )  # fmt: skip
    log("setting up this run's buyers and orders")
    data = child(target, "setup", str(max(counts)), str(args.pool))
    log(f"{data['messages']:,} messages in {data['conversations']:,} conversations")

    log(f"waiting for a one-minute load under {args.max_load} (now {os.getloadavg()[0]:.2f})")
    load_before = quiet(args.max_load, args.wait)
    if load_before >= args.max_load:
        print(
            f"Not measured: the one-minute load is {load_before:.2f} (at least {args.max_load}) "
            f"after waiting {args.wait:.0f} s; figures on a busy machine are not recorded.",
            file=sys.stderr,
        )
        sys.exit(3)
    log(f"one-minute load before: {load_before:.2f}")
    floor_db = child(target, "floor")
    server = Server(target, args.port, args.workers)
    rows: list[dict[str, Any]] = []
    try:
        buyers = [Buyer(args.port, data, i) for i in range(max(counts))]
        check_read(buyers[0])
        for kind in ("floor", *kinds):
            for _ in range(5):
                buyers[0].act(kind)  # warm-up
            for clients in counts:
                log(f"{kind}: {clients} client(s) for {args.seconds:.0f} s")
                rows.append(measure(buyers[:clients], kind, args.seconds))
                log(json.dumps(rows[-1]))
    finally:
        server.stop()
    load_after = os.getloadavg()[0]
    path = target.var_dir / f"setup-{data['run']}.json"
    path.write_text(json.dumps(data))
    measured = {"rows": rows, "floor": floor_db, "load": [load_before, load_after]}
    (target.var_dir / f"result-{data['run']}.json").write_text(json.dumps(measured))
    try:
        counted = child(target, "queries", str(path), "profile" if args.profile else "plain")
    except subprocess.CalledProcessError:
        # The figures above stand without the counts (the code may have moved on meanwhile).
        log("the statement counts failed; the figures are printed without them")
        counted = {}
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    report(args, rows, counted, floor_db, built, data, (load_before, load_after), commit)


def report(
    args: Any,
    rows: list[dict[str, Any]],
    counted: dict[str, Any],
    floor_db: dict[str, float],
    built: float,
    data: dict[str, Any],
    loads: tuple[float, float],
    commit: str,
) -> None:
    print(
        f"\nSize {args.size}: {data['messages']:,} messages in {data['conversations']:,} "
        f"conversations; data made in {built:.0f} s (0: reused); commit {commit}; "
        f"{args.workers} server processes; {args.seconds:.0f} s per row; one-minute load "
        f"{loads[0]:.2f} before, {loads[1]:.2f} after."
    )
    print("\n| request | clients | p50 ms | p95 ms | p99 ms | requests/s | requests | errors "
          "| queries | database ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        q = counted.get(row["kind"], {})
        print(
            f"| {row['kind']} | {row['clients']} | {row['p50']:.1f} | {row['p95']:.1f} "
            f"| {row['p99']:.1f} | {row['per_second']:.1f} | {row['requests']} "
            f"| {row['errors']} | {q.get('queries', '')} | {q.get('db_ms', '')} |"
        )
    print(
        f"\nFloor: /health/live over HTTP in the table (row floor); SELECT 1 "  # noqa: S608
        f"{floor_db['SELECT 1']} ms and an empty transaction {floor_db['transaction']} ms "
        "from a Django process."
    )
    for row in rows:
        if row["first_error"]:
            print(f"- {row['kind']} at {row['clients']}: first error {row['first_error']}")
    print("\nStatements per request (one request, counted in one process):")
    for kind, q in counted.items():
        top = ", ".join(f"{k} x{n} {ms} ms" for k, (n, ms) in list(q["by"].items())[:8])
        print(f"- {kind} (HTTP {q['status']}): {q['queries']} statements; {top}")
    goals = []
    for row in rows:
        if row["kind"] in READS:
            goals.append((f"{row['kind']} p50, {row['clients']} client(s)", "≤ 10 ms",
                          row["p50"] <= 10, f"{row['p50']:.1f} ms"))  # fmt: skip
        if row["kind"] in POSTS and row["clients"] >= 8:
            goals.append((f"{row['kind']}, {row['clients']} clients", "≥ 100/s",
                          row["per_second"] >= 100, f"{row['per_second']:.0f}/s"))  # fmt: skip
    print("\n| goal | target | measured | |\n|---|---|---|---|")
    for name, goal, met, measured in goals:
        print(f"| {name} | {goal} | {measured} | {'met' if met else 'missed'} |")


if __name__ == "__main__":
    main()
