"""The sandbox's hosted page forms: a test card, and the 3-D Secure code."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from recommerce.payments.providers.sandbox.cards import (
    TEST_CARDS_BY_NUMBER,
    digits_only,
    luhn_valid,
)
from recommerce.platform import clock
from recommerce.platform.forms import SafeTextMixin

_EXPIRY = re.compile(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*")


class _BlankAfterPost(forms.TextInput):
    """A text input that never writes back what was typed (card data stays off pages)."""

    def format_value(self, value: Any) -> str | None:
        return None


class SandboxCardForm(SafeTextMixin, forms.Form):
    number = forms.CharField(
        label="Card number",
        max_length=30,
        widget=_BlankAfterPost(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    expiry = forms.CharField(
        label="Expiry date (MM/YY)",
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "MM/YY"}),
    )
    cvc = forms.CharField(
        label="Security code (CVC)",
        max_length=4,
        widget=_BlankAfterPost(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        digits = digits_only(self.cleaned_data["number"])
        if not luhn_valid(digits):
            raise forms.ValidationError("This card number is not valid: check the digits.")
        if digits not in TEST_CARDS_BY_NUMBER:
            raise forms.ValidationError("The sandbox accepts only the test cards listed here.")
        return digits

    def clean_expiry(self) -> tuple[int, int]:
        match = _EXPIRY.fullmatch(self.cleaned_data["expiry"])
        if match is None:
            raise forms.ValidationError("Give the expiry date as MM/YY, for example 12/34.")
        month, year = int(match[1]), int(match[2])
        year += 2000 if year < 100 else 0
        if not 1 <= month <= 12:
            raise forms.ValidationError("The month is from 01 to 12.")
        today = clock.today()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError("This card has expired.")
        return year, month

    def clean_cvc(self) -> str:
        cvc: str = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError("The security code has 3 or 4 digits.")
        return cvc


class SandboxChallengeForm(SafeTextMixin, forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("The code has 6 digits.")
        return code
