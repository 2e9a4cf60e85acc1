"""The console's forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from recommerce.platform.forms import SafeTextMixin
from recommerce.privacy.models import (
    DataRequest,
    Disclosure,
)
from recommerce.privacy.registry import Erasure, registry
from recommerce.privacy.services.limits import limitable_purposes
from recommerce.privacy.views.staff.common import Kind

# --- Forms -----------------------------------------------------------------------------------


def _text(label: str, *, rows: int = 3, required: bool = True, size: int = 2000) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=size,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _date(label: str, *, required: bool = True, help_text: str = "") -> Any:
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, required=required, help_text=help_text, widget=widget)


def _limitable_purposes() -> list[tuple[str, str]]:
    return [("", "—"), *((p.code, p.description) for p in limitable_purposes())]


class RequestFilterForm(SafeTextMixin, forms.Form):
    state = forms.ChoiceField(
        required=False,
        choices=[("", "All"), ("open", "Open"), ("overdue", "Overdue"), ("closed", "Closed")],
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Kind.choices])
    jurisdiction = forms.ChoiceField(
        required=False, choices=[("", "Any law"), *DataRequest.Jurisdiction.choices]
    )


class WrittenRequestForm(SafeTextMixin, forms.Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="The verification code and the answer go there.")
    kind = forms.ChoiceField(label="The person asks for", choices=Kind.choices)
    jurisdiction = forms.ChoiceField(choices=DataRequest.Jurisdiction.choices)
    received_on = _date(
        "Received on", help_text="The day the letter arrived: deadlines run from it."
    )
    details = _text("What the letter asks", rows=4, required=False, size=5000)
    purpose = forms.ChoiceField(
        label="Use to stop",
        required=False,
        choices=_limitable_purposes,
        help_text="For a restriction or an objection: the use the person wants stopped.",
    )

    def clean_received_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("A letter cannot arrive in the future.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        limits = (Kind.RESTRICTION, Kind.OBJECTION)
        if data.get("kind") in limits and not data.get("purpose") and "purpose" not in self.errors:
            self.add_error("purpose", "Choose the use the person wants stopped.")
        elif data.get("kind") not in limits:
            data["purpose"] = ""
        return data


class DocumentAskForm(SafeTextMixin, forms.Form):
    note = _text("What the person should send, and why")


class VerifyForm(SafeTextMixin, forms.Form):
    method = forms.CharField(
        label="How the identity was checked", max_length=64, help_text="e.g. passport copy"
    )


class ReasonForm(SafeTextMixin, forms.Form):
    reason = _text("Reason the person will read")


class AnswerForm(SafeTextMixin, forms.Form):
    answer = _text("Answer the person will read", rows=4, size=5000)


def _rectifiable_fields() -> list[tuple[str, list[tuple[str, str]]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for item in registry:
        model = registry.model_classes[item.model_label]
        if item.erasure is Erasure.LEGAL_HOLD or item.subject is None:
            continue
        if model._meta.get_field(item.field_name).is_relation:
            continue
        value = f"{item.model_label}:{item.field_name}"
        grouped.setdefault(item.model_label, []).append((value, item.export_label))
    return sorted(grouped.items())


class RectifyForm(SafeTextMixin, forms.Form):
    target = forms.ChoiceField(label="Field", choices=_rectifiable_fields)
    record_id = forms.CharField(label="Record number", max_length=40)
    value = forms.CharField(label="Correct value", max_length=500, required=False)


class ResumeForm(SafeTextMixin, forms.Form):
    record = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DisclosureFilterForm(SafeTextMixin, forms.Form):
    account = forms.IntegerField(label="Account number", required=False, min_value=1)
    email = forms.EmailField(required=False)
    recipient_kind = forms.ChoiceField(
        label="Recipient", required=False, choices=[("", "Any"), *Disclosure.RecipientKind.choices]
    )
    reference = forms.CharField(required=False, max_length=64)
    since = _date("From", required=False)
    until = _date("To", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The end of the range comes before its start.")
        return data
