"""Forms of the privacy pages: a person's requests, limits and identity checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator

from recommerce.platform.forms import SafeTextMixin
from recommerce.privacy import purposes
from recommerce.privacy.models import DataRequest, ProcessingLimit
from recommerce.privacy.purposes import Purpose
from recommerce.privacy.registry import registry
from recommerce.privacy.services.limits import limitable_purposes

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# The first bytes of each accepted file type: the browser's declared type is not trusted.
DOCUMENT_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
LIMIT_KINDS = (DataRequest.Kind.RESTRICTION, DataRequest.Kind.OBJECTION)
JURISDICTIONS = (
    (DataRequest.Jurisdiction.GDPR.value, "European Union and elsewhere (GDPR)"),
    (DataRequest.Jurisdiction.CCPA.value, "California (CCPA)"),
)


class ConfirmErasureForm(SafeTextMixin, forms.Form):
    confirm = forms.BooleanField(
        label="I understand that my account and my data will be erased, and that this "
        "cannot be undone.",
        error_messages={"required": "Tick the box to confirm that you want your account erased."},
    )


class LimitForm(SafeTextMixin, forms.Form):
    """Restrict or object to one use of the person's data (CONSENT-7)."""

    purpose = forms.ChoiceField(label="Use of my data")
    kind = forms.ChoiceField(
        label="What I ask",
        choices=[(kind.value, kind.label) for kind in ProcessingLimit.Kind],
        help_text="An objection stops this use; a restriction pauses it while a question "
        "about your data is settled.",
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, limited: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = limited or set()
        field = self.fields["purpose"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a use")] + [
            (purpose.code, purpose.description)
            for purpose in limitable_purposes()
            if purpose.code not in chosen
        ]

    def clean_purpose(self) -> Purpose:
        return purposes.by_code(self.cleaned_data["purpose"])


class RectificationForm(SafeTextMixin, forms.Form):
    details = forms.CharField(
        label="What is wrong, and what it should say",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the name on an invoice, or an old address on an order.",
        error_messages={"required": "Tell us which data is wrong and what it should say."},
    )


class PublicRequestForm(SafeTextMixin, forms.Form):
    """A request from someone without an account, or who cannot sign in."""

    honeypot_name = "website"

    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        help_text="Use the address of your account, if you have one. We send a code to it.",
    )
    kind = forms.ChoiceField(label="What you ask for", choices=DataRequest.Kind.choices)
    jurisdiction = forms.ChoiceField(
        label="Where you live", choices=JURISDICTIONS, initial=JURISDICTIONS[0][0]
    )
    purpose = forms.ChoiceField(
        label="Use of your data to restrict or stop",
        required=False,
        choices=[("", "Not applicable")]
        + [(purpose.code, purpose.description) for purpose in purposes.ALL],
        help_text="Only for a restriction or an objection.",
    )
    details = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything that helps us answer, such as an order number or what to correct.",
    )
    # Left empty by people (it is hidden from them); automated senders fill it in.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError("This request could not be sent. Please try again.")
        kind = data.get("kind")
        if kind in LIMIT_KINDS and not data.get("purpose"):
            self.add_error("purpose", "Choose the use of your data to restrict or stop.")
        elif kind not in LIMIT_KINDS:
            data["purpose"] = ""
        if kind == DataRequest.Kind.RECTIFICATION and not data.get("details"):
            self.add_error("details", "Tell us which data is wrong and what it should say.")
        return data


class CodeField(forms.CharField):
    """A one-time code; spaces typed inside it ("123 456") are ignored."""

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value) or "").split())


class ExportCodeForm(SafeTextMixin, forms.Form):
    """The one-time code emailed with a download link, for anyone not signed in as its owner."""

    code = CodeField(
        label="Code from the email",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class VerifyForm(SafeTextMixin, forms.Form):
    """The emailed code, and facts that tie the sender to the account (one per registry fact)."""

    code = CodeField(
        label="Code from the email",
        max_length=12,
        validators=[RegexValidator(r"^\d{6}$", "The code has 6 digits.")],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, _matches) in registry.identity_facts.items():
            self.fields[f"fact_{name}"] = forms.CharField(
                label=f"{label} (optional)",
                required=False,
                max_length=200,
            )

    def data_points(self) -> dict[str, str]:
        return {
            name: str(self.cleaned_data.get(f"fact_{name}") or "").strip()
            for name in registry.identity_facts
        }


class DocumentForm(SafeTextMixin, forms.Form):
    document = forms.FileField(
        label="Copy of an identity document",
        help_text="PDF, JPEG or PNG, up to 5 MB. You may hide the photo and the document "
        "number; we only need your name and date of birth.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def clean_document(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["document"]
        if (upload.size or 0) > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        upload.seek(0)
        content = upload.read(DOCUMENT_MAX_BYTES + 1)
        if len(content) > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        content_type = next(
            (kind for magic, kind in DOCUMENT_SIGNATURES if content.startswith(magic)), None
        )
        if content_type is None:
            raise forms.ValidationError("Send a PDF, JPEG or PNG file.")
        self.cleaned_data["content"] = content
        self.cleaned_data["content_type"] = content_type
        return upload
