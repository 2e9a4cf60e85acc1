"""Reads for carts and checkouts: lines grouped by seller, with what changed since."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum

from recommerce.accounts.models import Seller, User
from recommerce.checkout.models import Cart, CartLine, Checkout
from recommerce.offers.models import Offer
from recommerce.platform.providers import ProviderError, get_provider


@dataclass(frozen=True, slots=True)
class CartItem:
    line_id: int
    offer: Offer
    quantity: int
    price_seen_minor: int
    max_quantity: int

    @property
    def price_minor(self) -> int:
        return self.offer.price_minor

    @property
    def total_minor(self) -> int:
        return self.offer.price_minor * self.quantity

    @property
    def price_changed(self) -> bool:
        return self.price_seen_minor != self.offer.price_minor

    @property
    def unavailable(self) -> bool:
        return self.max_quantity == 0

    @property
    def short_of_stock(self) -> bool:
        return 0 < self.max_quantity < self.quantity

    @property
    def needs_attention(self) -> bool:
        return self.price_changed or self.unavailable or self.short_of_stock


@dataclass(slots=True)
class SellerGroup:
    seller: Seller
    items: list[CartItem] = field(default_factory=list)

    @property
    def total_minor(self) -> int:
        return sum(item.total_minor for item in self.items)


@dataclass(slots=True)
class CartSummary:
    cart: Cart | None
    groups: list[SellerGroup]
    currency: str

    @property
    def items(self) -> list[CartItem]:
        return [item for group in self.groups for item in group.items]

    @property
    def count(self) -> int:
        return sum(item.quantity for item in self.items)

    @property
    def total_minor(self) -> int:
        return sum(group.total_minor for group in self.groups)

    @property
    def needs_attention(self) -> bool:
        return any(item.needs_attention for item in self.items)


def _available(offer: Offer) -> int:
    if not offer.is_active or offer.seller.status != Seller.Status.ACTIVE:
        return 0
    return min(offer.stock, settings.CART_MAX_QUANTITY_PER_LINE)


def cart_lines(*, cart: Cart) -> QuerySet[CartLine]:
    return cart.lines.select_related(
        "offer__seller", "offer__variant__device_model__brand"
    ).order_by("offer__seller__name", "added_at", "id")


def cart_summary(*, cart: Cart | None) -> CartSummary:
    """Return the cart's lines grouped by seller, each with its price and stock changes."""
    groups: dict[int, SellerGroup] = {}
    if cart is not None and cart.pk:
        for line in cart_lines(cart=cart):
            offer = line.offer
            group = groups.setdefault(offer.seller_id, SellerGroup(seller=offer.seller))
            group.items.append(
                CartItem(
                    line_id=line.pk,
                    offer=offer,
                    quantity=line.quantity,
                    price_seen_minor=line.price_seen_minor,
                    max_quantity=_available(offer),
                )
            )
    return CartSummary(cart=cart, groups=list(groups.values()), currency=settings.DEFAULT_CURRENCY)


def cart_line_get(*, cart: Cart | None, line_id: int) -> CartLine | None:
    """Return a line of this cart, or None (another cart's line is not found)."""
    if cart is None:
        return None
    return CartLine.objects.filter(cart=cart, pk=line_id).first()


def cart_count(*, cart_id: int | None) -> int:
    """Return how many units a cart holds (for the header), in one query."""
    if not cart_id:
        return 0

    total = CartLine.objects.filter(cart_id=cart_id).aggregate(n=Sum("quantity"))["n"]
    return int(total or 0)


def checkout_get_for(*, user: User, reference: str) -> Checkout | None:
    """Return the person's own checkout by reference, or None (others' are not found)."""
    return Checkout.objects.filter(user=user, reference=reference).first()


def checkout_get(*, reference: str) -> Checkout | None:
    return Checkout.objects.filter(reference=reference).first()


def checkouts_due_for_expiry(*, now: object) -> QuerySet[Checkout]:
    return Checkout.objects.filter(
        status__in=[Checkout.Status.OPEN, Checkout.Status.PAYING],
        expires_at__lt=now,
        stock_released=False,
    )


INSURANCE_PRICE_SECONDS = 3600


def insurance_prices(*, checkout: Checkout) -> dict[int, int | None]:
    """Return the yearly insurance price of one device per checkout line (None: unavailable).

    Shown beside the choice before the buyer makes it; the price charged is the quote taken
    when the buyer insures (``checkout_update``). A quote needs only the device, its price
    and currency, so it is cached by those for an hour instead of asked on every view.
    """
    prices: dict[int, int | None] = {}
    lines = checkout.lines.select_related("offer__variant__device_model__category")
    for line in lines:
        if line.insured_units and line.insurance_unit_minor:
            prices[line.pk] = line.insurance_unit_minor
            continue
        variant = line.offer.variant
        key = f"checkout:insurance-price:{variant.pk}:{line.unit_price_minor}:{checkout.currency}"
        price: int | None = cache.get(key)
        if price is None:
            try:
                quote = get_provider("insurer").quote(
                    device_title=f"{variant.device_model} {variant.label}".strip(),
                    category=variant.device_model.category.slug,
                    price_minor=line.unit_price_minor,
                    currency=checkout.currency,
                )
            except ProviderError:
                prices[line.pk] = None
                continue
            price = quote.premium_minor
            cache.set(key, price, INSURANCE_PRICE_SECONDS)
        prices[line.pk] = price
    return prices
