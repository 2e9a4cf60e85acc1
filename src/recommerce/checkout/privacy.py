"""Personal data held by carts and checkouts in progress."""

from __future__ import annotations

from collections.abc import Sequence

from recommerce.checkout.models import Cart, CartLine, Checkout, CheckoutLine, CheckoutParcel
from recommerce.checkout.providers.risk import risk_check
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

CART = Retention(days=90, starts="the cart's last change", clock=("updated_at",))
CHECKOUT = Retention(
    days=13 * 30, starts="the checkout (kept for fraud and payment disputes)", clock=("created_at",)
)

registry.register(
    Cart,
    personal(
        "user",
        "session_key",
        category="user.activity.cart",
        subject="user",
        purposes=[purposes.SERVICE_ORDERS],
        retention=CART,
        erasure=Erasure.DELETE,
        export_label="Cart",
    ),
    not_personal("id", "created_at", "updated_at"),
)
registry.register(
    CartLine,
    personal(
        "cart",
        "offer",
        "quantity",
        "added_at",
        category="user.activity.cart",
        subject="cart__user",
        purposes=[purposes.SERVICE_ORDERS],
        retention=CART.counted_from("cart__updated_at"),
        erasure=Erasure.DELETE,
        export_label="Cart: items",
    ),
    not_personal("id", "price_seen_minor", reason="the offer's price at the time"),
)
registry.register(
    Checkout,
    personal(
        "user",
        "company",
        "delivery",
        "billing",
        "buyer_vat_number",
        "total_minor",
        category="user.activity.checkout",
        subject="user",
        purposes=[purposes.SERVICE_ORDERS, purposes.FRAUD_PREVENTION],
        retention=CHECKOUT,
        erasure=Erasure.DELETE,
        export_label="Checkouts",
        recipients=["the fraud prevention service"],
    ),
    personal(
        "risk",
        "risk_reasons",
        category="user.fraud.assessment",
        subject="user",
        purposes=[purposes.FRAUD_PREVENTION],
        retention=CHECKOUT,
        erasure=Erasure.DELETE,
        export_label="Checkouts: risk assessment",
    ),
    not_personal(
        "id",
        "reference",
        "status",
        "currency",
        "reverse_charge",
        "plan",
        "items_minor",
        "shipping_minor",
        "insurance_minor",
        "vat_minor",
        "payment",
        "expires_at",
        "stock_released",
        "completed_at",
        "failure_message",
        "created_at",
        "updated_at",
        reason="the checkout's processing state",
    ),
)
registry.register(
    CheckoutLine,
    not_personal(
        "id",
        "checkout",
        "offer",
        "seller",
        "quantity",
        "unit_price_minor",
        "vat_rate_bp",
        "insured_units",
        "insurance_quote_id",
        "insurance_unit_minor",
        reason="items of a checkout; the checkout links them to its buyer",
    ),
)
registry.register(
    CheckoutParcel,
    not_personal(
        "id",
        "checkout",
        "seller",
        "method",
        "label",
        "price_minor",
        "estimate_from",
        "estimate_to",
        reason="shipping chosen; the checkout links it to its buyer",
    ),
)

# How a person's export summary shows a checkout: by its reference, amounts in its currency.
registry.present(
    Checkout,
    title={"en": "Checkouts", "fr": "Validations de commande"},
    heading={"en": "Checkout {reference}", "fr": "Validation {reference}"},
    context={"reference": "reference", "status": "status", "started": "created_at"},
    currency="currency",
)
registry.present(Cart, title={"en": "Cart", "fr": "Panier"})
registry.present(CartLine, title={"en": "In the cart", "fr": "Dans le panier"}, within="cart")


def _tell_fraud_service(recipient: str, references: Sequence[str]) -> None:
    risk_check().erasure_notify(references=references)


registry.add_recipient_notifier(Disclosure.RecipientKind.FRAUD_SERVICE, _tell_fraud_service)
