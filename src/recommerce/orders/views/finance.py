"""Seller finance pages (balance, payouts, statements, invoices) and staff payout approval.

Any member of a seller may read its finance pages; everyone else gets a 404, so the
addresses reveal nothing. The staff page needs ``orders.approve_payout``: people who are
not staff get a 404, staff without the permission a 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import SellerMembership
from recommerce.accounts.views.common import AuthedRequest
from recommerce.orders.models import Invoice, Payout
from recommerce.orders.pdf import invoice_render_pdf, invoice_units
from recommerce.orders.services import statements
from recommerce.orders.services.ledger import seller_balance_minor
from recommerce.orders.services.payouts import (
    can_approve_payouts,
    payout_approve,
    payout_send,
    seller_available_minor,
)
from recommerce.orders.views import pdf_response
from recommerce.platform import clock
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.providers import ProviderError

PER_PAGE = 25


def seller_member(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in any member of a seller; hand the view the membership."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = account_selectors.seller_membership_for(user=request.user)
        if membership is None:
            raise Http404("You have no seller account.")
        return view(request, membership, *args, **kwargs)

    return wrapped


def _context(membership: SellerMembership, **extra: Any) -> dict[str, Any]:
    return {"membership": membership, "seller": membership.seller, "section": "finance", **extra}


@seller_member
def finance_home(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    seller = membership.seller
    start, end = _this_month()
    return render(
        request,
        "orders/finance/home.html",
        _context(
            membership,
            balance=seller_balance_minor(seller_id=seller.pk),
            available=seller_available_minor(seller_id=seller.pk),
            currency=_currency(),
            payouts=list(statements.seller_payouts(seller=seller)[:5]),
            invoices=list(statements.seller_invoices(seller=seller)[:5]),
            start=start,
            end=end,
        ),
    )


@seller_member
def payout_list(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    payouts = statements.seller_payouts(seller=membership.seller)
    page = Paginator(payouts, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orders/finance/payouts.html", _context(membership, page=page))


class StatementForm(SafeTextMixin, forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError("The period ends before it starts.")
            if (end - start).days >= statements.MAX_STATEMENT_DAYS:
                raise ValidationError(
                    f"Choose a period of at most {statements.MAX_STATEMENT_DAYS} days."
                )
        return data


def _this_month() -> tuple[dt.date, dt.date]:
    today = clock.today()
    return today.replace(day=1), today


def _currency() -> str:
    return str(settings.DEFAULT_CURRENCY)


def _statement_form(request: AuthedRequest) -> StatementForm:
    if "start" in request.GET or "end" in request.GET:
        return StatementForm(request.GET)
    start, end = _this_month()
    return StatementForm({"start": start.isoformat(), "end": end.isoformat()})


@seller_member
def statement(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    form = _statement_form(request)
    result = None
    if form.is_valid():
        result = statements.seller_statement(
            seller=membership.seller, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
    return render(
        request,
        "orders/finance/statement.html",
        _context(membership, form=form, statement=result),
        status=200 if result else 400,
    )


@seller_member
def statement_csv(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    form = _statement_form(request)
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(
            f"Invalid period: {problems}", status=400, content_type="text/plain; charset=utf-8"
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    result = statements.seller_statement(seller=membership.seller, start=start, end=end)
    response = HttpResponse(
        statements.statement_csv(result), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{membership.seller.slug}-{start}-{end}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@seller_member
def invoice_list(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    invoices = statements.seller_invoices(seller=membership.seller)
    page = Paginator(invoices, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orders/finance/invoices.html", _context(membership, page=page))


def _invoice(membership: SellerMembership, invoice_id: int) -> Invoice:
    invoice = statements.seller_invoice_get(seller=membership.seller, invoice_id=invoice_id)
    if invoice is None:
        raise Http404("No such invoice.")
    return invoice


@seller_member
def invoice_detail(
    request: AuthedRequest, membership: SellerMembership, invoice_id: int
) -> HttpResponse:
    invoice = _invoice(membership, invoice_id)
    return render(
        request, "orders/finance/invoice.html", _context(membership, **invoice_context(invoice))
    )


def invoice_context(invoice: Invoice) -> dict[str, Any]:
    """Return what ``orders/finance/_invoice.html`` needs to show an invoice."""
    lines = [
        {**line, "rate_label": f"{Decimal(int(line.get('vat_rate_bp', 0))) / 100:g} %"}
        for line in invoice.lines
    ]
    heading = "Customer" if invoice.kind != Invoice.Kind.COMMISSION else "Seller"
    return {
        "invoice": invoice,
        "lines": lines,
        "units": invoice_units(invoice=invoice),
        "parties": [("Issued by", invoice.issuer_details), (heading, invoice.customer_details)],
    }


@seller_member
def invoice_pdf(
    request: AuthedRequest, membership: SellerMembership, invoice_id: int
) -> HttpResponse:
    invoice = _invoice(membership, invoice_id)
    return pdf_response(invoice_render_pdf(invoice=invoice), f"{invoice.number}.pdf")


# ---- Staff -----------------------------------------------------------------------------------


def payout_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in finance staff allowed to approve payouts; hide the page from non-staff."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("No such page.")
        if not can_approve_payouts(request.user):
            raise PermissionDenied("Your role does not include approving payouts.")
        return view(request, *args, **kwargs)

    return wrapped


@payout_staff
def staff_payouts(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "orders/finance/staff_payouts.html",
        {"payouts": list(statements.payouts_for_staff()[:200])},
    )


def _staff_payout(payout_id: int) -> Payout:
    payout = statements.payouts_for_staff().filter(pk=payout_id).first()
    if payout is None:
        raise Http404("No such payout waiting for approval or sending.")
    return payout


@payout_staff
@require_POST
def staff_payout_approve(request: AuthedRequest, payout_id: int) -> HttpResponse:
    payout = _staff_payout(payout_id)
    try:
        payout_approve(payout=payout, approver=request.user)
    except (PermissionError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, f"Payout {payout.pk} to {payout.seller.name} is approved.")
    return redirect("staff_finance:payouts")


@payout_staff
@require_POST
def staff_payout_send(request: AuthedRequest, payout_id: int) -> HttpResponse:
    payout = _staff_payout(payout_id)
    try:
        sent = payout_send(payout=payout)
    except (ValidationError, ProviderError) as error:
        messages.error(request, _message(error))
    else:
        if sent.status == Payout.Status.SENT:
            messages.success(request, f"Payout {payout.pk} to {payout.seller.name} is sent.")
        else:
            messages.error(
                request,
                f"Payout {payout.pk} was not sent: the seller's balance no longer covers it.",
            )
    return redirect("staff_finance:payouts")


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
