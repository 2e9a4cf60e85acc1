"""Checkout: reserve the cart's stock, collect addresses and choices, pay, place orders.

The flow: ``checkout_start`` freezes the cart's lines and takes their stock (all or
nothing) until ``expires_at``; ``checkout_update`` sets addresses, shipping per seller,
insurance per device and the payment plan; ``checkout_pay`` runs the risk check and
opens the provider's payment page; the provider's confirmation (webhook, return page or
reconciliation, whichever comes first) runs ``checkout_complete``, which places one
order per seller. Expired or abandoned checkouts give their stock back.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import Address, Company, User
from recommerce.accounts.services.users import user_may_transact
from recommerce.checkout import pricing
from recommerce.checkout.models import Cart, Checkout, CheckoutLine, CheckoutParcel
from recommerce.checkout.providers.risk import CheckoutFacts, Decision, risk_assess
from recommerce.checkout.selectors import cart_summary
from recommerce.checkout.services.reservations import reservation_release, reservation_take
from recommerce.orders.services.placement import (
    Amounts,
    LineDraft,
    OrderDraft,
    order_amounts,
)
from recommerce.payments import services as payment_services
from recommerce.payments.models import Payment
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, get_provider


class CartChanged(ValidationError):
    """Prices or stock changed since the buyer added the items: they must see it first."""


def _reference() -> str:
    return "CO" + secrets.token_hex(8).upper()


def _expiry() -> dt.datetime:
    return clock.now() + timedelta(minutes=settings.CHECKOUT_RESERVATION_MINUTES)


def _address_snapshot(address: Address) -> dict[str, str]:
    return {
        "name": address.full_name,
        "company": address.company_name,
        "line1": address.line1,
        "line2": address.line2,
        "postal_code": address.postal_code,
        "city": address.city,
        "region": address.region,
        "country": str(address.country),
        "phone": address.phone,
    }


def _default_address(user: User, kind: str) -> Address | None:
    addresses = account_selectors.address_list_for(user=user).filter(kind=kind)
    return addresses.filter(is_default=True).first() or addresses.first()


def _company(user: User) -> Company | None:
    membership = account_selectors.company_membership_for(user=user)
    return membership.company if membership else None


@transaction.atomic
def checkout_start(*, user: User, cart: Cart) -> Checkout:
    """Freeze the cart into a checkout and reserve its stock until the checkout expires.

    Refuses a person who may not buy (AGE-1), an empty cart, and a cart whose prices or
    stock changed since the items were added (``CartChanged``), so no change is applied
    without the buyer seeing it. Taking stock is all or nothing.
    """
    if not user_may_transact(user=user):
        raise ValidationError(
            "Buying needs you to be 18 or older, or a parent's or guardian's authorisation. "
            "You can ask for it from your profile."
        )
    summary = cart_summary(cart=cart)
    if not summary.items:
        raise ValidationError("Your cart is empty.")
    if summary.needs_attention:
        raise CartChanged(
            "Some prices or quantities in your cart have changed. Review them, then continue."
        )
    # One open checkout per person: an earlier one gives its stock back.
    for earlier in Checkout.objects.select_for_update().filter(
        user=user, status=Checkout.Status.OPEN
    ):
        checkout_cancel(checkout=earlier)
    company = _company(user)
    delivery = _default_address(user, Address.Kind.DELIVERY)
    billing = _default_address(user, Address.Kind.BILLING) or delivery
    checkout = Checkout.objects.create(
        reference=_reference(),
        user=user,
        company=company,
        currency=summary.currency,
        delivery=_address_snapshot(delivery) if delivery else {},
        billing=_address_snapshot(billing) if billing else {},
        buyer_vat_number=company.vat_number if company and company.vat_verified_at else "",
        expires_at=_expiry(),
    )
    CheckoutLine.objects.bulk_create(
        CheckoutLine(
            checkout=checkout,
            offer=item.offer,
            seller=item.offer.seller,
            quantity=item.quantity,
            unit_price_minor=item.offer.price_minor,
            vat_rate_bp=0,
        )
        for item in summary.items
    )
    today = clock.today()
    option = next(iter(pricing.shipping_methods(settings.SHIPPING_METHODS).values()))
    for group in summary.groups:
        dispatch = max(item.offer.dispatch_days for item in group.items)
        start, end = pricing.delivery_window(
            today=today, dispatch_days=dispatch, transit_days=option.transit_days
        )
        CheckoutParcel.objects.create(
            checkout=checkout,
            seller=group.seller,
            method=option.code,
            label=option.label,
            price_minor=option.price_minor,
            estimate_from=start,
            estimate_to=end,
        )
    missing = reservation_take(checkout)
    if missing:
        raise ValidationError(
            "Sold out while you were shopping: " + ", ".join(missing) + ". Update your cart."
        )
    _reprice(checkout)
    return checkout


@dataclass(frozen=True, slots=True)
class SellerPart:
    """One seller's part of a checkout: its lines, shipping and amounts."""

    seller_id: int
    seller_name: str
    lines: list[CheckoutLine]
    parcel: CheckoutParcel
    amounts: Amounts
    draft: OrderDraft


def _drafts(checkout: Checkout) -> list[SellerPart]:
    by_seller: dict[int, list[CheckoutLine]] = defaultdict(list)
    lines = checkout.lines.select_related("offer__variant__device_model__brand", "seller")
    for line in lines:
        by_seller[line.seller_id].append(line)
    parts = []
    for parcel in checkout.parcels.select_related("seller"):
        seller_lines = by_seller.get(parcel.seller_id, [])
        shipping_rate = _vat_rate(checkout)
        draft = OrderDraft(
            seller_id=parcel.seller_id,
            lines=[
                LineDraft(
                    offer_id=line.offer_id,
                    variant_id=line.offer.variant_id,
                    title=f"{line.offer.variant.device_model} {line.offer.variant.label}".strip(),
                    grade=line.offer.grade,
                    warranty_months=line.offer.warranty_months,
                    quantity=line.quantity,
                    unit_price_minor=pricing.charged_price(
                        line.unit_price_minor,
                        rate_bp=line.vat_rate_bp,
                        reverse_charge=checkout.reverse_charge,
                    ),
                    vat_rate_bp=line.vat_rate_bp,
                    insured_units=line.insured_units,
                    insurance_unit_minor=line.insurance_unit_minor,
                    insurance_quote_id=line.insurance_quote_id,
                )
                for line in seller_lines
            ],
            shipping_method=parcel.method,
            shipping_label=parcel.label,
            shipping_minor=pricing.charged_price(
                parcel.price_minor, rate_bp=shipping_rate, reverse_charge=checkout.reverse_charge
            ),
            shipping_vat_rate_bp=shipping_rate,
            estimate_from=parcel.estimate_from,
            estimate_to=parcel.estimate_to,
        )
        parts.append(
            SellerPart(
                seller_id=parcel.seller_id,
                seller_name=parcel.seller.name,
                lines=seller_lines,
                parcel=parcel,
                amounts=order_amounts(draft, reverse_charge=checkout.reverse_charge),
                draft=draft,
            )
        )
    return parts


def checkout_parts(*, checkout: Checkout) -> list[SellerPart]:
    """Return the checkout per seller, priced exactly as its orders will be."""
    return _drafts(checkout)


def _vat_rate(checkout: Checkout) -> int:
    country = checkout.delivery.get("country") or checkout.user.country or ""
    return pricing.vat_rate_bp(str(country), settings.VAT_STANDARD_RATES_BP)


def _reprice(checkout: Checkout) -> None:
    """Recompute VAT rates, the reverse charge and the totals after any change."""
    rate = _vat_rate(checkout)
    checkout.lines.update(vat_rate_bp=rate)
    sellers = {p.seller_id: p.seller for p in checkout.parcels.select_related("seller")}
    country = str(checkout.delivery.get("country") or "")
    verified = bool(checkout.buyer_vat_number)
    checkout.reverse_charge = bool(sellers) and all(
        pricing.reverse_charge_applies(
            buyer_vat_verified=verified, buyer_country=country, seller_country=seller.country
        )
        for seller in sellers.values()
    )
    parts = _drafts(checkout)
    checkout.items_minor = sum(p.amounts.items_minor for p in parts)
    checkout.shipping_minor = sum(p.amounts.shipping_minor for p in parts)
    checkout.insurance_minor = sum(p.amounts.insurance_minor for p in parts)
    checkout.vat_minor = sum(p.amounts.vat_minor for p in parts)
    checkout.total_minor = sum(p.amounts.total_minor for p in parts)
    checkout.save()


def _editable(checkout: Checkout) -> None:
    if checkout.status != Checkout.Status.OPEN:
        raise ValidationError("This checkout can no longer be changed.")
    if checkout.expires_at <= clock.now() or checkout.stock_released:
        raise ValidationError("Your reservation has expired. Start the checkout again.")


@transaction.atomic
def checkout_update(
    *,
    checkout: Checkout,
    delivery_address_id: int | None = None,
    billing_address_id: int | None = None,
    shipping: Mapping[int, str] | None = None,
    insurance: Mapping[int, int] | None = None,
    plan: str | None = None,
) -> Checkout:
    """Set addresses (from the person's address book), shipping per seller, insured units
    per line and the payment plan; recompute the totals."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    _editable(checkout)
    user = checkout.user
    for field, address_id, kind in (
        ("delivery", delivery_address_id, Address.Kind.DELIVERY),
        ("billing", billing_address_id, Address.Kind.BILLING),
    ):
        if address_id is None:
            continue
        address = account_selectors.address_get_for(user=user, address_id=address_id)
        if address is None:
            raise ValidationError({field: "Choose one of your addresses."})
        if address.kind != kind and field == "delivery":
            raise ValidationError({field: "Choose a delivery address."})
        setattr(checkout, field, _address_snapshot(address))
    if shipping:
        today = clock.today()
        for seller_id, method in shipping.items():
            option = pricing.shipping_methods(settings.SHIPPING_METHODS).get(method)
            parcel = checkout.parcels.filter(seller_id=seller_id).first()
            if option is None or parcel is None:
                raise ValidationError({"shipping": "Choose one of the shipping options shown."})
            dispatch = max(
                line.offer.dispatch_days
                for line in checkout.lines.filter(seller_id=seller_id).select_related("offer")
            )
            parcel.method = option.code
            parcel.label = option.label
            parcel.price_minor = option.price_minor
            parcel.estimate_from, parcel.estimate_to = pricing.delivery_window(
                today=today, dispatch_days=dispatch, transit_days=option.transit_days
            )
            parcel.save()
    if insurance:
        _insure(checkout, insurance)
    if plan is not None:
        if plan not in Payment.Plan.values:
            raise ValidationError({"plan": "Choose how to pay."})
        checkout.plan = plan
    checkout.save()
    _reprice(checkout)
    return checkout


def _insure(checkout: Checkout, insurance: Mapping[int, int]) -> None:
    insurer = get_provider("insurer")
    for line_id, units in insurance.items():
        line = (
            checkout.lines.select_related("offer__variant__device_model__category")
            .filter(pk=line_id)
            .first()
        )
        if line is None or not 0 <= units <= line.quantity:
            raise ValidationError({"insurance": "Choose how many of each device to insure."})
        if units == 0:
            line.insured_units, line.insurance_quote_id, line.insurance_unit_minor = 0, "", 0
        else:
            variant = line.offer.variant
            try:
                quote = insurer.quote(
                    device_title=f"{variant.device_model} {variant.label}".strip(),
                    category=variant.device_model.category.slug,
                    price_minor=line.unit_price_minor,
                    currency=checkout.currency,
                )
            except ProviderError as exc:
                raise ValidationError(
                    {"insurance": f"Insurance is not available right now: {exc}"}
                ) from exc
            line.insured_units = units
            line.insurance_quote_id = quote.quote_id
            line.insurance_unit_minor = quote.premium_minor
        line.save(update_fields=["insured_units", "insurance_quote_id", "insurance_unit_minor"])


@transaction.atomic
def checkout_cancel(*, checkout: Checkout) -> Checkout:
    """Abandon an open checkout: its stock goes back on sale."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.status in (Checkout.Status.OPEN, Checkout.Status.PAYING):
        checkout.status = Checkout.Status.CANCELLED
        checkout.save(update_fields=["status", "updated_at"])
        reservation_release(checkout)
    return checkout


def _risk_facts(checkout: Checkout) -> CheckoutFacts:
    user = checkout.user
    return CheckoutFacts(
        reference=checkout.reference,
        buyer_email=user.email,
        account_age_days=(clock.now() - user.date_joined).days,
        delivery_country=str(checkout.delivery.get("country", "")),
        billing_country=str(checkout.billing.get("country", "")),
        total_minor=checkout.total_minor,
        currency=checkout.currency,
        item_count=sum(line.quantity for line in checkout.lines.all()),
        seller_count=checkout.parcels.count(),
    )


def checkout_pay(*, checkout: Checkout, return_url: str, cancel_url: str) -> Payment:
    """Run the risk check and open the provider's payment page for the checkout's total.

    A repeat (double click, retried request) returns the same payment; after a failed
    payment a new attempt opens a new one. A blocked checkout gives its stock back.
    """
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.status == Checkout.Status.PAYING and checkout.payment_id:
            payment = Payment.objects.get(pk=checkout.payment_id)
            if payment.status not in (Payment.Status.FAILED, Payment.Status.CANCELLED):
                return payment
            checkout.status = Checkout.Status.OPEN
        _editable(checkout)
        if not checkout.delivery or not checkout.billing:
            raise ValidationError("Choose a delivery and a billing address.")
        assessment = risk_assess(facts=_risk_facts(checkout), subject=checkout.user)
        checkout.risk = assessment.decision.value
        checkout.risk_reasons = list(assessment.reasons)
        if assessment.decision == Decision.BLOCK:
            checkout.status = Checkout.Status.BLOCKED
            checkout.save()
            reservation_release(checkout)
            blocked = True
        else:
            attempt = Payment.objects.filter(reference=checkout.reference).count() + 1
            # The reservation covers the time spent on the payment page.
            checkout.expires_at = max(checkout.expires_at, _expiry())
            checkout.save()
            blocked = False
    if blocked:
        raise ValidationError(
            "We cannot accept this order. No payment was taken; contact customer service."
        )
    payment = payment_services.payment_start(
        reference=checkout.reference,
        amount_minor=checkout.total_minor,
        currency=checkout.currency,
        payer=checkout.user,
        plan=checkout.plan,
        description=f"Recommerce order {checkout.reference}",
        idempotency_key=f"{checkout.reference}-{attempt}",
        return_url=return_url,
        cancel_url=cancel_url,
        buyer_country=str(checkout.billing.get("country", "")),
    )
    with transaction.atomic():
        checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if checkout.status == Checkout.Status.OPEN:
            checkout.status = Checkout.Status.PAYING
            checkout.payment = payment
            checkout.save(update_fields=["status", "payment", "updated_at"])
    return payment
