"""The demo as a newcomer meets it: ``recommerce demo`` started for real, then a browser.

One server for the module: the real command (migrate, static files, demo data, gunicorn and
the task worker) on a free port with its own ``var/``. The journey follows the README: an
unknown address shows the branded 404; the printed seller login names its shop; the buyer
buys the product the README names and the demo seller finds the order in "Seller orders".
Stopping the command leaves no process behind.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.demo.test_demo_command import alive, descendants, free_port

from recommerce.demo.people import DEMO_LOGINS, DEMO_SELLER_NAME
from recommerce.demo.showcase import SHOWCASE

from .conftest import CHROMIUM_ARGS, Browsing

pytestmark = pytest.mark.browser
SUITE_SETTINGS = {
    "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "HUEY_IMMEDIATE",
    "STATIC_MANIFEST", "DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE",
}  # fmt: skip
READY_SECONDS = 900  # migrate, collect static files and load the demo data on a busy machine


@dataclass
class Demo:
    process: subprocess.Popen[str]
    origin: str
    output: list[str] = field(default_factory=list)
    children: set[int] = field(default_factory=set)

    def printed(self) -> str:
        return "".join(self.output)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def demo(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """Run ``recommerce demo`` as ``make demo`` does, on a free port; stop it at the end."""
    port = free_port()
    var_dir = tmp_path_factory.mktemp("demo-var")
    # The suite's own settings (test hosts, no manifest, immediate tasks) stay out.
    env = {key: value for key, value in os.environ.items() if key not in SUITE_SETTINGS}
    env |= {
        "RECOMMERCE_VAR_DIR": str(var_dir),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "SANDBOX_PAYMENTS_CONFIRM_SECONDS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "recommerce.cli", "demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    running = Demo(process=process, origin=f"http://127.0.0.1:{port}")
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: running.output.extend(process.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    deadline = time.monotonic() + READY_SECONDS
    while not _answers(running.origin + "/"):
        assert process.poll() is None, f"the demo stopped:\n{running.printed()[-3000:]}"
        assert time.monotonic() < deadline, f"the demo did not start:\n{running.printed()[-3000:]}"
        time.sleep(1)
    try:
        yield running
    finally:
        running.children |= descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        finally:
            leftovers = [pid for pid in running.children if alive(pid)]
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            for pid in leftovers:
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == 0
    assert leftovers == [], "Hardening 5.6: processes survived the demo"


@pytest.fixture
def browser(demo: Demo, chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def visit(browser: Any, demo: Demo) -> Browsing:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    browsing = Browsing(page=page, origin=demo.origin)
    page.on("request", lambda request: browsing.requests.append(request.url))
    page.on(
        "console",
        lambda message: message.type == "error" and browsing.console_errors.append(message.text),
    )
    return browsing


def sign_in(browsing: Browsing, role: str) -> None:
    _, email, password = next(login for login in DEMO_LOGINS if login[0] == role)
    page = browsing.page
    page.goto(browsing.url("/account/login/"))
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")


def test_an_unknown_address_shows_the_branded_page_and_no_url_patterns(demo, browser):
    """Hardening 5.1: the demo runs without DEBUG: a branded 404, no list of URL patterns."""
    visitor = visit(browser, demo)
    response = visitor.page.goto(visitor.url("/no-such-page/"))
    assert response is not None and response.status == 404
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("This page could not be found")
    expect(page.get_by_role("search").first).to_be_visible()
    body = page.content()
    for leak in ("URLconf", "api/v1/", "Using the URLconf", "DEBUG = True", "Traceback"):
        assert leak not in body
    visitor.screenshot("demo-404")
    visitor.assert_first_party_only(error_pages=True)
    # Plain HTTP on this machine: no redirect, and the session cookie works without TLS.
    assert response.url == visitor.url("/no-such-page/")


def gzipped(url: str) -> tuple[Any, bytes]:
    """GET ``url`` (a loopback address) asking for gzip; return the headers and raw body."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.headers, response.read()


def test_static_files_and_pages_leave_compressed_and_hashed(demo):
    """Hardening 7.3: the demo collected hashed, compressed static files and gzips pages."""
    headers, body = gzipped(demo.origin + "/")
    assert headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    assert '<script src="/static/platform/app.' in html
    stylesheet = re.search(r'href="(/static/platform/site\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet
    headers, _ = gzipped(demo.origin + stylesheet[1])
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"


def test_the_readme_purchase_reaches_the_seller_whose_login_names_the_shop(demo, browser):
    """Hardening 5.2: the printed seller login names its shop; the buyer's order for the
    README's product reaches that shop, whose owner sees it in "Seller orders"."""
    _, email, password = next(login for login in DEMO_LOGINS if login[0] == "seller")
    assert f"{email} / {password}  (owner of the shop {DEMO_SELLER_NAME})" in demo.printed()

    buyer = visit(browser, demo)
    page = buyer.page
    sign_in(buyer, "buyer")
    page.get_by_role("search").first.get_by_role("searchbox").fill("iphone 13")
    page.get_by_role("search").first.get_by_role("button").click()
    storage, colour = f"{SHOWCASE.storage_gb} GB", SHOWCASE.colour
    card = page.locator(".product-card").filter(has_text=storage).filter(has_text=colour)
    card.first.locator(".card-link").click()
    page.locator(f"#grade-tab-{SHOWCASE.grade}").click()
    offer = page.locator(".offer-card")
    expect(offer).to_contain_text(f"Best offer in {SHOWCASE.grade.title()}")
    expect(offer.locator(".offer-seller")).to_contain_text(f"Sold by {DEMO_SELLER_NAME}")
    buyer.screenshot("demo-01-readme-product")
    offer.get_by_test_id("add-to-cart").click()
    expect(page.locator(".messages")).to_contain_text("Added to your cart.")
    page.get_by_role("button", name="Checkout").click()
    page.locator("#pay-end").get_by_role("button", name=re.compile("^Pay ")).click()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label(re.compile("^Expiry")).fill("12/34")
    page.get_by_label(re.compile("^Security code")).fill("123")
    page.get_by_role("button", name=re.compile("^Pay")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you, your order is confirmed", timeout=60_000
    )
    placed = page.get_by_test_id("placed-orders").locator("li.placed-order")
    expect(placed).to_have_count(1)
    expect(placed).to_contain_text(f"from {DEMO_SELLER_NAME}")
    number = re.search(r"Order (\w+) from", placed.inner_text())
    assert number
    buyer.screenshot("demo-02-confirmed")
    buyer.assert_first_party_only()

    seller = visit(browser, demo)
    sign_in(seller, "seller")
    seller.page.goto(seller.url("/account/seller/orders/"))
    expect(seller.page.get_by_role("link", name="Seller orders")).to_have_attribute(
        "aria-current", "page"
    )
    expect(seller.page.locator("main")).to_contain_text(number[1])
    seller.screenshot("demo-03-seller-orders")
    seller.assert_first_party_only()
