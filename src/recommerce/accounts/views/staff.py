"""Staff tools: find a person (logged, SEC-1), review sellers, read the access log (DPO)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors
from recommerce.accounts.forms import RejectForm
from recommerce.accounts.services import sellers as services
from recommerce.accounts.services.users import user_age_band
from recommerce.accounts.views.common import AuthedRequest
from recommerce.privacy import selectors as privacy_selectors
from recommerce.privacy.services import staff_access_record
from recommerce.privacy.services.personal_consent import (
    METHOD_SUPPORT,
    RECORDING_OBJECTION,
    personal_consent_record,
    recording_allowed,
)


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only staff in; others get a 404 so the tools' addresses reveal nothing."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
def dashboard(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/staff/dashboard.html",
        {"review_count": selectors.seller_review_queue().count()},
    )


@staff_only
@permission_required("accounts.view_personal_data", raise_exception=True)
def people(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    found = list(selectors.user_search(text=text)[:50]) if text else []
    for subject in found:  # a result list shows names and emails: each is an access
        staff_access_record(
            staff=request.user, subject=subject, what="people search", path=request.path
        )
    return render(request, "accounts/staff/people.html", {"q": text, "people": found})


@staff_only
@permission_required("accounts.view_personal_data", raise_exception=True)
def person(request: AuthedRequest, user_id: int) -> HttpResponse:
    subject = selectors.user_get(user_id=user_id)
    if subject is None:
        raise Http404("No such person.")
    staff_access_record(
        staff=request.user, subject=subject, what="profile and addresses", path=request.path
    )
    return render(
        request,
        "accounts/staff/person.html",
        {
            "subject": subject,
            "addresses": selectors.address_list_for(user=subject),
            "age_band": user_age_band(user=subject),
            "company_membership": selectors.company_membership_for(user=subject),
            "seller_membership": selectors.seller_membership_for(user=subject),
            "recording_allowed": recording_allowed(user=subject),
        },
    )


@staff_only
@permission_required("accounts.view_personal_data", raise_exception=True)
@require_POST
def person_recording_objection(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Record the person's objection to call and chat recording, said to support (CONSENT-6).

    Staff can only add the objection: lifting it is the person's own choice, on their
    privacy page, so a mistaken or pressed click never exposes them to recording.
    """
    subject = selectors.user_get(user_id=user_id)
    if subject is None:
        raise Http404("No such person.")
    personal_consent_record(
        user=subject,
        kind=RECORDING_OBJECTION,
        given=True,
        method=METHOD_SUPPORT,
        recorded_by=request.user,
    )
    messages.success(
        request, "The objection is recorded: do not record calls or chats with this person."
    )
    return redirect("staff:person", user_id=subject.pk)


@staff_only
@permission_required("accounts.review_seller", raise_exception=True)
def seller_queue(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "accounts/staff/sellers.html", {"sellers": selectors.seller_review_queue()}
    )


@staff_only
@permission_required("accounts.review_seller", raise_exception=True)
def seller_review(request: AuthedRequest, seller_id: int) -> HttpResponse:
    seller = selectors.seller_get(seller_id=seller_id)
    if seller is None:
        raise Http404("No such seller.")
    form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                services.seller_approve(seller=seller, staff=request.user)
                messages.success(request, f"{seller.name} is approved and may sell.")
                return redirect("staff:sellers")
            if form.is_valid():
                services.seller_reject(
                    seller=seller, staff=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"{seller.name}'s file is sent back.")
                return redirect("staff:sellers")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "accounts/staff/seller_review.html",
        {
            "seller": seller,
            "form": form,
            "iban_masked": seller.bank_account_display,
            "documents": selectors.seller_documents(seller=seller),
        },
        status=400 if form.errors else 200,
    )


@staff_only
@permission_required("privacy.read_access_log", raise_exception=True)
def access_log(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/staff/access_log.html",
        {"entries": privacy_selectors.staff_access_list()[:200]},
    )
