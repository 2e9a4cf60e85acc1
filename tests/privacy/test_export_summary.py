"""The export's ``summary.html`` reads as a statement (RIGHT-1, hardening 5.4).

A section per kind of data, the account first; orders with their number, seller, items and
prices formatted from minor units; dates in the person's language; nested values as lists;
nothing but the file itself (no script, no outside asset). ``data.json`` keeps the raw record.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from recommerce.accounts.models import Address, User
from recommerce.orders.models import Invoice, Order, OrderLine
from recommerce.privacy import purposes
from recommerce.privacy.models import DataRequest, DataRequestEvent
from recommerce.privacy.registry import Erasure, Registry, Retention, personal
from recommerce.privacy.rights.export import export_archive_bytes
from recommerce.privacy.rights.schema import export_json_schema
from recommerce.privacy.services.requests import data_request_submit
from tests.privacy.test_rights_erasure import CANARY_NAME, CANARY_STREET, buy, deliver, make_person
from tests.privacy.test_rights_export import SCHEMA_URL, unzip, validate
from tests.storage import throwaway_storage

pytestmark = pytest.mark.django_db

# Saturday 14 March 2026, 10:30 in Paris: orders are placed then, delivered three days later.
PLACED = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def storage_dirs(settings: Any, tmp_path: Path) -> Iterator[None]:
    throwaway_storage(settings, tmp_path)
    yield


@pytest.fixture
def bought(django_capture_on_commit_callbacks: Callable[..., Any]) -> dict[str, Any]:
    """A buyer with two delivered orders from two sellers, placed on a fixed day."""
    with time_machine.travel(PLACED, tick=False):
        person = make_person()
        purchase = buy(person, django_capture_on_commit_callbacks)
        deliver(purchase, django_capture_on_commit_callbacks)
    orders = list(Order.objects.filter(buyer=person).select_related("seller").order_by("pk"))
    return {"person": User.objects.get(pk=person.pk), "orders": orders}


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def in_paris(moment: dt.datetime | None) -> str:
    """Return how an English reader sees ``moment``: "17 March 2026, 08:30" (Paris time)."""
    assert moment is not None
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def summary_of(person: User, **kwargs: Any) -> str:
    with time_machine.travel(PLACED + dt.timedelta(days=30), tick=False):
        files = unzip(export_archive_bytes(person, schema_url=SCHEMA_URL, **kwargs))
    return files["summary.html"].decode()


class _Articles(HTMLParser):
    """Collect the text of each top-level ``<article>`` of a section, by the section's id."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.depth = 0
        self.found: dict[str, list[str]] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "section" and dict(attrs).get("id"):
            self.section = dict(attrs)["id"] or ""
        if tag == "article":
            self.depth += 1
            if self.depth == 1:
                self.found.setdefault(self.section, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and self.section in self.found:
            self.found[self.section][-1] += data + " "


def articles(summary: str) -> tuple[dict[str, list[str]], list[str]]:
    parser = _Articles()
    parser.feed(summary)
    return parser.found, parser.tags


def test_right_1_summary_shows_each_order_with_number_seller_items_and_prices(
    bought: dict[str, Any],
) -> None:
    """Hardening 5.4: an order reads as on a statement, its items inside it."""
    person, orders = bought["person"], bought["orders"]

    summary = summary_of(person)

    found, _ = articles(summary)
    cards = found["orders-order"]
    assert len(cards) == 2
    for card, order in zip(cards, orders, strict=True):
        line = OrderLine.objects.get(order=order)
        text = " ".join(card.split())
        assert f"Order {order.number}" in text
        assert f"Seller {order.seller.name}" in text
        assert "Status Delivered" in text
        assert f"{line.title} Grade" in text
        expected = f"€{order.total_minor // 100}.00"
        assert f"Unit price {expected}" in text
        assert f"Total {expected}" in text
        assert "Placed 14 March 2026, 10:30" in text
        assert f"Delivered at {in_paris(order.delivered_at)}" in text
        assert "Delivery city Qwyzxville" in text and "Delivery country France" in text
        assert str(order.total_minor) not in text  # no amount left in minor units
    # The items and the tracking are inside their orders, not sections of their own.
    assert "orders-orderline" not in found and "orders-trackingevent" not in found
    assert 'id="orders-orderline"' not in summary
    # The emptied cart says what it holds rather than showing a blank card.
    (cart,) = found["checkout-cart"]
    assert cart.strip() == "Nothing but its link to your account."


def test_right_1_summary_sections_follow_the_registry_account_first(
    bought: dict[str, Any],
) -> None:
    """Hardening 5.4: a section per kind of data, the account first, listed at the top."""
    summary = summary_of(bought["person"])

    ids = re.findall(r'<section id="([^"]+)"', summary)
    assert ids[0] == "accounts-user"
    assert {
        "accounts-address",
        "account-emailaddress",
        "orders-order",
        "orders-invoice",
        "payments-payment",
        "checkout-checkout",
        "privacy-disclosure",
        "privacy-auditevent",
    } <= set(ids)
    assert ids.index("orders-order") < ids.index("privacy-disclosure")
    titles = re.findall(r"<section id=\"[^\"]+\"><h2>([^<]+)</h2>", summary)
    assert titles[:3] == ["Your account", "Email addresses", "Address book"]
    for anchor in ids:
        assert f'<a href="#{anchor}">' in summary
    assert "Account number" in summary and "prepared on 13 April 2026, 11:30" in summary


def test_right_1_summary_shows_nested_values_as_lists_never_raw_text(
    bought: dict[str, Any],
) -> None:
    """Hardening 5.4: JSON values (an invoice's lines, an address) become lists."""
    person, orders = bought["person"], bought["orders"]
    invoice = Invoice.objects.filter(order=orders[0]).get()

    summary = summary_of(person)

    found, tags = articles(summary)
    card = " ".join(
        next(
            c for c in found["orders-invoice"] if invoice.number in c and orders[0].number in c
        ).split()
    )
    assert f"Invoice {invoice.number}" in card
    assert f"Order {orders[0].number}" in card
    gross = invoice.lines[0]["gross"]
    assert f"Gross €{gross // 100}.00" in card
    assert "VAT rate 20%" in card
    assert f"Address {CANARY_STREET} 75011 Qwyzxville FR" in card
    # No Python or JSON text of a mapping or a list anywhere.
    assert not re.search(r"\{['\"]|\['|\[\"", summary)
    assert "'name':" not in summary and '"name":' not in summary
    assert {"dl", "ul", "li"} <= set(tags)
    # Codes in lists read as words: the fields a seller received.
    assert "<li>Delivery postal code</li>" in summary
    assert "delivery_postal_code" not in summary
    # Only the file itself: no script, no stylesheet or image from elsewhere.
    assert "<script" not in summary and "<link" not in summary and " src=" not in summary
    assert "@import" not in summary and "url(" not in summary


def test_right_1_summary_speaks_the_persons_language(bought: dict[str, Any]) -> None:
    """Hardening 5.4: a French speaker reads French dates, prices and headings."""
    person, orders = bought["person"], bought["orders"]
    person.language = "fr"
    person.save(update_fields=["language"])

    summary = summary_of(person)

    assert summary.startswith('<!doctype html>\n<html lang="fr">')
    assert "Vos données chez Recommerce" in summary
    assert "préparé le 13 avril 2026, 11:30" in summary
    text = " ".join(articles(summary)[0]["orders-order"][0].split())
    assert f"Commande {orders[0].number}" in text
    assert "14 mars 2026, 10:30" in text
    assert re.search(r"200,00\s€", text), text
    assert "March" not in summary and "€200.00" not in summary
    assert "Oui" in summary  # a yes/no value (the primary email address)


def test_right_1_summary_shows_a_new_apps_data_without_declarations() -> None:
    """Hardening 5.4: a model registered without ``present`` still has its section."""
    person = make_person()
    bare = Registry()
    bare.register(
        Address,
        personal(
            "user",
            "full_name",
            "line1",
            "postal_code",
            "city",
            "country",
            category="user.contact.address",
            subject="user",
            purposes=[purposes.SERVICE_ACCOUNT],
            retention=Retention(days=None, starts="account closure"),
            erasure=Erasure.DELETE,
            export_label="Saved places",
        ),
    )

    with time_machine.travel(PLACED, tick=False):
        files = unzip(export_archive_bytes(person, schema_url=SCHEMA_URL, reg=bare))

    validate(json.loads(files["data.json"]), export_json_schema(reg=bare))
    summary = files["summary.html"].decode()
    assert '<section id="accounts-address"><h2>Saved places</h2>' in summary
    cards = articles(summary)[0]["accounts-address"]
    assert len(cards) == 2
    text = " ".join(cards[0].split())
    assert f"Address {CANARY_STREET}" in text and "Country France" in text
    assert f"Full name {CANARY_NAME}" in text
    assert f"User {person.pk}" not in text  # the link to the person is not a value to read


def test_right_1_summary_escapes_what_people_typed() -> None:
    """Hardening 5.4: text from a person is shown as text, never as markup."""
    person = make_person(name='<img src=x onerror="alert(1)">Zed')

    summary = summary_of(person)

    assert "<img" not in summary
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Zed" in summary


def test_right_1_summary_shows_a_request_with_its_steps_inside() -> None:
    """Hardening 5.4: a request by its reference, its steps inside it (read by the link)."""
    person = make_person()
    with time_machine.travel(PLACED, tick=False):
        request = data_request_submit(
            kind=DataRequest.Kind.ACCESS,
            channel=DataRequest.Channel.ACCOUNT,
            jurisdiction=DataRequest.Jurisdiction.GDPR,
            full_name=person.full_name,
            email=person.email,
            user=person,
        )
    steps = list(DataRequestEvent.objects.filter(request=request))
    assert steps  # control: the submission wrote its steps

    summary = summary_of(person)

    (card,) = articles(summary)[0]["privacy-datarequest"]
    text = " ".join(card.split())
    assert f"Request {request.reference}" in text
    assert "Received 14 March 2026, 10:30" in text
    for step in steps:
        assert f"Step {step.action}" in text
    assert 'id="privacy-datarequestevent"' not in summary
