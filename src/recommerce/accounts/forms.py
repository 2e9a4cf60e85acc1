"""Forms of the account pages; each hands its cleaned data to a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_countries import countries

from recommerce.accounts.models import Address, CompanyMembership, Seller, SellerDocument, User
from recommerce.accounts.services.users import age_declaration_check, user_age_declare
from recommerce.platform.forms import SafeTextMixin


def country_choices(blank: str = "Choose a country") -> list[tuple[str, str]]:
    return [("", blank), *((code, name) for code, name in countries)]


class DateInput(forms.DateInput):
    input_type = "date"


class SignupDetailsForm(SafeTextMixin, forms.Form):
    """What sign-up asks besides email and password: a name, a country and an age.

    The age declaration is checked in ``clean``, so a child under 13 is refused before any
    account or data exists (AGE-1).
    """

    full_name = forms.CharField(max_length=150, label="Full name")
    country = forms.ChoiceField(choices=country_choices, label="Country of residence")
    birth_date = forms.DateField(
        required=False,
        label="Date of birth",
        widget=DateInput,
        help_text="In France we need your date of birth. Elsewhere, you may tick the box "
        "below instead.",
    )
    adult_attested = forms.BooleanField(required=False, label="I am 18 or older")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "country" in data:
            try:
                age_declaration_check(
                    country=data["country"],
                    birth_date=data.get("birth_date"),
                    adult_attested=bool(data.get("adult_attested")),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def signup(self, request: HttpRequest, user: User) -> None:
        user_age_declare(
            user=user,
            country=self.cleaned_data["country"],
            birth_date=self.cleaned_data.get("birth_date"),
            adult_attested=bool(self.cleaned_data.get("adult_attested")),
        )


class ProfileForm(SafeTextMixin, forms.ModelForm[User]):
    class Meta:
        model = User
        fields = [
            "title",
            "full_name",
            "phone",
            "country",
            "language",
            "notify_by_email",
            "notify_by_sms",
        ]
        labels = {
            "notify_by_email": "Send account and order messages by email",
            "notify_by_sms": "Also send delivery updates by text message",
        }
        help_texts = {"phone": "With the country code, e.g. +33 6 12 34 56 78."}


class AddressForm(SafeTextMixin, forms.ModelForm[Address]):
    class Meta:
        model = Address
        fields = [
            "kind",
            "full_name",
            "company_name",
            "line1",
            "line2",
            "postal_code",
            "city",
            "region",
            "country",
            "phone",
            "is_default",
        ]
        labels = {"is_default": "Use as my default address of this kind"}


class ParentalRequestForm(SafeTextMixin, forms.Form):
    guardian_email = forms.EmailField(label="Your parent's or guardian's email")


class ParentalAuthorisationForm(SafeTextMixin, forms.Form):
    guardian_name = forms.CharField(max_length=150, label="Parent's or guardian's full name")
    confirm = forms.BooleanField(
        label="As parent or guardian, I authorise purchases and trade-ins on this account"
    )


class CompanyForm(SafeTextMixin, forms.Form):
    legal_name = forms.CharField(max_length=200, label="Legal name")
    country = forms.ChoiceField(choices=country_choices, label="Country of registration")
    vat_number = forms.CharField(
        max_length=20, required=False, label="VAT number", help_text="e.g. FR40303265045"
    )
    registration_number = forms.CharField(
        max_length=32,
        required=False,
        label="Registration number",
        help_text="SIREN or SIRET in France",
    )


class InvitationForm(SafeTextMixin, forms.Form):
    email = forms.EmailField(label="Colleague's email")
    role = forms.ChoiceField(choices=CompanyMembership.Role.choices)


class SellerStartForm(SafeTextMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Shop name", help_text="Shown to buyers.")
    legal_name = forms.CharField(max_length=200, label="Company's legal name")
    country = forms.ChoiceField(choices=country_choices, label="Country of registration")


class SellerFileForm(SafeTextMixin, forms.ModelForm[Seller]):
    class Meta:
        model = Seller
        fields = [
            "name",
            "legal_name",
            "city",
            "description",
            "vat_number",
            "registration_number",
            "return_line1",
            "return_postal_code",
            "return_city",
            "return_country",
            "warranty_months",
            "return_days",
        ]
        labels = {
            "warranty_months": "Warranty (months, at least 12)",
            "return_days": "Return period (days, at least 30)",
            "description": "About the shop",
        }


class BankAccountForm(SafeTextMixin, forms.Form):
    iban = forms.CharField(max_length=42, label="IBAN")
    account_holder = forms.CharField(max_length=150, label="Account holder")


class SellerDocumentForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(choices=SellerDocument.Kind.choices, label="Document")
    file = forms.FileField(label="File (PDF, PNG or JPEG, up to 10 MB)")


class RejectForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reason")
