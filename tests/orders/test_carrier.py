"""The sandbox carrier, and tracking that follows the parcel until it is delivered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.orders.models import Order, TrackingEvent
from recommerce.orders.providers.carrier import SandboxCarrier, get_carrier
from recommerce.orders.services import fulfilment
from recommerce.orders.tasks import tracking_refresh_all
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import World, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
SHIP_TIME = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
ADDRESS = {
    "reference": "R1",
    "name": "Alice Martin",
    "line1": "12 Rue des Lilas",
    "line2": "",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
    "phone": "+33612345678",
}


def test_shipment_numbers_have_a_fixed_form_and_are_checked() -> None:
    carrier = SandboxCarrier()
    with time_machine.travel(SHIP_TIME, tick=False):
        shipment = carrier.shipment_create(**ADDRESS)
    assert shipment.carrier == "Sandbox Parcel"
    assert shipment.tracking_number.startswith(f"SP{int(SHIP_TIME.timestamp())}")
    assert len(shipment.tracking_number) == 18
    assert shipment.label_url.endswith(f"/labels/{shipment.tracking_number}.pdf")
    forged = shipment.tracking_number[:-1] + ("0" if shipment.tracking_number[-1] != "0" else "1")
    with pytest.raises(ProviderError, match="No parcel has the tracking number") as refused:
        carrier.tracking(tracking_number=forged)
    assert refused.value.code == "UNKNOWN_PARCEL"


@pytest.mark.parametrize(
    ("country", "postal_code", "shape"),
    [
        ("FR", "7501", "5 digits"),
        ("FR", "75O11", "5 digits"),
        ("NL", "1012", "4 digits and 2 letters, such as 1012 AB"),
        ("PT", "1100148", "the form 1100-148"),
        ("XX", "!!", "letters and digits"),
    ],
)
def test_invalid_postal_codes_are_refused_with_a_clear_message(
    country: str, postal_code: str, shape: str
) -> None:
    carrier = SandboxCarrier()
    with pytest.raises(ProviderError) as refused:
        carrier.shipment_create(**{**ADDRESS, "country": country, "postal_code": postal_code})
    assert str(refused.value) == (
        f"The postal code “{postal_code}” is not valid for {country}: it should be {shape}."
    )
    assert refused.value.code == "INVALID_ADDRESS"
    assert carrier.shipments == []


@pytest.mark.parametrize(
    ("country", "postal_code"),
    [
        ("FR", "75011"),
        ("NL", "1012 AB"),
        ("IE", "D02 X285"),
        ("US", "94107-1234"),
        ("GB", "SW1A 1AA"),
    ],
)
def test_valid_postal_codes_are_taken(country: str, postal_code: str) -> None:
    shipment = SandboxCarrier().shipment_create(
        **{**ADDRESS, "country": country, "postal_code": postal_code}
    )
    assert shipment.tracking_number.startswith("SP")


def test_tracking_advances_with_time() -> None:
    carrier = SandboxCarrier()
    with time_machine.travel(SHIP_TIME, tick=False):
        number = carrier.shipment_create(**ADDRESS).tracking_number
    steps = [
        (0, "label_created"),
        (2, "picked_up"),
        (12, "in_transit"),
        (30, "out_for_delivery"),
        (40, "delivered"),
    ]
    for index, (hours, _) in enumerate(steps):
        at = SHIP_TIME + dt.timedelta(hours=hours)
        with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
            before = [u.code for u in carrier.tracking(tracking_number=number)]
        with time_machine.travel(at, tick=False):
            updates = carrier.tracking(tracking_number=number)
        assert before == [code for _, code in steps[:index]]
        assert [(u.code, u.occurred_at) for u in updates] == [
            (code, SHIP_TIME + dt.timedelta(hours=h)) for h, code in steps[: index + 1]
        ]


def test_unavailable_carrier() -> None:
    carrier = SandboxCarrier(unavailable=True)
    with pytest.raises(ProviderUnavailable):
        carrier.shipment_create(**ADDRESS)


def test_invalid_postal_code_leaves_the_order_accepted(world: World) -> None:
    order = world.make(status=Order.Status.ACCEPTED, delivery_postal_code="750")
    with pytest.raises(ValidationError) as refused:
        fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    assert refused.value.messages == [
        "The carrier did not take the parcel: The postal code “750” is not valid for FR: "
        "it should be 5 digits."
    ]
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.tracking_number, fresh.shipped_at) == ("accepted", "", None)
    assert not Disclosure.objects.filter(recipient_kind=Disclosure.RecipientKind.CARRIER).exists()
    assert mail.outbox == []


def test_tracking_refresh_stores_each_step_once_and_delivers(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    order = world.make(status=Order.Status.ACCEPTED)
    with time_machine.travel(SHIP_TIME, tick=False):
        order = fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    with time_machine.travel(SHIP_TIME + dt.timedelta(hours=13), tick=False):
        for _ in range(3):
            fulfilment.order_tracking_refresh(order=order)
    assert list(TrackingEvent.objects.values_list("code", flat=True)) == [
        "label_created",
        "picked_up",
        "in_transit",
    ]
    assert Order.objects.get(pk=order.pk).status == "shipped"
    mail.outbox.clear()
    with (
        time_machine.travel(SHIP_TIME + dt.timedelta(hours=41), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tracking_refresh_all() == 1
        assert tracking_refresh_all() == 0
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.status == "delivered"
    assert fresh.delivered_at == SHIP_TIME + dt.timedelta(hours=40)
    assert TrackingEvent.objects.filter(order=order).count() == 5
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@example.com"], f"Recommerce: Your order {order.number} is delivered")
    ]


def test_refresh_leaves_orders_with_the_sellers_own_carrier_alone(world: World) -> None:
    order = world.make()
    order = fulfilment.order_ship(
        order=order,
        units=units_of(order),
        actor=world.side.owner,
        carrier_tracking="1Z999AA1",
        carrier_name="UPS",
    )
    assert tracking_refresh_all() == 0
    assert TrackingEvent.objects.count() == 0


def test_one_failing_parcel_does_not_stop_the_others(world: World, monkeypatch: Any) -> None:
    first, second = world.make(), world.make()
    first = fulfilment.order_ship(order=first, units=units_of(first), actor=world.side.owner)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=41)):
        second = fulfilment.order_ship(order=second, units=units_of(second), actor=world.side.owner)
    Order.objects.filter(pk=first.pk).update(tracking_number="SP0000000000FFFF00")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=90)):
        assert tracking_refresh_all() == 1
    assert Order.objects.get(pk=second.pk).status == "delivered"
    assert Order.objects.get(pk=first.pk).status == "shipped"
    assert isinstance(get_carrier(), SandboxCarrier)


def test_carrier_receives_only_name_address_and_phone(world: World) -> None:
    """SHARE-2 / SHARE-5: the carrier's disclosure names exactly what shipping needs."""
    order = world.make()
    fulfilment.order_ship(order=order, units=units_of(order), actor=world.side.owner)
    disclosure = Disclosure.objects.get(recipient_kind=Disclosure.RecipientKind.CARRIER)
    assert disclosure.fields == [
        "delivery_city",
        "delivery_country",
        "delivery_line1",
        "delivery_line2",
        "delivery_name",
        "delivery_phone",
        "delivery_postal_code",
    ]
    assert (disclosure.recipient, disclosure.reference, disclosure.subject_id) == (
        "Sandbox Parcel",
        order.number,
        world.buyer.pk,
    )
    assert disclosure.purpose == "service.orders"
