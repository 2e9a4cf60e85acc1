"""The end of a checkout: place its orders once paid, expire it, reconcile lost payments."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from django.db import transaction

from recommerce.checkout.models import CartLine, Checkout
from recommerce.checkout.providers.risk import Decision
from recommerce.checkout.selectors import checkouts_due_for_expiry
from recommerce.checkout.services.checkout import checkout_parts
from recommerce.checkout.services.reservations import reservation_release, reservation_take
from recommerce.orders.models import Order
from recommerce.orders.services.placement import orders_place
from recommerce.payments import services as payment_services
from recommerce.payments.models import Payment, Refund
from recommerce.payments.selectors import ASK_EVERY
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError

logger = logging.getLogger(__name__)
_WAITING = (Payment.Status.PENDING, Payment.Status.PROCESSING)


@transaction.atomic
def checkout_complete(*, payment: Payment) -> list[Order]:
    """Place the orders of the checkout a captured payment paid for (idempotent).

    Called by the payment-captured event, the buyer's return page and reconciliation.
    A payment that does not match the checkout's amount, or a checkout whose stock could
    not be taken again after expiring, is refunded in full rather than fulfilled.
    """
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    checkout = Checkout.objects.select_for_update().filter(reference=payment.reference).first()
    if checkout is None or payment.status != Payment.Status.CAPTURED:
        return []
    if checkout.status == Checkout.Status.COMPLETED:
        return list(Order.objects.filter(checkout_reference=checkout.reference))
    problem = ""
    if payment.captured_minor != checkout.total_minor or payment.currency != checkout.currency:
        problem = "The amount paid does not match the order."
    elif checkout.stock_released:
        # The reservation lapsed while the buyer paid: take the stock again if it is there.
        missing = reservation_take(checkout)
        if missing:
            problem = "Sold out before the payment was confirmed: " + ", ".join(missing)
        else:
            checkout.stock_released = False
    if problem:
        _refund_whole(payment)
        checkout.status = Checkout.Status.CANCELLED
        checkout.failure_message = problem[:200]
        checkout.save()
        return []
    parts = checkout_parts(checkout=checkout)
    orders = orders_place(
        checkout_reference=checkout.reference,
        payment=payment,
        buyer=checkout.user,
        company=checkout.company,
        buyer_vat_number=checkout.buyer_vat_number,
        reverse_charge=checkout.reverse_charge,
        delivery=checkout.delivery,
        billing=checkout.billing,
        drafts=[part.draft for part in parts],
        hold_reason="; ".join(checkout.risk_reasons) if checkout.risk == Decision.REVIEW else "",
    )
    checkout.status = Checkout.Status.COMPLETED
    checkout.payment = payment
    checkout.completed_at = clock.now()
    checkout.save()
    CartLine.objects.filter(
        cart__user=checkout.user, offer_id__in=checkout.lines.values("offer_id")
    ).delete()
    return orders


def _refund_whole(payment: Payment) -> None:
    # The checkout keeps the why (failure_message); the accounting record keeps a code.
    if payment.refundable_minor > 0:
        payment_services.refund_create(
            payment=payment,
            amount_minor=payment.refundable_minor,
            idempotency_key=f"unfulfilled-{payment.reference}-{payment.pk}",
            reason=Refund.Reason.NOT_FULFILLED,
            context=payment.reference,
        )


def checkout_expire(*, checkout: Checkout) -> Checkout:
    """Give an overdue checkout's stock back, unless its payment turns out to be captured."""
    if checkout.payment_id:
        payment = payment_services.payment_sync(payment=Payment.objects.get(pk=checkout.payment_id))
        if payment.status == Payment.Status.CAPTURED:
            checkout_complete(payment=payment)
            return Checkout.objects.get(pk=checkout.pk)
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.status in (Checkout.Status.OPEN, Checkout.Status.PAYING):
            if checkout.expires_at > clock.now():
                return checkout
            checkout.status = Checkout.Status.EXPIRED
            checkout.save(update_fields=["status", "updated_at"])
            reservation_release(checkout)
    return checkout


def checkouts_expire_due() -> int:
    """Expire every overdue checkout; return how many gave their stock back."""
    released = 0
    for checkout in checkouts_due_for_expiry(now=clock.now()):
        if checkout_expire(checkout=checkout).stock_released:
            released += 1
    return released


RECONCILE_AFTER = timedelta(minutes=1)
RECONCILE_BATCH = 100


def checkouts_reconcile(
    *, older_than: timedelta = RECONCILE_AFTER, limit: int = RECONCILE_BATCH
) -> int:
    """Place the orders of captured payments whose checkout was never completed.

    A crash between the provider's confirmation and the orders' creation, or a lost
    notification, leaves a paid checkout without orders; this finds and completes them
    (a task runs it every minute). A payment still pending at the provider is asked for
    its state first, unless payments' own reconciliation asked a moment ago. Checkouts
    whose payment failed are left alone, so the work stays bounded by the live payments.
    """
    now = clock.now()
    waiting = (
        Checkout.objects.filter(
            status__in=[Checkout.Status.PAYING, Checkout.Status.EXPIRED, Checkout.Status.OPEN],
            payment__status__in=[*_WAITING, Payment.Status.CAPTURED],
            updated_at__lt=now - older_than,
        )
        .select_related("payment")
        .order_by("updated_at", "id")[:limit]
    )
    completed = 0
    for checkout in list(waiting):
        payment = checkout.payment
        assert payment is not None
        asked = payment.provider_checked_at
        if payment.status in _WAITING and (asked is None or asked < now - ASK_EVERY):
            try:
                payment = payment_services.payment_sync(payment=payment)
            except ProviderError:
                continue
        if payment.status != Payment.Status.CAPTURED:
            continue
        try:
            completed += bool(checkout_complete(payment=payment))
        except Exception:
            # One checkout that cannot be completed must not hold back the ones after it.
            logger.exception("Checkout %s could not be completed.", checkout.reference)
    return completed


def checkout_confirm(*, checkout: Checkout) -> tuple[Checkout, Payment | None]:
    """Ask the provider for the checkout's payment and place the orders if it is captured.

    What the buyer's return page and the app's confirm call do: the provider's answer,
    never the URL, decides. If the provider does not answer, the webhook or
    reconciliation confirms later. Returns the checkout and its payment, both fresh.
    """
    payment = checkout.payment
    if payment is None or checkout.status == Checkout.Status.COMPLETED:
        return checkout, payment
    with contextlib.suppress(ProviderError):
        payment = payment_services.payment_sync(payment=payment)
    if payment.status == Payment.Status.CAPTURED:
        checkout_complete(payment=payment)
    checkout.refresh_from_db()
    return checkout, payment
