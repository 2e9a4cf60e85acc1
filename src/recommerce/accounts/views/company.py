"""The company account (B2B): create it, invite colleagues, join by invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors
from recommerce.accounts.forms import CompanyForm, InvitationForm
from recommerce.accounts.models import CompanyMembership
from recommerce.accounts.services import companies as services
from recommerce.accounts.views.common import (
    AuthedRequest,
    InvitationKind,
    form_errors_from,
    invitation_page,
)


@login_required
def company(request: AuthedRequest) -> HttpResponse:
    membership = selectors.company_membership_for(user=request.user)
    if membership is None:
        return company_create(request)
    is_admin = membership.role == CompanyMembership.Role.ADMIN
    invite_form = InvitationForm(request.POST or None) if is_admin else None
    if request.method == "POST" and invite_form is not None and invite_form.is_valid():
        try:
            services.company_invitation_create(
                company=membership.company,
                actor=request.user,
                email=invite_form.cleaned_data["email"],
                role=invite_form.cleaned_data["role"],
                accept_url_base=request.build_absolute_uri("/")[:-1],
            )
        except (ValidationError, PermissionError) as error:
            form_errors_from(invite_form, error)
        else:
            messages.success(request, "The invitation is on its way.")
            return redirect("accounts:company")
    return render(
        request,
        "accounts/company.html",
        {
            "membership": membership,
            "company": membership.company,
            "is_admin": is_admin,
            "members": selectors.company_members(company=membership.company),
            "addresses": selectors.company_addresses(company=membership.company),
            "invitations": selectors.company_open_invitations(company=membership.company)
            if is_admin
            else [],
            "invite_form": invite_form,
        },
        status=400 if invite_form is not None and invite_form.errors else 200,
    )


def company_create(request: AuthedRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Your company account is ready.")
            return redirect("accounts:company")
    return render(
        request,
        "accounts/company_create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


COMPANY_INVITATION = InvitationKind(
    find=services.company_invitation_find,
    accept=services.company_invitation_accept,
    joining=lambda invitation: invitation.company.legal_name,
    doing="buy for",
    done_url="accounts:company",
    done_message="You now buy for your company.",
)


@login_required
def invitation_accept(request: AuthedRequest, token: str) -> HttpResponse:
    return invitation_page(request, token, COMPANY_INVITATION)
