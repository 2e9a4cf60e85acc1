"""Staff review of held orders: the queue, one order, release or reject.

Staff without ``orders.change_order`` get a 403; people who are not staff a 404, as on
the other staff tools. The queue and the order page show buyers' data, so each view is
written to the staff access log (SEC-1).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from recommerce.accounts.views.common import AuthedRequest
from recommerce.orders import selectors
from recommerce.orders.services import fulfilment
from recommerce.platform.forms import SafeTextMixin
from recommerce.privacy.services import staff_access_record


class RejectForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(max_length=200, label="Why is the order rejected?")


def order_staff(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let in staff who review orders; hide the page from everyone else."""

    @login_required
    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("No such page.")
        if not selectors.is_order_staff(request.user):
            raise PermissionDenied("Your role does not include reviewing orders.")
        return view(request, *args, **kwargs)

    return wrapped


@order_staff
def held_list(request: AuthedRequest) -> HttpResponse:
    orders = list(selectors.held_order_list()[:100])
    for order in orders:
        if order.buyer_id:
            staff_access_record(
                staff=request.user, subject=order.buyer, what="held orders", path=request.path
            )
    return render(request, "orders/staff/held_list.html", {"orders": orders})


@order_staff
def held_review(request: AuthedRequest, number: str) -> HttpResponse:
    order = selectors.held_order_get(number=number)
    if order is None:
        raise Http404("No such held order.")
    form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    refused = ""
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "release":
                fulfilment.order_release_hold(order=order, actor=request.user)
                messages.success(request, f"Order {order.number} is released to the seller.")
                return redirect("staff_orders:held")
            if form.is_valid():
                fulfilment.order_reject_hold(
                    order=order, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"Order {order.number} is rejected and refunded.")
                return redirect("staff_orders:held")
            if not form.is_bound:
                refused = "Release or reject the order."
        except ValidationError as error:
            refused = " ".join(error.messages)
    if order.buyer_id:
        staff_access_record(
            staff=request.user, subject=order.buyer, what="held order", path=request.path
        )
    return render(
        request,
        "orders/staff/held_review.html",
        {
            "order": order,
            "lines": list(order.lines.all()),
            "review_by": selectors.order_review_by(order=order),
            "form": form,
            "refused": refused,
        },
        status=400 if refused or (form.is_bound and form.errors) else 200,
    )
