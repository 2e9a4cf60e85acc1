"""What the account views share: turning a service's refusal into form errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from recommerce.accounts.models import User


def form_errors_from(form: forms.BaseForm, error: ValidationError | PermissionError) -> None:
    """Show a service's ``ValidationError`` on the form, on its fields where they exist."""
    if isinstance(error, PermissionError):
        form.add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in ``User``."""

    user: User
