"""Device identifiers at dispatch: one IMEI or serial number per unit, checked, then shown to
the buyer on the order page and the invoice (COLLECT-3)."""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recommerce.orders.models import Order, UnitIdentifier
from recommerce.orders.pdf import invoice_render_pdf
from recommerce.orders.selectors import order_unit_identifiers
from recommerce.orders.services import fulfilment
from recommerce.orders.services.units import unit_identifier_parse
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.registry import Erasure, registry
from tests.orders.conftest import World, seller_key, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
IMEI = "356938035643809"
IMEI_2 = "490154203237518"
TITLE = "Apple iPhone 13 128 GB · Blue · Unlocked"


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        (IMEI, ("imei", IMEI)),
        ("35-693803-564380-9", ("imei", IMEI)),
        (" 35 693803 564380 9 ", ("imei", IMEI)),
        ("c02xl0gtjgh5", ("serial", "C02XL0GTJGH5")),
        ("SN-1234", ("serial", "SN-1234")),
        ("3569380356438", ("serial", "3569380356438")),  # 13 digits: not an IMEI
    ],
)
def test_fifteen_digits_are_an_imei_anything_else_a_serial(typed: str, parsed: Any) -> None:
    assert unit_identifier_parse(typed) == parsed


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "356938035643808",
            "The check digit of IMEI 356938035643808 does not match: look for a typing mistake.",
        ),
        ("AB1", "A serial number has 4 to 30 characters; “AB1” has 3. An IMEI has 15 digits."),
        (
            "X" * 31,
            f"A serial number has 4 to 30 characters; “{'X' * 31}” has 31. An IMEI has 15 digits.",
        ),
        (
            "SN 12/34",
            "A serial number has only letters, digits and dashes; “SN 12/34” has other characters.",
        ),
        ("   ", "Enter the unit's IMEI or serial number."),
    ],
)
def test_a_bad_identifier_is_refused_with_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        unit_identifier_parse(typed)
    assert refused.value.messages == [message]


def test_shipping_records_one_identifier_per_unit(world: World) -> None:
    order = world.make(quantity=2, status=Order.Status.ACCEPTED)
    line = order.lines.get()
    fulfilment.order_ship(
        order=order, actor=world.side.owner, units={line.pk: ["35-693803-564380-9", "sn-77aa"]}
    )
    assert [
        (u.line_id, u.position, u.kind, u.value) for u in order_unit_identifiers(order=order)
    ] == [(line.pk, 1, "imei", IMEI), (line.pk, 2, "serial", "SN-77AA")]
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED


@pytest.mark.parametrize(
    ("units", "problems"),
    [
        (
            lambda line: {line.pk: [IMEI]},
            [f"{TITLE}: give one IMEI or serial number per unit, 2 in all (1 given)."],
        ),
        (
            lambda line: {line.pk: [IMEI, "35 693803 564380 9"]},
            [
                f"{TITLE}, unit 2: {IMEI} is already given for {TITLE}, unit 1; "
                "each device has its own."
            ],
        ),
        (
            lambda line: {line.pk: ["356938035643808", "AB"]},
            [
                f"{TITLE}, unit 1: The check digit of IMEI 356938035643808 does "
                "not match: look for a typing mistake.",
                f"{TITLE}, unit 2: A serial number has 4 to 30 characters; “AB” "
                "has 2. An IMEI has 15 digits.",
            ],
        ),
        (
            lambda line: {line.pk: [IMEI, IMEI_2], 999_999: ["SN-0001"]},
            ["Line 999999 is not part of order {number}."],
        ),
    ],
)
def test_shipping_without_a_valid_identifier_per_unit_ships_nothing(
    world: World, units: Any, problems: list[str]
) -> None:
    order = world.make(quantity=2, status=Order.Status.ACCEPTED)
    line = order.lines.get()
    assert line.title == TITLE
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_ship(order=order, actor=world.side.owner, units=units(line))
    assert refused.value.message_dict == {
        "units": [p.format(number=order.number) for p in problems]
    }
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.tracking_number) == (Order.Status.ACCEPTED, "")
    assert UnitIdentifier.objects.count() == 0
    assert not Disclosure.objects.filter(recipient_kind="carrier").exists()


def test_the_buyer_sees_the_identifiers_on_the_order_page_and_the_invoice(world: World) -> None:
    order = world.make(quantity=2)
    line = order.lines.get()
    fulfilment.order_ship(order=order, actor=world.side.owner, units={line.pk: [IMEI, "SN-77AA"]})
    page = signed_in(world.buyer).get(reverse("orders:detail", kwargs={"number": order.number}))
    html = page.content.decode()
    section = html.split('id="units-title"', 1)[1].split("</ul>", 1)[0]
    items = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li)).strip() for li in section.split("<li>")[1:]
    ]
    assert items == [
        f"{TITLE}, unit 1 · IMEI {IMEI}",
        f"{TITLE}, unit 2 · Serial number SN-77AA",
    ]


def post(url: str, body: dict[str, Any], **headers: Any) -> Any:
    return signed_in(None).post(url, body, content_type="application/json", **headers)


def _pdf_text(content: bytes) -> str:
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(s) for s in streams).decode("latin-1")


def test_the_invoice_pdf_lists_the_devices_and_keeps_its_lines(world: World) -> None:
    from tests.orders.finance_fixtures import make_order as make_booked_order

    order = make_booked_order(world.side.seller, buyer=world.buyer)
    invoice = order.invoices.get(kind="sale")
    issued = list(invoice.lines)
    before = _pdf_text(invoice_render_pdf(invoice=invoice))
    assert "Device identifiers" not in before
    line = order.lines.get()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.ACCEPTED)
    fulfilment.order_ship(
        order=order,
        actor=world.side.owner,
        units={line.pk: [IMEI]},
        carrier_tracking="1Z999AA1",
        carrier_name="UPS",
    )
    invoice.refresh_from_db()
    content = invoice_render_pdf(invoice=invoice)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    assert "Device identifiers" in text
    assert f"{line.title}: IMEI {IMEI}" in text
    assert invoice.lines == issued  # the invoice stays as issued


def test_the_seller_ships_from_the_page_with_one_input_per_unit(world: World) -> None:
    order = world.make(quantity=2, status=Order.Status.ACCEPTED)
    line = order.lines.get()
    client = signed_in(world.side.owner)
    url = reverse("seller_orders:detail", kwargs={"number": order.number})
    form = client.get(url).content.decode()
    for n in (1, 2):
        assert f'<label for="id_ship-unit_{line.pk}_{n}">{TITLE}, unit {n}:</label>' in form
    bad = client.post(
        url,
        {
            "action": "ship",
            "ship-how": "carrier",
            f"ship-unit_{line.pk}_1": "356938035643808",
            f"ship-unit_{line.pk}_2": "",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert (
        f'id="id_ship-unit_{line.pk}_1_error">The check digit of IMEI 356938035643808 does not '
        "match: look for a typing mistake.</p>"
    ) in html
    assert f'id="id_ship-unit_{line.pk}_2_error">Enter the unit&#x27;s IMEI or serial' in html
    same = client.post(
        url,
        {
            "action": "ship",
            "ship-how": "carrier",
            f"ship-unit_{line.pk}_1": IMEI,
            f"ship-unit_{line.pk}_2": IMEI,
        },
    )
    assert same.status_code == 400
    assert f"is already given for {TITLE}, unit 1" in same.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.ACCEPTED
    assert UnitIdentifier.objects.count() == 0
    done = client.post(
        url,
        {
            "action": "ship",
            "ship-how": "carrier",
            f"ship-unit_{line.pk}_1": IMEI,
            f"ship-unit_{line.pk}_2": IMEI_2,
        },
    )
    assert done.status_code == 302
    assert [u.value for u in order_unit_identifiers(order=order)] == [IMEI, IMEI_2]


def test_the_seller_api_ships_with_units_and_refuses_bad_ones(world: World) -> None:
    order = world.make(quantity=2, status=Order.Status.ACCEPTED)
    line = order.lines.get()
    secret = seller_key(world.side.seller, world.side.owner, "orders:read", "orders:write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    url = f"/api/v1/seller/orders/{order.number}/ship"
    detail = signed_in(None).get(f"/api/v1/seller/orders/{order.number}", **auth).json()
    assert [entry["id"] for entry in detail["lines"]] == [line.pk]
    missing = post(url, {}, **auth)
    assert missing.status_code == 422
    twice = post(
        url,
        {"units": [{"line": line.pk, "identifiers": [IMEI]}] * 2},
        **auth,
    )
    assert twice.status_code == 400
    assert twice.json()["detail"] == [
        {"loc": ["body", "units"], "msg": f"Line {line.pk} is listed twice."}
    ]
    bad = post(
        url,
        {"units": [{"line": line.pk, "identifiers": [IMEI, "x"]}]},
        **auth,
    )
    assert bad.status_code == 400
    assert bad.json()["detail"] == [
        {
            "loc": ["body", "units"],
            "msg": f"{TITLE}, unit 2: A serial number has 4 to 30 characters; "
            "“x” has 1. An IMEI has 15 digits.",
        }
    ]
    assert UnitIdentifier.objects.count() == 0
    body = {"units": [{"line": line.pk, "identifiers": [IMEI, IMEI_2]}]}
    shipped = post(url, body, **auth)
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    mine = signed_in(world.buyer).get(f"/api/v1/orders/{order.number}").json()
    assert mine["lines"][0]["units"] == [
        {"position": 1, "kind": "imei", "value": IMEI},
        {"position": 2, "kind": "imei", "value": IMEI_2},
    ]


def test_the_identifiers_are_the_buyers_data_kept_with_the_invoice() -> None:
    for name in ("line", "value"):
        field = registry.personal_fields[("orders.UnitIdentifier", name)]
        assert field.category == "user.device.identifier"
        assert field.subject == "line__order__buyer"
        assert field.purposes == (purposes.SERVICE_ORDERS, purposes.LEGAL_ACCOUNTING)
        assert field.erasure == Erasure.LEGAL_HOLD
        assert field.retention.years == 10
        assert field.retention.clock == ("line__order__paid_at", "line__order__created_at")
        assert field.export_label == "Orders: device identifiers (IMEI / serial)"
        assert field.recipients == ("the seller",)
    presentation = registry.presentation(UnitIdentifier)
    assert presentation.within == "line"
