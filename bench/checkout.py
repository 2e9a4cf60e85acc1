"""Measure completed checkouts per second over HTTP, as buyers do them.

Each buyer is one HTTP client with its own signed-in session. One checkout is: add an
offer to the cart, start the checkout (stock reserved), open it, choose and pay (the
sandbox provider's hosted page, test card 4242…), come back to the return page (which
asks the provider and places the orders) and see the confirmation page. A checkout
counts as completed when the confirmation page lists its orders.

The sandbox provider confirms at once here (``SANDBOX_PAYMENTS_CONFIRM_SECONDS=0``): the
provider's own delay is not the platform's time.

Usage::

    .venv/bin/python bench/checkout.py --buyers 1,4,16 --databases postgresql

The data set is the catalog benchmark's (``bench/catalog.py``: ``var/bench/`` and
``recommerce_bench_<size>``); offers used here get a large stock first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import HOST, PYTHON, ROOT, Server, Target, log, percentile, prepare

SETUP = r"""
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from allauth.account.models import EmailAddress
from recommerce.accounts.models import User, Seller
from recommerce.accounts.services.users import address_create
from recommerce.checkout.models import Cart
from recommerce.offers.models import Offer
import datetime as dt

count = int(__COUNT__)
offers = list(
    Offer.objects.filter(is_active=True, seller__status=Seller.Status.ACTIVE)
    .order_by("id").values_list("id", flat=True)[:200]
)
Offer.objects.filter(id__in=offers).update(stock=1_000_000)
sessions = []
for i in range(count):
    email = f"bench-buyer-{i}@example.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=f"Bench Buyer {i}",
                                        birth_date=dt.date(1990, 1, 1), country="FR")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for kind in ("delivery", "billing"):
            address_create(actor=user, user=user, kind=kind, full_name=user.full_name,
                           line1=f"{i + 1} rue du Banc", postal_code="75011", city="Paris",
                           country="FR", phone="+33612345678")
    Cart.objects.filter(user=user).delete()
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps({
    "sessions": sessions, "offers": offers,
    "session_cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME,
}))
"""

SELECT = re.compile(r'<select name="(\w+)".*?</select>', re.S)
SELECTED = re.compile(r'<option value="(\w+)" selected>')
CHECKED = re.compile(r'<input type="radio" name="([\w]+)" value="([\w]+)"[^>]*checked')


class Buyer:
    """A signed-in buyer's browser: cookies, and one keep-alive connection per host."""

    def __init__(self, port: int, session_cookie: str, session: str, csrf_cookie: str) -> None:
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid CSRF secret
        self.cookie = f"{session_cookie}={session}; {csrf_cookie}={self.csrf}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie, "Sec-Fetch-Site": "same-origin"}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        location = urlsplit(response.getheader("Location", "") or "")
        where = location.path + (f"?{location.query}" if location.query else "")
        return response.status, where, text

    def checkout(self, offer_id: int) -> None:
        """Buy one unit of an offer, from the cart to the confirmation page."""
        status, _, _ = self.request("POST", "/cart/add/", {"offer": str(offer_id)})
        expect(status == 302, "add to cart", status)
        status, checkout_path, _ = self.request("POST", "/checkout/", {})
        expect(status == 302 and checkout_path.startswith("/checkout/CO"), "start", status)
        status, _, page = self.request("GET", checkout_path)
        expect(status == 200, "checkout page", status)
        form = {"action": "pay"}
        for select in SELECT.finditer(page):
            chosen = SELECTED.search(select.group(0))
            if chosen:
                form[select.group(1)] = chosen.group(1)
        form |= dict(CHECKED.findall(page))
        status, pay_path, _ = self.request("POST", checkout_path, form)
        expect(status == 302 and "/payments/sandbox/pay/" in pay_path, "pay", status)
        card = {"number": "4242 4242 4242 4242", "expiry": "12/34", "cvc": "123"}
        status, return_path, _ = self.request("POST", pay_path, card)
        expect(status == 302 and "/return/" in return_path, "card", status)
        for _ in range(50):
            status, done_path, _ = self.request("GET", return_path)
            if status == 302:
                break
            time.sleep(0.1)
        expect(status == 302 and done_path.endswith("/done/"), "return", status)
        status, _, page = self.request("GET", done_path)
        expect(status == 200 and 'data-testid="placed-orders"' in page, "done", status)


class Failed(Exception):
    pass


def expect(condition: bool, step: str, status: int) -> None:
    if not condition:
        raise Failed(f"{step}: HTTP {status}")


def setup(target: Target, count: int) -> dict:
    script = SETUP.replace("__COUNT__", str(count))
    env = target.env() | {"DJANGO_SETTINGS_MODULE": "recommerce.settings"}
    output = subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure(port: int, data: dict, buyers: int, seconds: float) -> dict[str, float]:
    done = [0] * buyers
    errors: list[str] = []
    timings: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(index: int) -> None:
        buyer = Buyer(port, data["session_cookie"], data["sessions"][index], data["csrf_cookie"])
        offers = data["offers"]
        n = index
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                buyer.checkout(offers[n % len(offers)])
            except (Failed, ValueError, OSError) as error:
                with lock:
                    errors.append(str(error))
            else:
                with lock:
                    done[index] += 1
                    timings.append((time.perf_counter() - started) * 1000)
            n += buyers

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(buyers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "per_second": sum(done) / elapsed,
        "completed": sum(done),
        "errors": len(errors),
        "p50_ms": statistics.median(timings) if timings else 0.0,
        "p95_ms": percentile(timings, 95) if timings else 0.0,
        "first_error": errors[0] if errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", default="1,4,16")
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--size", default="s")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    counts = [int(n) for n in args.buyers.split(",")]
    os.environ["SANDBOX_PAYMENTS_CONFIRM_SECONDS"] = "0"
    os.environ["SITE_URL"] = f"http://{HOST}:{args.port}"

    rows = []
    for database in args.databases.split(","):
        target = Target(database, args.size)
        log(f"preparing {database} size {args.size}")
        prepare(target, args.rebuild)
        data = setup(target, max(counts))
        server = Server(target, args.port, args.workers)
        try:
            Buyer(
                args.port, data["session_cookie"], data["sessions"][0], data["csrf_cookie"]
            ).checkout(data["offers"][0])  # warm up
            for buyers in counts:
                log(f"{database}: {buyers} buyer(s) for {args.seconds:.0f} s")
                result = measure(args.port, data, buyers, args.seconds)
                rows.append({"database": database, "buyers": buyers, **result})
                log(json.dumps(rows[-1]))
        finally:
            server.stop()

    print(
        "\n| Database | Buyers | Checkouts/s | Completed | p50 per checkout (ms) | p95 (ms) "
        "| Errors |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['database']} | {row['buyers']} | {row['per_second']:.1f} | {row['completed']} "
            f"| {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['errors']} |"
        )


if __name__ == "__main__":
    main()
