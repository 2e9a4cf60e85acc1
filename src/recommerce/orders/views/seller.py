"""The seller's orders: the list by status, one order, and accept / ship / cancel / refund.

Open to the seller's owners and order managers; other roles get a 403 page. Templates
receive the seller's projection of an order (``seller_order_view``), never the order
itself, so nothing outside SHARE-1's allow-list can reach a page. Orders held for review
do not exist for the seller (404).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import SellerMembership
from recommerce.accounts.views.common import AuthedRequest, form_errors_from
from recommerce.orders import selectors
from recommerce.orders.models import Order, OrderLine
from recommerce.orders.projections import seller_order_view
from recommerce.orders.services import fulfilment, units
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.money import format_money, parse_major

PER_PAGE = 25
ACTIONS = ("accept", "ship", "cancel", "refund")


class ShipForm(SafeTextMixin, forms.Form):
    how = forms.ChoiceField(
        choices=[
            ("carrier", "Print a label from the marketplace's carrier"),
            ("own", "I ship with my own carrier"),
        ],
        widget=forms.RadioSelect,
        initial="carrier",
        label="Carrier",
    )
    carrier_name = forms.CharField(max_length=32, required=False, label="Your carrier's name")
    tracking_number = forms.CharField(
        max_length=64, required=False, label="Tracking number", help_text="With your own carrier."
    )

    def __init__(self, *args: Any, lines: Sequence[OrderLine], **kwargs: Any) -> None:
        """Add one input per unit shipped, for its IMEI or serial number."""
        super().__init__(*args, **kwargs)
        self.unit_fields: dict[str, tuple[int, int]] = {}
        for line in lines:
            for position in range(1, line.quantity + 1):
                name = f"unit_{line.pk}_{position}"
                self.fields[name] = forms.CharField(
                    max_length=40,
                    label=f"{line.title}, unit {position}",
                    help_text="IMEI (15 digits) or serial number",
                    error_messages={"required": "Enter the unit's IMEI or serial number."},
                )
                self.unit_fields[name] = (line.pk, position)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == "own" and not data.get("tracking_number", "").strip():
            self.add_error("tracking_number", "Give the tracking number of your carrier.")
        for name in self.unit_fields:
            if data.get(name):
                try:
                    units.unit_identifier_parse(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def units(self) -> dict[int, list[str]]:
        """Return what was typed, as ``order_ship`` takes it: line id → one per unit."""
        found: dict[int, list[str]] = {}
        for name, (line_id, _position) in self.unit_fields.items():
            found.setdefault(line_id, []).append(self.cleaned_data[name])
        return found


class CancelForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(max_length=200, label="Why do you cancel?")


class RefundForm(SafeTextMixin, forms.Form):
    amount = forms.CharField(max_length=20, label="Amount to refund", help_text="e.g. 25.00")
    reason = forms.CharField(max_length=200, label="Reason, shown to the buyer")
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int:
        try:
            amount = parse_major(self.cleaned_data["amount"], self.currency)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if amount <= 0:
            raise ValidationError("Enter an amount above zero.")
        return amount


def order_member(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in the seller's owners and order managers; hand the view their membership."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        membership = account_selectors.seller_membership_for(user=request.user)
        if membership is None:
            raise Http404("You have no seller account.")
        if membership.role not in selectors.SELLER_ORDER_ROLES:
            return render(
                request,
                "orders/seller/forbidden.html",
                {"membership": membership, "seller": membership.seller, "section": "orders"},
                status=403,
            )
        return view(request, membership, *args, **kwargs)

    return wrapped


@order_member
def order_list(request: AuthedRequest, membership: SellerMembership) -> HttpResponse:
    tab = request.GET.get("status", "")
    tab = tab if tab in selectors.SELLER_TABS else ""
    orders = selectors.seller_order_list(seller=membership.seller, status=tab)
    page = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/seller/list.html",
        {
            "membership": membership,
            "seller": membership.seller,
            "section": "orders",
            "tabs": [(code, label) for code, (label, _) in selectors.SELLER_TABS.items()],
            "tab": tab,
            "page": page,
            "rows": [_row(order) for order in page.object_list],
        },
    )


def _row(order: Order) -> dict[str, Any]:
    view = seller_order_view(order)
    return {"order": view, "status_label": Order.Status(view["status"]).label}


def _forms(order: Order, data: Any, action: str) -> dict[str, forms.Form]:
    def bound(name: str) -> Any:
        return data if action == name else None

    refund = RefundForm(
        bound("refund"), currency=order.currency, initial={"key": secrets.token_urlsafe(16)}
    )
    return {
        "ship_form": ShipForm(bound("ship"), prefix="ship", lines=list(order.lines.all())),
        "cancel_form": CancelForm(bound("cancel"), prefix="cancel"),
        "refund_form": refund,
    }


def _act(request: AuthedRequest, order: Order, action: str, form: forms.Form | None) -> str | None:
    """Run one action; return the message of success, or None (errors are on the form)."""
    user = request.user
    try:
        if action == "accept":
            fulfilment.order_accept(order=order, actor=user)
            return f"Order {order.number} is accepted: ship it in time."
        assert form is not None
        if not form.is_valid():
            return None
        data = form.cleaned_data
        if action == "ship":
            own = data["how"] == "own"
            assert isinstance(form, ShipForm)
            shipped = fulfilment.order_ship(
                order=order,
                actor=user,
                units=form.units(),
                carrier_tracking=data["tracking_number"] if own else "",
                carrier_name=data["carrier_name"] if own else "",
            )
            return f"Order {order.number} is shipped, tracking number {shipped.tracking_number}."
        if action == "cancel":
            fulfilment.order_cancel(order=order, actor=user, reason=data["reason"])
            return f"Order {order.number} is cancelled and the buyer refunded."
        refund = fulfilment.order_refund(
            order=order,
            actor=user,
            amount_minor=data["amount"],
            reason=data["reason"],
            idempotency_key=data["key"],
        )
        return f"A refund of {format_money(refund.amount_minor, order.currency)} is on its way."
    except (ValidationError, PermissionError) as error:
        if form is None:
            text = error.messages if isinstance(error, ValidationError) else [str(error)]
            messages.error(request, " ".join(text))
        else:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                renamed = {"amount": "amount_minor", "tracking_number": "carrier_tracking"}
                for field, service_field in renamed.items():
                    if service_field in error.error_dict:
                        error.error_dict[field] = error.error_dict.pop(service_field)
            form_errors_from(form, error)
        return None


@order_member
def order_detail(request: AuthedRequest, membership: SellerMembership, number: str) -> HttpResponse:
    order = selectors.seller_order_get(seller=membership.seller, number=number)
    if order is None:
        raise Http404("No such order.")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        messages.error(request, "Choose what to do with the order.")
        return redirect("seller_orders:detail", number=order.number)
    found = _forms(order, request.POST, action)
    if action:
        form = found.get(f"{action}_form")
        done = _act(request, order, action, form)
        if done is not None:
            messages.success(request, done)
            return redirect("seller_orders:detail", number=order.number)
        if form is None:
            return redirect("seller_orders:detail", number=order.number)
        order.refresh_from_db()
    failed = any(f.errors for f in found.values())
    return render(
        request,
        "orders/seller/detail.html",
        {
            "membership": membership,
            "seller": membership.seller,
            "section": "orders",
            **_row(order),
            "refundable_minor": selectors.order_refundable_minor(order=order),
            "dispatch_deadline": selectors.order_dispatch_deadline(order=order),
            "ship_by": selectors.order_ship_by(order=order),
            "refunds": [
                {
                    "amount_minor": r.amount_minor,
                    "status": r.get_status_display(),
                    "at": r.created_at,
                }
                for r in selectors.order_refunds(order=order)
            ],
            **found,
        },
        status=400 if failed else 200,
    )
