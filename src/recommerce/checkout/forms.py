"""Checkout forms: quantities, and the choices made at checkout."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from recommerce.checkout.pricing import shipping_methods
from recommerce.payments.models import Payment
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.money import format_money as money


class QuantityForm(SafeTextMixin, forms.Form):
    quantity = forms.IntegerField(min_value=0, max_value=settings.CART_MAX_QUANTITY_PER_LINE)


class AddForm(SafeTextMixin, forms.Form):
    offer = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(
        min_value=1, max_value=settings.CART_MAX_QUANTITY_PER_LINE, required=False
    )
    # The form's one-time token (templatetags.cart_forms): a repost changes nothing.
    once = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", required=False)


class CheckoutForm(SafeTextMixin, forms.Form):
    """Addresses, shipping per seller, insured units per line and the plan.

    Fields are built from the checkout: ``shipping_<seller id>`` and ``insure_<line id>``.
    """

    delivery_address = forms.TypedChoiceField(coerce=int, label="Delivery address")
    billing_address = forms.TypedChoiceField(coerce=int, label="Billing address")
    plan = forms.ChoiceField(
        choices=Payment.Plan.choices, widget=forms.RadioSelect, label="How you pay"
    )

    def __init__(self, *args: Any, addresses: Any, parts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delivery = [(a.pk, ", ".join(a.lines())) for a in addresses if a.kind == "delivery"]
        billing = [(a.pk, ", ".join(a.lines())) for a in addresses]
        self.fields["delivery_address"].choices = delivery  # type: ignore[attr-defined]
        self.fields["billing_address"].choices = billing  # type: ignore[attr-defined]
        methods = [
            (
                method.code,
                f"{method.label}, {money(method.price_minor) if method.price_minor else 'free'}",
            )
            for method in shipping_methods(settings.SHIPPING_METHODS).values()
        ]
        for part in parts:
            self.fields[f"shipping_{part.seller_id}"] = forms.ChoiceField(
                choices=methods, widget=forms.RadioSelect, label=f"Shipping from {part.seller_name}"
            )
            for line in part.lines:
                self.fields[f"insure_{line.pk}"] = forms.TypedChoiceField(
                    coerce=int,
                    choices=[(n, str(n)) for n in range(line.quantity + 1)],
                    label=f"Devices to insure: {line.offer.variant}",
                    required=False,
                )

    def shipping(self) -> dict[int, str]:
        return {
            int(name.split("_", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("shipping_")
        }

    def insurance(self) -> dict[int, int]:
        return {
            int(name.split("_", 1)[1]): int(value or 0)
            for name, value in self.cleaned_data.items()
            if name.startswith("insure_")
        }
