"""Seller onboarding: the file, the bank account, documents, submission, API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors
from recommerce.accounts.forms import (
    BankAccountForm,
    SellerDocumentForm,
    SellerFileForm,
    SellerStartForm,
)
from recommerce.accounts.models import Seller, SellerApiKey, SellerMembership
from recommerce.accounts.services import api_keys
from recommerce.accounts.services import sellers as services
from recommerce.accounts.services.sellers import EDITABLE, ONBOARDING_FIELDS
from recommerce.accounts.views.common import (
    AuthedRequest,
    InvitationKind,
    form_errors_from,
    invitation_page,
)
from recommerce.privacy.services import staff_access_record


def _owned_seller(request: AuthedRequest) -> Seller | None:
    membership = selectors.seller_membership_for(user=request.user)
    if membership is None or membership.role != SellerMembership.Role.OWNER:
        return None
    return membership.seller


@login_required
def seller_home(request: AuthedRequest) -> HttpResponse:
    membership = selectors.seller_membership_for(user=request.user)
    if membership is None:
        return seller_start(request)
    seller = membership.seller
    is_owner = membership.role == SellerMembership.Role.OWNER
    editable = is_owner and seller.status in EDITABLE
    prefix = request.POST.get("form", "") if request.method == "POST" else ""
    file_form = SellerFileForm(
        request.POST if prefix == "file" else None, instance=seller, prefix="file"
    )
    bank_form = BankAccountForm(request.POST if prefix == "bank" else None, prefix="bank")
    document_form = SellerDocumentForm(
        request.POST if prefix == "document" else None,
        request.FILES if prefix == "document" else None,
        prefix="document",
    )
    if editable and prefix:
        done = _handle(request, seller, prefix, file_form, bank_form, document_form)
        if done:
            return redirect("accounts:seller")
    failed = any(f.errors for f in (file_form, bank_form, document_form))
    return render(
        request,
        "accounts/seller.html",
        {
            "seller": seller,
            "membership": membership,
            "is_owner": is_owner,
            "editable": editable,
            "file_form": file_form,
            "bank_form": bank_form,
            "document_form": document_form,
            "iban_masked": seller.bank_account_display,
            "documents": selectors.seller_documents(seller=seller),
            "missing": services.seller_missing_items(seller=seller),
            "api_keys": selectors.seller_api_keys(seller=seller) if is_owner else [],
            "people": selectors.seller_members(seller=seller) if is_owner else [],
            "invitations": selectors.seller_open_invitations(seller=seller) if is_owner else [],
            "roles": SellerMembership.Role.choices,
            "scopes": SellerApiKey.Scope.choices,
        },
        status=400 if failed else 200,
    )


def _handle(
    request: AuthedRequest,
    seller: Seller,
    prefix: str,
    file_form: SellerFileForm,
    bank_form: BankAccountForm,
    document_form: SellerDocumentForm,
) -> bool:
    form = {"file": file_form, "bank": bank_form, "document": document_form}.get(prefix)
    if form is None or not form.is_valid():
        return False
    seller.refresh_from_db()
    try:
        if prefix == "file":
            changes = {n: form.cleaned_data[n] for n in ONBOARDING_FIELDS if n in form.fields}
            services.seller_onboarding_update(seller=seller, actor=request.user, **changes)
            messages.success(request, "The seller file is saved.")
        elif prefix == "bank":
            services.seller_bank_account_set(
                seller=seller, actor=request.user, **bank_form.cleaned_data
            )
            messages.success(request, "The bank account is saved.")
        else:
            services.seller_document_add(
                seller=seller,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, "The document is added.")
    except ValidationError as error:
        form_errors_from(form, error)
        return False
    return True


def seller_start(request: AuthedRequest) -> HttpResponse:
    form = SellerStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.seller_onboarding_start(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, "Your seller file is open. Complete it and submit it.")
            return redirect("accounts:seller")
    return render(
        request, "accounts/seller_start.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def seller_submit(request: AuthedRequest) -> HttpResponse:
    seller = _owned_seller(request)
    if seller is None:
        raise Http404("You own no seller account.")
    try:
        services.seller_submit(seller=seller, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Submitted. Our team reviews files within two working days.")
    return redirect("accounts:seller")


@login_required
def seller_document(request: AuthedRequest, token: str) -> FileResponse:
    """Hand a document of the file, decrypted, to the seller's people or reviewing staff."""
    document = selectors.seller_document_get_for(user=request.user, token=token)
    if document is None:
        raise Http404("No such document.")
    membership = selectors.seller_membership_for(user=request.user)
    if membership is None or membership.seller_id != document.seller_id:
        # A reviewer's look at the people named in a company's papers (SEC-1).
        staff_access_record(
            staff=request.user,
            subject=None,
            what=f"seller {document.seller_id} document {document.pk} ({document.kind})",
            path=request.path,
        )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}.{document.extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def api_key_issue(request: AuthedRequest) -> HttpResponse:
    seller = _owned_seller(request)
    if seller is None:
        raise Http404("You own no seller account.")
    try:
        issued = api_keys.seller_api_key_issue(
            seller=seller,
            actor=request.user,
            name=request.POST.get("name", ""),
            scopes=request.POST.getlist("scopes"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:seller")
    return render(request, "accounts/api_key_issued.html", {"issued": issued})


@login_required
@require_POST
def api_key_revoke(request: AuthedRequest, key_id: int) -> HttpResponse:
    seller = _owned_seller(request)
    if seller is None:
        raise Http404("You own no seller account.")
    key = selectors.seller_api_key_get_for(seller=seller, key_id=key_id)
    if key is None:
        raise Http404("No such API key.")
    api_keys.seller_api_key_revoke(key=key, actor=request.user)
    messages.success(request, f"The key “{key.name}” is revoked.")
    return redirect("accounts:seller")


SELLER_INVITATION = InvitationKind(
    find=services.seller_invitation_find,
    accept=services.seller_invitation_accept,
    joining=lambda invitation: invitation.seller.name,
    doing="work for",
    done_url="accounts:seller",
    done_message="You now work for the seller account.",
)


@login_required
def invitation_accept(request: AuthedRequest, token: str) -> HttpResponse:
    return invitation_page(request, token, SELLER_INVITATION)


@login_required
@require_POST
def people_invite(request: AuthedRequest) -> HttpResponse:
    seller = _owned_seller(request)
    if seller is None:
        raise Http404("You own no seller account.")
    try:
        services.seller_invitation_create(
            seller=seller,
            actor=request.user,
            email=request.POST.get("email", ""),
            role=request.POST.get("role", ""),
            accept_url_base=request.build_absolute_uri("/")[:-1],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The invitation is on its way.")
    return redirect("accounts:seller")
