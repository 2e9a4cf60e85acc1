"""Return labels: a prepaid parcel from the buyer to the seller's return address, logged as a
disclosure to the carrier (SHARE-2, SHARE-5), followed like any parcel."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Seller
from recommerce.orders.models import Order
from recommerce.orders.providers.carrier import ParcelAddress, SandboxCarrier, get_carrier
from recommerce.orders.services.returns import return_label_issue, return_tracking
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy.models import Disclosure
from tests.orders.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fulfilment_env")]
CREATED = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
BUYER = ParcelAddress(
    name="Alice Martin",
    line1="12 Rue des Lilas",
    line2="3e étage",
    postal_code="75011",
    city="Paris",
    country="FR",
    phone="+33612345678",
)
WAREHOUSE = ParcelAddress(
    name="Refurb Lyon SAS", line1="4 Quai Perrache", postal_code="69002", city="Lyon", country="FR"
)


def test_a_return_label_has_its_own_prefix_the_same_journey_and_a_printable_pdf() -> None:
    carrier = SandboxCarrier()
    with time_machine.travel(CREATED, tick=False):
        label = carrier.return_label_create(reference="RET-1", sender=BUYER, recipient=WAREHOUSE)
    assert label.carrier == "Sandbox Parcel"
    assert label.tracking_number.startswith(f"SR{int(CREATED.timestamp())}")
    assert len(label.tracking_number) == 18
    assert carrier.returns == ["RET-1"] and carrier.shipments == []
    with time_machine.travel(CREATED + dt.timedelta(hours=13), tick=False):
        steps = carrier.tracking(tracking_number=label.tracking_number)
    assert [s.code for s in steps] == ["label_created", "picked_up", "in_transit"]
    pdf = carrier.label_pdf(tracking_number=label.tracking_number)
    assert pdf.startswith(b"%PDF")
    # Another instance (another process) still prints a label for a number it can check.
    assert SandboxCarrier().label_pdf(tracking_number=label.tracking_number).startswith(b"%PDF")
    forged = label.tracking_number[:-1] + ("0" if label.tracking_number[-1] != "0" else "1")
    with pytest.raises(ProviderError, match="No parcel has the tracking number") as refused:
        carrier.label_pdf(tracking_number=forged)
    assert refused.value.code == "UNKNOWN_PARCEL"


@pytest.mark.parametrize(
    ("sender", "recipient", "message"),
    [
        (
            ParcelAddress("Alice Martin", "12 Rue des Lilas", "7501", "Paris", "FR"),
            WAREHOUSE,
            "The postal code “7501” is not valid for FR: it should be 5 digits.",
        ),
        (
            BUYER,
            ParcelAddress("Refurb Lyon SAS", "", "69002", "", "FR"),
            "The return address has no street or city.",
        ),
        (
            ParcelAddress("", "12 Rue des Lilas", "75011", "Paris", "FR"),
            WAREHOUSE,
            "The sender's address has no name.",
        ),
    ],
)
def test_an_address_the_carrier_cannot_serve_is_refused(
    sender: ParcelAddress, recipient: ParcelAddress, message: str
) -> None:
    carrier = SandboxCarrier()
    with pytest.raises(ProviderError) as refused:
        carrier.return_label_create(reference="RET-2", sender=sender, recipient=recipient)
    assert (str(refused.value), refused.value.code) == (message, "INVALID_ADDRESS")
    assert carrier.returns == []


def test_a_carrier_that_is_down_says_so() -> None:
    carrier = SandboxCarrier(unavailable=True)
    with pytest.raises(ProviderUnavailable):
        carrier.return_label_create(reference="RET-3", sender=BUYER, recipient=WAREHOUSE)
    with pytest.raises(ProviderUnavailable):
        carrier.label_pdf(tracking_number="SR1767225600A1B2C3")


def _with_return_address(world: World) -> None:
    Seller.objects.filter(pk=world.side.seller.pk).update(
        legal_name="Refurb Lyon SAS",
        return_line1="4 Quai Perrache",
        return_postal_code="69002",
        return_city="Lyon",
        return_country="FR",
    )


def test_issuing_a_return_label_tells_the_carrier_and_logs_it(world: World) -> None:
    _with_return_address(world)
    order = world.make(status=Order.Status.DELIVERED, shipped_at=CREATED - dt.timedelta(days=3))
    with time_machine.travel(CREATED, tick=False):
        label = return_label_issue(order=order, reference="RET-0042")
    assert label.tracking_number.startswith("SR")
    carrier = get_carrier()
    assert isinstance(carrier, SandboxCarrier)
    assert carrier.returns == ["RET-0042"]
    reference, sender, recipient = carrier.parcels[label.tracking_number]
    assert (reference, sender, recipient) == ("RET-0042", BUYER, WAREHOUSE)
    [disclosure] = Disclosure.objects.all()
    assert (
        disclosure.subject_id,
        disclosure.recipient_kind,
        disclosure.recipient,
        disclosure.reference,
        disclosure.purpose,
    ) == (world.buyer.pk, "carrier", "Sandbox Parcel", "RET-0042", "service.orders")
    assert disclosure.fields == [
        "delivery_city",
        "delivery_country",
        "delivery_line1",
        "delivery_line2",
        "delivery_name",
        "delivery_phone",
        "delivery_postal_code",
    ]
    assert carrier.label_pdf(tracking_number=label.tracking_number).startswith(b"%PDF")
    with time_machine.travel(CREATED + dt.timedelta(hours=41), tick=False):
        steps = return_tracking(tracking_number=label.tracking_number)
    assert [s.code for s in steps][-1] == "delivered"


def test_an_invalid_postal_code_is_refused_and_nothing_is_logged(world: World) -> None:
    _with_return_address(world)
    order = world.make(
        status=Order.Status.DELIVERED, shipped_at=CREATED, delivery_postal_code="ABC"
    )
    with pytest.raises(ValidationError) as refused:
        return_label_issue(order=order, reference="RET-0043")
    assert refused.value.messages == [
        "The carrier did not register the return parcel: The postal code “ABC” is not valid "
        "for FR: it should be 5 digits."
    ]
    assert Disclosure.objects.count() == 0
    assert get_carrier().returns == []  # type: ignore[attr-defined]


def test_no_return_address_or_no_parcel_means_no_label(world: World) -> None:
    delivered = world.make(status=Order.Status.DELIVERED, shipped_at=CREATED)
    with pytest.raises(ValidationError) as refused:
        return_label_issue(order=delivered, reference="RET-0044")
    assert refused.value.messages == [
        "Refurb Lyon has no complete return address yet: a return label needs one."
    ]
    _with_return_address(world)
    never_shipped = world.make()
    with pytest.raises(ValidationError) as refused:
        return_label_issue(order=never_shipped, reference="RET-0045")
    assert refused.value.messages == [
        f"Order {never_shipped.number} was never shipped: there is no parcel to send back."
    ]
    with pytest.raises(ValidationError):
        return_label_issue(order=delivered, reference="  ")
    assert Disclosure.objects.count() == 0
    assert get_carrier().returns == []  # type: ignore[attr-defined]


def test_an_unavailable_carrier_is_a_clear_refusal(world: World, monkeypatch) -> None:
    _with_return_address(world)
    order = world.make(status=Order.Status.DELIVERED, shipped_at=CREATED)
    monkeypatch.setattr(get_carrier(), "unavailable", True)
    with pytest.raises(ValidationError) as refused:
        return_label_issue(order=order, reference="RET-0046")
    assert refused.value.messages == [
        "The carrier did not register the return parcel: The carrier's service is unavailable "
        "(sandbox)."
    ]
    assert Disclosure.objects.count() == 0
