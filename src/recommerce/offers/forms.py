"""Forms of the seller's offer pages; each hands typed values to an offers service.

Prices are typed in major units ("459.00") and become integer minor units here, through
``platform.money.parse_major``: no float ever holds an amount.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet

from recommerce.catalog.models import Variant
from recommerce.offers.grading import MIN_BATTERY_HEALTH_PCT, MIN_WARRANTY_MONTHS, Grade
from recommerce.offers.models import Offer
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.money import Money, parse_major

# A typo guard (an extra zero or two), far above any refurbished device's price.
MAX_PRICE_MAJOR = 100_000
MAX_STOCK = 100_000
MAX_WARRANTY_MONTHS = 120
MAX_DISPATCH_DAYS = 30


def price_text(minor: int, currency: str) -> str:
    """Show minor units as the seller types them, e.g. 45900 -> "459.00"."""
    return str(Money(minor, currency).as_decimal())


class PriceField(forms.CharField):
    """A price typed in major units ("459.00" or "459,00"), cleaned to minor units."""

    def __init__(self, *, currency: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)
        self.set_currency(currency or settings.DEFAULT_CURRENCY)

    def set_currency(self, currency: str) -> None:
        self.currency = currency
        self.help_text = (
            f"In {currency}, VAT included, with a dot before the cents and no thousands "
            "separator, e.g. 459.00."
        )

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            minor = parse_major(text, self.currency)
        except ValueError as error:
            raise forms.ValidationError(
                f"{error} Enter the price as an amount such as 459.00.", code="invalid"
            ) from None
        if minor <= 0:
            raise forms.ValidationError("The price must be more than zero.", code="min_value")
        if minor > parse_major(str(MAX_PRICE_MAJOR), self.currency):
            raise forms.ValidationError(
                f"The price cannot exceed {MAX_PRICE_MAJOR:,} {self.currency}.", code="max_value"
            )
        return minor


class VariantChoiceField(forms.ModelChoiceField[Variant]):
    def label_from_instance(self, obj: Variant) -> str:
        label = obj.label
        return f"{obj.device_model} · {label}" if label else str(obj.device_model)


def _whole(label: str, minimum: int, maximum: int, *, minimum_message: str = "") -> forms.Field:
    messages = {
        "invalid": "Enter a whole number.",
        # Django fills these in with %-formatting: a literal percent sign is doubled.
        "min_value": (minimum_message or f"Enter at least {minimum}.").replace("%", "%%"),
        "max_value": f"Enter at most {maximum}.",
    }
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=maximum, error_messages=messages
    )


class OfferCreateForm(SafeTextMixin, forms.Form):
    """A new offer: which product, in which condition, at which price and terms."""

    variant = VariantChoiceField(
        queryset=Variant.objects.none(),
        label="Product",
        empty_label="Choose a product",
        error_messages={
            "required": "Choose the product you sell.",
            "invalid_choice": "Choose a product from the list.",
        },
    )
    grade = forms.ChoiceField(
        choices=[("", "Choose a grade"), *Grade.choices],
        label="Condition grade",
        error_messages={"required": "Choose the condition grade."},
    )
    price = PriceField(label="Price", error_messages={"required": "Enter the price, e.g. 459.00."})
    stock = _whole("Units in stock", 0, MAX_STOCK)
    warranty_months = _whole(
        f"Warranty (months, at least {MIN_WARRANTY_MONTHS})",
        MIN_WARRANTY_MONTHS,
        MAX_WARRANTY_MONTHS,
        minimum_message=f"The warranty must be at least {MIN_WARRANTY_MONTHS} months.",
    )
    battery_health_min_pct = _whole(
        f"Minimum battery health (%, {MIN_BATTERY_HEALTH_PCT} to 100)",
        MIN_BATTERY_HEALTH_PCT,
        100,
        minimum_message=f"Battery health must be guaranteed at {MIN_BATTERY_HEALTH_PCT} % or more.",
    )
    dispatch_days = _whole("Dispatch time (business days)", 1, MAX_DISPATCH_DAYS)

    def __init__(self, *args: Any, variants: QuerySet[Variant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["variant"]
        assert isinstance(field, VariantChoiceField)
        field.queryset = variants


class OfferEditForm(SafeTextMixin, forms.Form):
    """What a seller changes day to day on a published offer."""

    price = PriceField(label="Price", error_messages={"required": "Enter the price, e.g. 459.00."})
    stock = _whole("Units in stock", 0, MAX_STOCK)
    is_active = forms.BooleanField(
        required=False,
        label="On sale",
        help_text="Untick to take the offer off the storefront without losing it.",
    )

    @classmethod
    def for_offer(cls, offer: Offer, data: Any = None) -> OfferEditForm:
        form = cls(
            data,
            initial={
                "price": price_text(offer.price_minor, offer.currency),
                "stock": offer.stock,
                "is_active": offer.is_active,
            },
        )
        price = form.fields["price"]
        assert isinstance(price, PriceField)
        price.set_currency(offer.currency)
        return form
