"""My account: profile, address book and the age rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors
from recommerce.accounts.age import AgeBand
from recommerce.accounts.forms import (
    AddressForm,
    ParentalAuthorisationForm,
    ParentalRequestForm,
    ProfileForm,
)
from recommerce.accounts.models import CompanyMembership
from recommerce.accounts.services import parental
from recommerce.accounts.services import users as services
from recommerce.accounts.services.users import ADDRESS_FIELDS, PROFILE_FIELDS
from recommerce.accounts.views.common import AuthedRequest, form_errors_from


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        user.refresh_from_db()
        try:
            services.user_profile_update(user=user, actor=user, **changes)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    band = services.user_age_band(user=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "addresses": selectors.address_list_for(user=user),
            "is_minor": band is AgeBand.MINOR,
            "may_transact": services.user_may_transact(user=user),
            "company_membership": selectors.company_membership_for(user=user),
            "seller_membership": selectors.seller_membership_for(user=user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def address_edit(request: AuthedRequest, address_id: int | None = None) -> HttpResponse:
    address = None
    if address_id is not None:
        address = selectors.address_get_for(user=request.user, address_id=address_id)
        if address is None:
            raise Http404("No such address in your address book.")
    company = None
    if address is None and request.GET.get("for") == "company":
        # A company admin adds an address every member of the company can use.
        membership = selectors.company_membership_for(user=request.user)
        if membership is None or membership.role != CompanyMembership.Role.ADMIN:
            raise Http404("Only a company admin adds company addresses.")
        company = membership.company
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ADDRESS_FIELDS}
        try:
            if address is None:
                services.address_create(
                    actor=request.user,
                    user=None if company else request.user,
                    company=company,
                    kind=form.cleaned_data["kind"],
                    is_default=form.cleaned_data["is_default"],
                    **data,
                )
            else:
                address.refresh_from_db()
                services.address_update(
                    address=address,
                    actor=request.user,
                    is_default=form.cleaned_data["is_default"],
                    **data,
                )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "The address is saved.")
            return redirect("accounts:company" if company else "accounts:profile")
    return render(
        request,
        "accounts/address_form.html",
        {"form": form, "address": address, "company": company},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def address_delete(request: AuthedRequest, address_id: int) -> HttpResponse:
    address = selectors.address_get_for(user=request.user, address_id=address_id)
    if address is None:
        raise Http404("No such address in your address book.")
    services.address_delete(address=address, actor=request.user)
    messages.success(request, "The address is removed.")
    return redirect("accounts:profile")


@login_required
def parental_authorisation(request: AuthedRequest) -> HttpResponse:
    """A minor asks a parent, by email, to authorise purchases and trade-ins."""
    form = ParentalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parental.parental_consent_request(
                user=request.user,
                guardian_email=form.cleaned_data["guardian_email"],
                accept_url_base=request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "We emailed your parent a link to authorise your account.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/parental.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def parental_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The parent's page, reached from the emailed link (no account needed)."""
    consent = parental.parental_consent_find(token=token)
    form = ParentalAuthorisationForm(request.POST or None)
    if consent is not None and request.method == "POST" and form.is_valid():
        try:
            parental.parental_consent_confirm(
                token=token, guardian_name=form.cleaned_data["guardian_name"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            return render(request, "accounts/parental_consent.html", {"done": True})
    return render(
        request,
        "accounts/parental_consent.html",
        {"consent": consent, "form": form},
        status=404 if consent is None else (400 if form.errors else 200),
    )
