"""What the account views share: turning a service's refusal into form errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts.models import User


def form_errors_from(form: forms.BaseForm, error: ValidationError | PermissionError) -> None:
    """Show a service's ``ValidationError`` on the form, on its fields where they exist."""
    if isinstance(error, PermissionError):
        form.add_error(None, str(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in ``User``."""

    user: User


@dataclass(frozen=True)
class InvitationKind:
    """How one kind of invitation is found, accepted and described on its page."""

    find: Callable[..., Any]
    accept: Callable[..., Any]
    joining: Callable[[Any], str]  # the invitation's company or seller, by name
    doing: str  # what the invited person will do, e.g. "buy for"
    done_url: str
    done_message: str


def invitation_page(request: AuthedRequest, token: str, kind: InvitationKind) -> HttpResponse:
    """Show an invitation to the invited person and let them accept it."""
    invitation = kind.find(token=token, email=request.user.email)
    error = ""
    if request.method == "POST":
        try:
            kind.accept(token=token, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, kind.done_message)
            return redirect(kind.done_url)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "joining": kind.joining(invitation) if invitation else "",
            "doing": kind.doing,
            "error": error,
        },
        status=400 if error else (200 if invitation else 404),
    )
