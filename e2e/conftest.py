"""Browser fixtures: the system Chromium driven by Playwright against the live server.

Data is created before the browser starts: Playwright's synchronous API keeps an event loop
on this thread, and Django refuses ORM calls from a thread with a running loop.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from tests import factories as f
from tests.caching import caches_clear
from tests.ledger import _erasure_ledger, _ledger_template  # noqa: F401  (fixtures)

from recommerce.catalog import services as catalog_services
from recommerce.catalog.models import ProductImage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in the test thread; the tests' own database
# reads there are ordinary synchronous queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Start from an empty cache: facet counts and menus must reflect this test's data."""
    caches_clear(request)
    yield
    caches_clear(request)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed; the browser tests drive the system Chromium."
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


# --- Shop data --------------------------------------------------------------------------------

PHONE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400">
<defs><linearGradient id="s" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="{screen1}"/><stop offset="1" stop-color="{screen2}"/>
</linearGradient></defs>
<rect width="400" height="400" fill="#f3f6f4"/>
<rect x="128" y="42" width="144" height="316" rx="30" fill="{body}"/>
<rect x="137" y="51" width="126" height="298" rx="22" fill="url(#s)"/>
<rect x="178" y="60" width="44" height="11" rx="5.5" fill="{body}"/>
</svg>"""

LAPTOP_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400">
<defs><linearGradient id="s" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="{screen1}"/><stop offset="1" stop-color="{screen2}"/>
</linearGradient></defs>
<rect width="400" height="400" fill="#f3f6f4"/>
<rect x="78" y="104" width="244" height="160" rx="10" fill="{body}"/>
<rect x="88" y="114" width="224" height="140" rx="4" fill="url(#s)"/>
<path d="M50 272h300l-14 22H64z" fill="{body}"/>
<rect x="176" y="272" width="48" height="6" rx="3" fill="#00000022"/>
</svg>"""


@dataclass
class Shop:
    """What the storefront fixture built, for assertions."""

    variants: dict[str, Any] = field(default_factory=dict)
    sellers: dict[str, Any] = field(default_factory=dict)
    media_dir: str = ""


def _image(shop: Shop, model: Any, svg: str, alt: str) -> None:
    name = default_storage.save(f"{shop.media_dir}/{model.slug}.svg", ContentFile(svg.encode()))
    ProductImage.objects.create(device_model=model, image=name, alt=alt)


@pytest.fixture
def shop(transactional_db: None) -> Iterator[Shop]:
    """Build a small shop: three categories, iPhones, a Samsung, a laptop, three sellers.

    Seller track records are chosen so that the best offer of a grade is not always the
    cheapest one (see offers/best.py).
    """
    # Under catalog/, the only folder of uploads the site serves (ADR 0013).
    shop = Shop(media_dir=f"catalog/e2e-{uuid.uuid4().hex[:12]}")
    f.category("Smartphones", position=1)
    f.category("Laptops", position=2)
    f.category("Tablets", position=3)
    shop.sellers = {
        # quality 9585 bp
        "green": f.seller(
            "Green Cell Refurb", rating_count=420, rating_sum=1974, orders_shipped=900,
            orders_late=18, orders_defective=9,
        ),
        # quality 7201 bp
        "quick": f.seller(
            "QuickFix Outlet", rating_count=60, rating_sum=192, orders_shipped=150,
            orders_late=45, orders_defective=15, country="DE",
        ),
        # quality 9221 bp
        "atelier": f.seller(
            "Atelier Renov", rating_count=85, rating_sum=383, orders_shipped=240,
            orders_late=12, orders_defective=5,
        ),
    }  # fmt: skip
    green, quick, atelier = shop.sellers.values()
    for seller, city, text in (
        (green, "Lyon", "Certified refurbisher of Apple and Samsung phones since 2014."),
        (quick, "Berlin", "Fast dispatch from our Berlin workshop."),
        (atelier, "Bordeaux", "Small workshop, every device hand-checked twice."),
    ):
        seller.city, seller.description = city, text
        seller.save()

    ip13 = f.device_model(
        "iPhone 13",
        release_year=2021,
        specs={"Display": "6.1-inch OLED", "Chip": "A15 Bionic", "Camera": "12 MP dual"},
        description="Dual-camera iPhone with a bright OLED display and all-day battery.",
    )
    ip12 = f.device_model("iPhone 12", release_year=2020, specs={"Display": "6.1-inch OLED"})
    galaxy = f.device_model("Galaxy S22", brand_name="Samsung", release_year=2022)
    mac = f.device_model(
        "MacBook Air M1", category_name="Laptops", release_year=2020, specs={"Display": "13.3-inch"}
    )
    _image(shop, ip13, PHONE_SVG.format(body="#27406b", screen1="#7fb3ff", screen2="#2a4fa8"),
           "iPhone 13, front view")  # fmt: skip
    _image(shop, ip12, PHONE_SVG.format(body="#2f2f35", screen1="#b8a4ff", screen2="#4b3aa8"),
           "iPhone 12, front view")  # fmt: skip
    _image(shop, galaxy, PHONE_SVG.format(body="#d9d4cc", screen1="#9de0c8", screen2="#1f7a62"),
           "Galaxy S22, front view")  # fmt: skip
    _image(shop, mac, LAPTOP_SVG.format(body="#bfc4c9", screen1="#ffd29b", screen2="#d0574b"),
           "MacBook Air M1, open")  # fmt: skip

    v = shop.variants
    v["ip13_128"] = f.variant(ip13, storage_gb=128, colour="Blue")
    v["ip13_256"] = f.variant(ip13, storage_gb=256, colour="Blue")
    v["ip13_128_midnight"] = f.variant(ip13, storage_gb=128, colour="Midnight")
    v["ip12"] = f.variant(ip12, storage_gb=64, colour="Black")
    v["galaxy"] = f.variant(galaxy, storage_gb=128, colour="Phantom White")
    v["mac"] = f.variant(mac, storage_gb=256, colour="Space Grey", ram_gb=8)

    offers = [
        (v["ip13_128"], green, "premium", 64_900, 1),
        (v["ip13_128"], green, "excellent", 52_900, 1),
        (v["ip13_128"], quick, "excellent", 50_900, 3),
        (v["ip13_128"], atelier, "excellent", 53_900, 2),
        (v["ip13_128"], quick, "good", 44_900, 2),
        (v["ip13_128"], atelier, "good", 45_900, 1),
        (v["ip13_128"], green, "good", 47_900, 1),
        (v["ip13_128"], quick, "fair", 38_900, 4),
        (v["ip13_128"], atelier, "fair", 39_900, 2),
        (v["ip13_256"], green, "excellent", 59_900, 1),
        (v["ip13_128_midnight"], atelier, "good", 46_500, 1),
        (v["ip12"], quick, "good", 32_900, 2),
        (v["ip12"], atelier, "fair", 27_900, 1),
        (v["galaxy"], green, "excellent", 36_900, 1),
        (v["mac"], atelier, "excellent", 64_900, 2),
    ]
    for variant, seller, grade, price, days in offers:
        f.offer(
            variant, seller_=seller, grade=grade, price_minor=price, dispatch_days=days,
            warranty_months=24 if seller is green else 12,
            battery_health_min_pct=90 if grade in {"premium", "excellent"} else 85,
        )  # fmt: skip
    catalog_services.search_terms_rebuild()
    yield shop
    shutil.rmtree(default_storage.path(shop.media_dir), ignore_errors=True)


# --- Browser ----------------------------------------------------------------------------------


@dataclass
class Browsing:
    """One browser context plus what it saw: every request URL and console error."""

    page: Any
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.origin + path

    @staticmethod
    def screenshot_path(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS / f"{name}.png"

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot under artifacts/screenshots/."""
        path = self.screenshot_path(name)
        # Lazy images below the fold would show as blanks on a full-page capture.
        self.page.evaluate(
            """() => Promise.all([...document.images].map((img) => {
                img.loading = "eager";
                return img.decode().catch(() => null);
            }))"""
        )
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_first_party_only(self, *, error_pages: bool = False) -> None:
        """Fail if the page asked anything of another origin or broke the CSP.

        ``error_pages`` tolerates the console's note about a page answered with 4xx on
        purpose; any other console error still fails.
        """
        foreign = [u for u in self.requests if not u.startswith((self.origin + "/", "data:"))]
        assert foreign == []
        errors = self.console_errors
        if error_pages:
            errors = [e for e in errors if not re.match(r"Failed to load resource.* 4\d\d ", e)]
        assert errors == []


@pytest.fixture
def browse(chromium: Path, shop: Shop, live_server: Any) -> Iterator[Callable[..., Browsing]]:
    """Return a function opening a browser page on the live server (after the data exists)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        contexts: list[Any] = []

        def open_page(
            *, width: int = 1280, height: int = 900, javascript: bool = True, mobile: bool = False
        ) -> Browsing:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                java_script_enabled=javascript,
                is_mobile=mobile,
                has_touch=mobile,
                device_scale_factor=2 if mobile else 1,
            )
            context.set_default_timeout(10_000)
            contexts.append(context)
            page = context.new_page()
            browsing = Browsing(page=page, origin=live_server.url)
            page.on("request", lambda request: browsing.requests.append(request.url))
            page.on(
                "console",
                lambda message: (
                    message.type == "error" and browsing.console_errors.append(message.text)
                ),
            )
            page.on("pageerror", lambda error: browsing.console_errors.append(str(error)))
            return browsing

        yield open_page
        for context in contexts:
            context.close()
        browser.close()
        # Queries the test ran while Playwright drove the page used their own connection
        # (Playwright's loop gives the test another context); close it, or PostgreSQL keeps
        # it open until the test database is dropped.
        connections.close_all()
