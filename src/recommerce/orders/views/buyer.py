"""The buyer's orders: the list, one order's page, cancelling, confirming receipt, invoices
and certificates.

Every order is read through the signed-in person's own orders, so another person's order
number answers 404 and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from recommerce.accounts.views.common import AuthedRequest
from recommerce.orders import selectors
from recommerce.orders.models import Order
from recommerce.orders.pdf import invoice_render_pdf
from recommerce.orders.providers.insurer import get_insurer
from recommerce.orders.services import delivery, fulfilment
from recommerce.orders.views import pdf_response
from recommerce.platform.providers import ProviderError

PER_PAGE = 20


def _own(request: AuthedRequest, number: str) -> Order:
    order = selectors.buyer_order_get(user=request.user, number=number)
    if order is None:
        raise Http404("No such order.")
    return order


@login_required
def order_list(request: AuthedRequest) -> HttpResponse:
    orders = selectors.buyer_order_list(user=request.user)
    page = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "orders/buyer/list.html", {"page": page, "section": "buyer_orders"})


@login_required
def order_detail(request: AuthedRequest, number: str) -> HttpResponse:
    order = _own(request, number)
    lines = list(order.lines.all())
    return render(
        request,
        "orders/buyer/detail.html",
        {
            "order": order,
            "lines": lines,
            "policies": [p for line in lines for p in line.policies.all()],
            "timeline": selectors.order_timeline(order=order),
            "units": selectors.order_unit_identifiers(order=order),
            "invoices": list(order.invoices.all()),
            "refunds": list(selectors.order_refunds(order=order)),
            "can_cancel": order.status in fulfilment.CANCELLABLE["buyer"],
            "can_confirm_received": order.status == Order.Status.SHIPPED,
            "delivery_due_on": selectors.order_delivery_due(order=order),
            "section": "buyer_orders",
        },
    )


@login_required
@require_POST
def order_cancel(request: AuthedRequest, number: str) -> HttpResponse:
    order = _own(request, number)
    try:
        fulfilment.order_cancel(
            order=order, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
    except (ValidationError, PermissionError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, f"Order {order.number} is cancelled. Your refund is on its way.")
    return redirect("orders:detail", number=order.number)


@login_required
@require_POST
def order_received(request: AuthedRequest, number: str) -> HttpResponse:
    """Confirm that the parcel arrived: the order is delivered (and the return period runs)."""
    order = _own(request, number)
    try:
        delivery.order_confirm_received(order=order, actor=request.user)
    except (ValidationError, PermissionError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, f"Thank you: order {order.number} is marked as delivered.")
    return redirect("orders:detail", number=order.number)


@login_required
def invoice_download(request: AuthedRequest, number: str, invoice_id: int) -> HttpResponse:
    order = _own(request, number)
    invoice = order.invoices.filter(pk=invoice_id).first()
    if invoice is None:
        raise Http404("No such invoice.")
    return pdf_response(invoice_render_pdf(invoice=invoice), f"{invoice.number}.pdf")


@login_required
def insurance_certificate(request: AuthedRequest, number: str, policy_number: str) -> HttpResponse:
    order = _own(request, number)
    policy = selectors.order_policy_get(order=order, policy_number=policy_number)
    if policy is None:
        raise Http404("No such insurance policy.")
    try:
        content = get_insurer().certificate(policy_number=policy.policy_number)
    except ProviderError as error:
        messages.error(request, f"The insurer could not send the certificate now: {error}")
        return redirect("orders:detail", number=order.number)
    return pdf_response(content, f"insurance-{policy.policy_number}.pdf")
