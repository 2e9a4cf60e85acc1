"""After-sales pages: claims, for the buyer, the seller and customer service.

Every claim is read through whoever asks (``claim_get_for_*``): someone else's reference
answers 404 and changes nothing. The seller's pages open to the owners and order managers
(other roles get a 403 page); the staff pages to staff with ``support.view_claim``, and
deciding takes ``support.decide_claim``. Each staff look at a claim is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import SellerMembership
from recommerce.accounts.views.common import AuthedRequest, form_errors_from
from recommerce.orders import selectors as order_selectors
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.money import parse_major
from recommerce.platform.staff import staff_only
from recommerce.privacy.services.logs import staff_access_record_many
from recommerce.support.models import Claim
from recommerce.support.selectors import claims as selectors
from recommerce.support.selectors import conversations as conversation_selectors
from recommerce.support.selectors import returns as return_selectors
from recommerce.support.services import claims as services
from recommerce.support.services.common import DECIDE_PERMISSION, STAFF_PERMISSION

PER_PAGE = 25
Resolution = Claim.Resolution
OFFERS = [(r.value, r.label) for r in Resolution]


def _said(error: ValidationError | PermissionError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class NoteForm(SafeTextMixin, forms.Form):
    note = forms.CharField(max_length=300, label="Why should customer service step in?")


class OpenForm(SafeTextMixin, forms.Form):
    kind = forms.ChoiceField(choices=Claim.Kind.choices, widget=forms.RadioSelect, label="Problem")
    requested = forms.ChoiceField(
        choices=[(r.value, r.label) for r in Resolution if r.value in services.REQUESTED_ANY],
        label="What would you like?",
    )
    reason_code = forms.ChoiceField(
        choices=[("", "—"), *Claim.ReturnReason.choices],
        required=False,
        label="Why do you return it? (returns)",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        label="Describe the problem",
    )
    declaration = forms.BooleanField(
        required=False,
        label="I declare that I did not receive this parcel (lost parcels).",
    )


class AnswerForm(SafeTextMixin, forms.Form):
    proposal = forms.ChoiceField(choices=OFFERS, label="Your proposal")
    amount = forms.CharField(
        max_length=20, required=False, label="Amount (partial refund)", help_text="e.g. 25.00"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        label="Note to the buyer",
    )


class DecisionForm(AnswerForm):
    proposal = forms.ChoiceField(choices=OFFERS, label="Decision")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=300, label="Reasons, shown to both"
    )


def _amount(form: AnswerForm, currency: str) -> int | None:
    raw = form.cleaned_data.get("amount", "").strip()
    if not raw:
        return 0
    try:
        return parse_major(raw, currency)
    except ValueError as error:
        form.add_error("amount", str(error))
        return None


# --- Buyer -----------------------------------------------------------------------------------


@login_required
def buyer_claim_list(request: AuthedRequest) -> HttpResponse:
    claims = selectors.buyer_claim_list(user=request.user)
    page = Paginator(claims, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "support/claims/buyer_list.html", {"page": page, "section": "claims"})


@login_required
def buyer_claim_open(request: AuthedRequest, number: str) -> HttpResponse:
    order = order_selectors.buyer_order_get(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    lines = list(order.lines.all())
    form = OpenForm(request.POST or None)
    line_id = request.POST.get("line", "")
    if request.method == "POST" and form.is_valid():
        line = next((x for x in lines if str(x.pk) == line_id), None)
        files = request.FILES.getlist("evidence")[: settings.SUPPORT_ATTACHMENTS_PER_MESSAGE]
        try:
            claim = services.claim_open(
                order=order,
                actor=request.user,
                line=line,
                evidence=files,
                **form.cleaned_data,
            )
        except (ValidationError, PermissionError) as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Claim {claim.reference} is open: the seller will answer.")
            return redirect("support:claim", reference=claim.reference)
    return render(
        request,
        "support/claims/open.html",
        {
            "order": order,
            "lines": lines,
            "line_id": line_id,
            "form": form,
            "options": selectors.claim_kinds_for_order(order=order),
            "section": "claims",
        },
        status=400 if form.errors else 200,
    )


@login_required
def buyer_claim_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    claim = selectors.claim_get_for_buyer(user=request.user, reference=reference)
    if claim is None:
        raise Http404("No such claim.")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    note_form = NoteForm(request.POST if action == "escalate" else None, auto_id="escalate-%s")
    if action and (action != "escalate" or note_form.is_valid()):
        try:
            if action == "agree":
                services.claim_agree(claim=claim, actor=request.user)
                messages.success(request, "You agreed to the seller's proposal.")
            elif action == "withdraw":
                services.claim_withdraw(claim=claim, actor=request.user)
                messages.success(request, f"Claim {claim.reference} is withdrawn.")
            elif action == "escalate":
                services.claim_escalate(claim=claim, actor=request.user, **note_form.cleaned_data)
                messages.success(request, "Customer service will look at your claim.")
            else:
                messages.error(request, "Choose what to do with the claim.")
        except (ValidationError, PermissionError) as error:
            messages.error(request, _said(error))
        return redirect("support:claim", reference=claim.reference)
    if request.method == "POST" and not action:
        messages.error(request, "Choose what to do with the claim.")
        return redirect("support:claim", reference=claim.reference)
    return _claim_page(request, claim, "buyer", {"note_form": note_form, "section": "claims"})


def _claim_page(
    request: AuthedRequest, claim: Claim, side: str, extra: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render ``side``'s page of ``claim``: its facts, history, return, identity and thread."""
    bound = any(getattr(f, "errors", None) for f in extra.values())
    conversation = conversation_selectors.order_conversation_for(order=claim.order)
    thread = (
        list(conversation_selectors.conversation_messages(conversation=conversation))
        if conversation is not None
        else []
    )
    return render(
        request,
        f"support/claims/{side}_detail.html",
        {
            "claim": claim,
            "side": side,
            "events": list(selectors.claim_events(claim=claim)),
            "conversation": conversation,
            "thread_messages": thread,
            "return_panel": return_selectors.claim_return_panel(claim),
            "return_side": side,
            "identity_checks": list(claim.identity_checks.all()),
            "due_at": selectors.claim_deadline(claim),
            **extra,
        },
        status=400 if bound else status,
    )


# --- Seller ----------------------------------------------------------------------------------


def claim_member(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in the seller's owners and order managers; hand the view their membership."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = account_selectors.seller_membership_for(user=request.user)
        if membership is None:
            raise Http404("You have no seller account.")
        if membership.role not in order_selectors.SELLER_ORDER_ROLES:
            context = {
                "membership": membership,
                "seller": membership.seller,
                "section": "seller_claims",
            }
            return render(request, "orders/seller/forbidden.html", context, status=403)
        return view(request, membership, *args, **kwargs)

    return wrapped


@claim_member
def seller_claim_list(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in Claim.Status.values else ""
    claims = selectors.seller_claim_list(seller=membership.seller, status=status)
    page = Paginator(claims, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/claims/seller_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Claim.Status.choices,
            "membership": membership,
            "seller": membership.seller,
            "section": "seller_claims",
        },
    )


@claim_member
def seller_claim_detail(
    request: AuthedRequest, membership: SellerMembership, reference: str
) -> HttpResponse:
    claim = selectors.claim_get_for_seller(seller=membership.seller, reference=reference)
    if claim is None:
        raise Http404("No such claim.")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    answer_form = AnswerForm(request.POST if action == "propose" else None)
    note_form = NoteForm(request.POST if action == "escalate" else None, auto_id="escalate-%s")
    if action:
        try:
            if action == "accept":
                services.claim_answer(claim=claim, actor=request.user, accept=True)
                messages.success(request, "You accepted the claim.")
                return redirect("seller_support:claim", reference=claim.reference)
            if action == "escalate" and note_form.is_valid():
                services.claim_escalate(claim=claim, actor=request.user, **note_form.cleaned_data)
                messages.success(request, "Customer service will decide the claim.")
                return redirect("seller_support:claim", reference=claim.reference)
            if action == "propose" and answer_form.is_valid():
                amount = _amount(answer_form, claim.order.currency)
                if amount is not None:
                    services.claim_answer(
                        claim=claim,
                        actor=request.user,
                        accept=False,
                        proposal=answer_form.cleaned_data["proposal"],
                        amount_minor=amount,
                        note=answer_form.cleaned_data["note"],
                    )
                    messages.success(request, "Your proposal was sent to the buyer.")
                    return redirect("seller_support:claim", reference=claim.reference)
            if action not in ("accept", "escalate", "propose"):
                messages.error(request, "Choose what to do with the claim.")
                return redirect("seller_support:claim", reference=claim.reference)
        except (ValidationError, PermissionError) as error:
            form = answer_form if action == "propose" else note_form
            if action == "accept":
                messages.error(request, _said(error))
                return redirect("seller_support:claim", reference=claim.reference)
            _rename_amount(error)
            form_errors_from(form, error)
    return _claim_page(
        request,
        claim,
        "seller",
        {
            "answer_form": answer_form,
            "note_form": note_form,
            "membership": membership,
            "seller": membership.seller,
            "section": "seller_claims",
        },
    )


def _rename_amount(error: ValidationError | PermissionError) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, service_field in {"amount": "amount_minor", "proposal": "resolution"}.items():
            if service_field in error.error_dict:
                error.error_dict[field] = error.error_dict.pop(service_field)


# --- Customer service ---------------------------------------------------------------------


def _log_looks(request: AuthedRequest, claims: list[Claim], what: str) -> None:
    looks = [(c.buyer_id, f"{what} {c.reference}") for c in claims]
    staff_access_record_many(staff=request.user, looks=looks, path=request.path)


@staff_only(STAFF_PERMISSION)
def staff_claim_queue(request: AuthedRequest) -> HttpResponse:
    rows = selectors.staff_claim_queue()
    _log_looks(request, [row.claim for row in rows], "claim queue")
    return render(request, "support/claims/staff_queue.html", {"rows": rows})


@staff_only(STAFF_PERMISSION)
def staff_claim_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    claim = selectors.claim_get_for_staff(reference=reference)
    if claim is None:
        raise Http404("No such claim.")
    _log_looks(request, [claim], "claim")
    may_decide = request.user.has_perm(DECIDE_PERMISSION)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_decide:
            messages.error(request, "Your role does not include deciding claims.")
            return redirect("staff_support:claim", reference=claim.reference)
        if form.is_valid():
            amount = _amount(form, claim.order.currency)
            try:
                if amount is not None:
                    services.claim_decide(
                        claim=claim,
                        actor=request.user,
                        resolution=form.cleaned_data["proposal"],
                        amount_minor=amount,
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, f"Claim {claim.reference} is decided.")
                    return redirect("staff_support:claim", reference=claim.reference)
            except (ValidationError, PermissionError) as error:
                _rename_amount(error)
                form_errors_from(form, error)
    return _claim_page(request, claim, "staff", {"form": form, "may_decide": may_decide})


buyer_patterns = [
    path("claims/", buyer_claim_list, name="claims"),
    path("orders/<str:number>/claim/", buyer_claim_open, name="claim_open"),
    path("claims/<str:reference>/", buyer_claim_detail, name="claim"),
]
seller_patterns = [
    path("claims/", seller_claim_list, name="claims"),
    path("claims/<str:reference>/", seller_claim_detail, name="claim"),
]
staff_patterns = [
    path("claims/", staff_claim_queue, name="claims"),
    path("claims/<str:reference>/", staff_claim_detail, name="claim"),
]

__all__ = ["buyer_patterns", "seller_patterns", "staff_patterns"]
