"""The data export's ``summary.html`` opened from disk, as a person opens it after unzipping:
readable on a phone (390 px) and a desktop, nothing loaded from anywhere (RIGHT-1, 5.4)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from tests.privacy.test_rights_erasure import buy, deliver, make_person

from recommerce.orders.models import Order
from recommerce.privacy.rights.export import export_archive_bytes

from .conftest import CHROMIUM_ARGS, SCREENSHOTS
from .test_seller_journey import assert_no_sideways_scroll

pytestmark = pytest.mark.browser

PLACED = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def unzipped(
    db: None,
    tmp_path: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> dict[str, Any]:
    """A buyer of two delivered orders, their export unzipped in a folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(PLACED, tick=False):
        person = make_person("summary.reader@example.org", name="Élise Summary")
        deliver(buy(person, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
        content = export_archive_bytes(person, schema_url="https://shop.example/schema.json")
    folder = tmp_path / "export"
    zipfile.ZipFile(BytesIO(content)).extractall(folder)
    orders = list(Order.objects.filter(buyer=person).select_related("seller").order_by("pk"))
    return {"summary": folder / "summary.html", "orders": orders}


@pytest.mark.parametrize(("screen", "width"), [("mobile", 390), ("desktop", 1280)])
def test_right_1_the_summary_reads_on_a_phone_and_a_desktop(
    chromium: Path, unzipped: dict[str, Any], screen: str, width: int
) -> None:
    """Hardening 5.4: the summary fits the screen and shows orders as a statement."""
    from playwright.sync_api import sync_playwright

    url = unzipped["summary"].as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url)

        assert requested == [url]  # no stylesheet, font, script or image from anywhere
        assert page.locator("script").count() == 0
        assert_no_sideways_scroll(page, width)
        text = page.locator("main").inner_text()
        cards = page.locator("#orders-order > article")
        assert cards.count() == 2
        for index, order in enumerate(unzipped["orders"]):
            card = cards.nth(index)
            assert card.locator("h3").inner_text() == f"Order {order.number}"
            body = card.inner_text()
            assert order.seller.name in body
            price = f"€{order.total_minor // 100:,}.00"
            assert re.search(rf"Unit price\s+{re.escape(price)}", body), body
            assert re.search(rf"Total\s+{re.escape(price)}", body), body
            assert re.search(r"Placed\s+14 March 2026, 10:30", body), body
            assert str(order.total_minor) not in body
        assert "Your account" in text and "Élise Summary" in text
        assert not re.search(r"\{'|\{\"|\['|'\w+': ", text)  # no dict or list as text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{screen}-export-summary.png"), full_page=True)
        cards.first.screenshot(path=str(SCREENSHOTS / f"{screen}-export-summary-order.png"))
        browser.close()
