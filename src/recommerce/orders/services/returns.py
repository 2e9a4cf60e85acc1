"""Return parcels: a prepaid label from the buyer back to the seller, and its tracking.

The carrier receives what a return needs and nothing more (SHARE-2): the buyer's delivery
name, address and phone as the sender, the seller's return address as the recipient. The
send is logged with ``disclosure_record`` in the transaction that asks for the label
(SHARE-5), under the return's reference, so an erasure later tells the carrier of it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.orders.models import Order
from recommerce.orders.providers.carrier import (
    ParcelAddress,
    Shipment,
    TrackingUpdate,
    get_carrier,
)
from recommerce.orders.services.fulfilment import CARRIER_FIELDS
from recommerce.platform.providers import ProviderError
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record

MAX_REFERENCE = 64


def _return_address(order: Order) -> ParcelAddress:
    seller = order.seller
    address = ParcelAddress(
        name=seller.legal_name or seller.name,
        line1=seller.return_line1,
        postal_code=seller.return_postal_code,
        city=seller.return_city,
        country=str(seller.return_country),
    )
    if not (address.line1.strip() and address.city.strip() and address.country.strip()):
        raise ValidationError(
            f"{seller.name} has no complete return address yet: a return label needs one."
        )
    return address


@transaction.atomic
def return_label_issue(*, order: Order, reference: str) -> Shipment:
    """Register a prepaid return parcel from the order's delivery address to its seller.

    ``reference`` names the return (a claim's number) and is what the carrier knows it by.
    Only a parcel that left can come back; an address the carrier refuses is a
    ``ValidationError`` that says why, and nothing is logged as sent.
    """
    order = Order.objects.select_related("seller").get(pk=order.pk)
    reference = reference.strip()
    if not reference or len(reference) > MAX_REFERENCE:
        raise ValidationError(
            {"reference": f"A return needs a reference of 1 to {MAX_REFERENCE} characters."}
        )
    if order.shipped_at is None:
        raise ValidationError(
            f"Order {order.number} was never shipped: there is no parcel to send back."
        )
    sender = ParcelAddress(
        name=order.delivery_name,
        line1=order.delivery_line1,
        line2=order.delivery_line2,
        postal_code=order.delivery_postal_code,
        city=order.delivery_city,
        country=order.delivery_country,
        phone=order.delivery_phone,
    )
    try:
        shipment = get_carrier().return_label_create(
            reference=reference, sender=sender, recipient=_return_address(order)
        )
    except ProviderError as exc:
        raise ValidationError(f"The carrier did not register the return parcel: {exc}") from exc
    disclosure_record(
        subject=order.buyer,
        recipient_kind=Disclosure.RecipientKind.CARRIER,
        recipient=shipment.carrier,
        fields=CARRIER_FIELDS,
        purpose=purposes.SERVICE_ORDERS,
        reference=reference,
    )
    return shipment


def return_tracking(*, tracking_number: str) -> list[TrackingUpdate]:
    """Return a return parcel's steps so far, oldest first.

    Raises ``ProviderError`` (``ProviderUnavailable`` while the carrier is down) for the
    caller to report.
    """
    return get_carrier().tracking(tracking_number=tracking_number)
