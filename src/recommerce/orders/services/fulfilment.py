"""An order's life after payment: hold review, acceptance, shipping, tracking, delivery,
cancellation and refunds, with the email of each step.

Every transition locks the order row, checks who acts (the buyer, a member of the seller
with an order role or its API key, staff with ``orders.change_order``) and refuses a
step the order's status does not allow with a ``ValidationError`` that says why; an actor
with no part in the order gets a ``PermissionError``. Emails leave after commit, so a
rolled-back step never announces itself.

Minimal sharing: a seller learns of an order only once it is paid and not held, through
``seller_order_view`` (SHARE-1); the carrier gets the delivery name, address and phone
(SHARE-2); each of those sends is logged with ``disclosure_record`` in the transaction
that records it (SHARE-5).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import SellerApiKey, User
from recommerce.accounts.services.sellers import seller_shipment_record
from recommerce.offers.services import offer_stock_return
from recommerce.orders import selectors
from recommerce.orders.models import Order, TrackingEvent
from recommerce.orders.projections import seller_buyer_fields, seller_order_view
from recommerce.orders.providers.carrier import TrackingCode, get_carrier
from recommerce.orders.services.insurance import insurance_cancel_for_order
from recommerce.orders.services.units import order_units_record
from recommerce.payments import services as payment_services
from recommerce.payments.models import Refund
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.money import format_money
from recommerce.platform.providers import ProviderError
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record

Actor = User | SellerApiKey
Status = Order.Status

# What the carrier receives to deliver the parcel (SHARE-2), as field names.
CARRIER_FIELDS: tuple[str, ...] = (
    "delivery_name",
    "delivery_line1",
    "delivery_line2",
    "delivery_postal_code",
    "delivery_city",
    "delivery_country",
    "delivery_phone",
)
# Who may cancel in which statuses: the buyer before acceptance, the seller before
# shipping, staff before delivery.
CANCELLABLE: dict[str, tuple[str, ...]] = {
    "buyer": (Status.HELD, Status.PAID),
    "seller": (Status.PAID, Status.ACCEPTED),
    "staff": (Status.HELD, Status.PAID, Status.ACCEPTED, Status.SHIPPED),
}
TOO_LATE: dict[str, str] = {
    Status.ACCEPTED: "only the seller or customer service can cancel it now.",
    Status.SHIPPED: "it can no longer be cancelled; the seller can refund it.",
    Status.DELIVERED: "a delivered order is returned, not cancelled.",
}
TRACKING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{3,63}")
MAX_REASON = 200


# --- Who acts -------------------------------------------------------------------------------


def _require(order: Order, actor: Actor, *allowed: str, doing: str) -> set[str]:
    capacities = selectors.order_actor_capacities(order=order, actor=actor) & set(allowed)
    if not capacities:
        raise PermissionError(f"You cannot {doing} order {order.number}.")
    return capacities


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _refused(order: Order, why: str) -> ValidationError:
    return ValidationError(f"Order {order.number} is {order.get_status_display().lower()}: {why}")


def _reason(reason: str, default: str) -> str:
    return (" ".join(reason.split()) or default)[:MAX_REASON]


# --- Emails ---------------------------------------------------------------------------------


def _link(name: str, number: str, fallback: str) -> str:
    try:
        path = reverse(name, kwargs={"number": number})
    except NoReverseMatch:
        # The pages' address is fixed; mail still goes out where the URLs are not mounted.
        path = fallback.format(number=number)
    return f"{settings.SITE_URL}{path}"


def buyer_order_url(order: Order) -> str:
    return _link("orders:detail", order.number, "/account/orders/{number}/")


def seller_order_url(order: Order) -> str:
    return _link("seller_orders:detail", order.number, "/account/seller/orders/{number}/")


def _mail(*, to: Sequence[str], subject: str, template: str, context: Mapping[str, Any]) -> None:
    transaction.on_commit(
        partial(send_templated, to=list(to), subject=subject, template=template, context=context)
    )


def _buyer_email(order: Order) -> str:
    return order.buyer.email if order.buyer else order.buyer_email


def _mail_buyer(order: Order, subject: str, template: str, **extra: Any) -> None:
    context = {
        "order": order,
        "lines": list(order.lines.all()),
        "url": buyer_order_url(order),
        "seller_name": order.seller.name,
        **extra,
    }
    _mail(to=[_buyer_email(order)], subject=subject, template=template, context=context)


def _mail_seller(order: Order, subject: str, template: str, **extra: Any) -> None:
    """Email the seller's owners and order managers, from the seller's projection only."""
    members = account_selectors.seller_members(seller=order.seller).filter(
        role__in=selectors.SELLER_ORDER_ROLES
    )
    context = {
        "order": seller_order_view(order),
        "seller_name": order.seller.name,
        "url": seller_order_url(order),
        **extra,
    }
    to = sorted({m.user.email for m in members.select_related("user")})
    _mail(to=to, subject=subject, template=template, context=context)


def _pass_to_seller(order: Order) -> None:
    """Give the seller the order: log the disclosure (SHARE-1, SHARE-5) and email them."""
    disclosure_record(
        subject=order.buyer,
        recipient_kind=Disclosure.RecipientKind.SELLER,
        recipient=order.seller.name,
        fields=seller_buyer_fields(order),
        purpose=purposes.SERVICE_ORDERS,
        reference=order.number,
    )
    _mail_seller(order, f"New order {order.number}", "orders/emails/new_order")


@transaction.atomic
def order_placed_notify(*, order: Order) -> None:
    """Confirm the order to the buyer; pass it to the seller unless it is held for review."""
    _mail_buyer(order, f"Your order {order.number} is confirmed", "orders/emails/confirmation")
    if order.status == Status.PAID:
        _pass_to_seller(order)


# --- Hold review ----------------------------------------------------------------------------


@transaction.atomic
def order_release_hold(*, order: Order, actor: Actor) -> Order:
    """Release an order held for review: it is paid, and now the seller's to fulfil."""
    order = _locked(order)
    _require(order, actor, "staff", doing="release")
    if order.status != Status.HELD:
        raise _refused(order, "only a held order can be released.")
    order.status = Status.PAID
    order.save(update_fields=["status", "updated_at"])
    _pass_to_seller(order)
    return order


@transaction.atomic
def order_reject_hold(*, order: Order, actor: Actor, reason: str) -> Order:
    """Reject a held order: cancel it and refund the buyer in full."""
    order = _locked(order)
    _require(order, actor, "staff", doing="reject")
    if order.status != Status.HELD:
        raise _refused(order, "only a held order can be rejected.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the order is rejected."})
    return _cancel(order, _reason(reason, ""), code=Refund.Reason.HOLD_REJECTED)


# --- Acceptance, shipping, tracking ---------------------------------------------------------


@transaction.atomic
def order_accept(*, order: Order, actor: Actor) -> Order:
    """Accept a paid order: the seller commits to ship it."""
    order = _locked(order)
    _require(order, actor, "seller", doing="accept")
    if order.status != Status.PAID:
        raise _refused(order, "only a paid order waiting for the seller can be accepted.")
    order.status = Status.ACCEPTED
    order.accepted_at = clock.now()
    order.save(update_fields=["status", "accepted_at", "updated_at"])
    return order


@transaction.atomic
def order_ship(
    *,
    order: Order,
    actor: Actor,
    units: Mapping[int, Sequence[str]],
    carrier_tracking: str = "",
    carrier_name: str = "",
) -> Order:
    """Ship an accepted (or paid) order, record its devices, and email the buyer the tracking.

    ``units`` maps each line's id to one IMEI or serial number per unit (rules:
    ``services.units``); nothing leaves until every unit has a valid one. Without
    ``carrier_tracking`` the parcel is registered with the platform's carrier, which
    receives the delivery name, address and phone; with it, the seller's own carrier and
    number are recorded and nothing is sent anywhere.
    """
    order = _locked(order)
    _require(order, actor, "seller", doing="ship")
    if order.status not in (Status.PAID, Status.ACCEPTED):
        raise _refused(order, "only a paid or accepted order can be shipped.")
    order_units_record(order=order, units=units)
    if carrier_tracking.strip():
        tracking = " ".join(carrier_tracking.split())
        if not TRACKING_NUMBER.fullmatch(tracking):
            raise ValidationError(
                {"carrier_tracking": "A tracking number has 4 to 64 letters, digits or dashes."}
            )
        carrier = _reason(carrier_name, "Seller's own carrier")[:32]
    else:
        provider = get_carrier()
        try:
            shipment = provider.shipment_create(
                reference=order.number,
                name=order.delivery_name,
                line1=order.delivery_line1,
                line2=order.delivery_line2,
                postal_code=order.delivery_postal_code,
                city=order.delivery_city,
                country=order.delivery_country,
                phone=order.delivery_phone,
            )
        except ProviderError as exc:
            raise ValidationError(f"The carrier did not take the parcel: {exc}") from exc
        disclosure_record(
            subject=order.buyer,
            recipient_kind=Disclosure.RecipientKind.CARRIER,
            recipient=shipment.carrier,
            fields=CARRIER_FIELDS,
            purpose=purposes.SERVICE_ORDERS,
            reference=order.number,
        )
        carrier, tracking = shipment.carrier[:32], shipment.tracking_number
    now = clock.now()
    order.status = Status.SHIPPED
    order.carrier = carrier
    order.tracking_number = tracking
    order.shipped_at = now
    order.accepted_at = order.accepted_at or now
    order.save(
        update_fields=[
            "status",
            "carrier",
            "tracking_number",
            "shipped_at",
            "accepted_at",
            "updated_at",
        ]
    )
    late = timezone.localdate(now) > selectors.order_dispatch_deadline(order=order)
    seller_shipment_record(seller_id=order.seller_id, late=late)
    _mail_buyer(order, f"Your order {order.number} is on its way", "orders/emails/shipped")
    return order


@transaction.atomic
def order_tracking_refresh(*, order: Order) -> Order:
    """Store the carrier's new tracking steps; mark the order delivered when it says so.

    Repeating it stores nothing twice: a step is unique per order, code and time.
    """
    order = Order.objects.get(pk=order.pk)
    if order.status != Status.SHIPPED or not order.tracking_number:
        return order
    carrier = get_carrier()
    if order.carrier != carrier.name:
        return order  # the seller's own carrier: nothing to ask
    updates = carrier.tracking(tracking_number=order.tracking_number)
    order = _locked(order)
    if order.status != Status.SHIPPED:
        return order
    for update in updates:
        TrackingEvent.objects.get_or_create(
            order=order,
            code=update.code[:32],
            occurred_at=update.occurred_at,
            defaults={"description": update.description[:200], "location": update.location[:100]},
        )
    delivered = next((u for u in updates if u.code == TrackingCode.DELIVERED), None)
    if delivered is not None:
        from recommerce.orders.services.delivery import order_delivered_record

        order_delivered_record(order, at=delivered.occurred_at, by=Order.DeliveredBy.CARRIER)
    return order


# --- Cancellation and refunds ---------------------------------------------------------------


def _refund(order: Order, *, amount_minor: int, key: str, reason: str) -> Refund:
    """Start a refund; ``reason`` is a ``Refund.Reason`` code (kept with the accounts)."""
    try:
        refund: Refund = payment_services.refund_create(
            payment=order.payment,
            amount_minor=amount_minor,
            idempotency_key=key,
            reason=reason,
            context=order.number,
        )
    except ProviderError as exc:
        raise ValidationError(f"The refund could not be started: {exc}") from exc
    return refund


def _cancel(order: Order, reason: str, *, code: str = Refund.Reason.ORDER_CANCELLED) -> Order:
    """Cancel a locked order: stock back unless it left, refund the rest, tell both sides.

    ``reason``, in the canceller's words, stays on the order (which is anonymised with its
    buyer); the refund, an accounting record kept 10 years, only gets the ``code``.
    """
    seller_knew = order.status != Status.HELD
    shipped = order.status == Status.SHIPPED
    order.status = Status.CANCELLED
    order.cancelled_at = clock.now()
    order.cancel_reason = reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    if not shipped:
        # A parcel already on its way is back in stock only once it comes back.
        for line in order.lines.all():
            offer_stock_return(offer_id=line.offer_id, quantity=line.quantity)
    amount = selectors.order_refundable_minor(order=order)
    if amount > 0:
        _refund(order, amount_minor=amount, key=f"cancel-{order.number}", reason=code)
    insurance_cancel_for_order(order=order)
    money = format_money(amount, order.currency)
    _mail_buyer(
        order,
        f"Your order {order.number} is cancelled",
        "orders/emails/cancelled_buyer",
        refund=money if amount else "",
    )
    if seller_knew:
        _mail_seller(order, f"Order {order.number} is cancelled", "orders/emails/cancelled_seller")
    return order


@transaction.atomic
def order_cancel(*, order: Order, actor: Actor, reason: str) -> Order:
    """Cancel the order and refund what was not refunded yet.

    The buyer may cancel until the seller accepts, the seller until it ships, staff until
    it is delivered.
    """
    order = _locked(order)
    capacities = _require(order, actor, "buyer", "seller", "staff", doing="cancel")
    if order.status == Status.CANCELLED:
        raise _refused(order, "it is already cancelled.")
    if not any(order.status in CANCELLABLE[c] for c in capacities):
        raise _refused(order, TOO_LATE.get(order.status, "it can no longer be cancelled."))
    default = {"buyer": "Cancelled by the buyer", "seller": "Cancelled by the seller"}
    by = "staff" if "staff" in capacities else next(iter(sorted(capacities)))
    return _cancel(order, _reason(reason, default.get(by, "Cancelled by customer service")))


def _refund_key(order: Order, idempotency_key: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"refund-{order.number}-{digest}"


@transaction.atomic
def order_refund(
    *,
    order: Order,
    actor: Actor,
    amount_minor: int,
    reason: str,
    idempotency_key: str,
    code: str = Refund.Reason.ORDER_REFUND,
) -> Refund:
    """Refund part or all of an order (seller or staff), before or after shipping.

    ``code`` is the ``Refund.Reason`` the refund and its credit note keep (a claim's refund
    gives ``claim`` or ``claim_return``). The same ``idempotency_key`` returns the refund
    it started the first time.
    """
    order = _locked(order)
    _require(order, actor, "seller", "staff", doing="refund")
    if order.status == Status.HELD:
        raise _refused(order, "reject the held order instead: that refunds it in full.")
    if not idempotency_key:
        raise ValidationError("A refund needs an idempotency key.")
    key = _refund_key(order, idempotency_key)
    existing = Refund.objects.filter(idempotency_key=key, payment_id=order.payment_id).first()
    if existing is not None:
        return existing
    refundable = selectors.order_refundable_minor(order=order)
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ValidationError({"amount_minor": "Enter an amount above zero."})
    if amount_minor > refundable:
        left = format_money(refundable, order.currency)
        raise ValidationError(
            {"amount_minor": f"At most {left} can still be refunded on this order."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the buyer is refunded."})
    if code not in Refund.Reason.values:
        raise ValidationError({"code": f"“{code}” is not a refund reason code."})
    # The reason is asked for, but the accounting record keeps a code, not the words.
    return _refund(order, amount_minor=amount_minor, key=key, reason=code)
