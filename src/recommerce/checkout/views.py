"""Cart and checkout pages: thin, each a call to a service and a page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import Address
from recommerce.accounts.views.common import AuthedRequest
from recommerce.checkout import selectors
from recommerce.checkout.forms import AddForm, CheckoutForm, QuantityForm
from recommerce.checkout.models import Checkout
from recommerce.checkout.services import cart as cart_services
from recommerce.checkout.services import checkout as checkout_services
from recommerce.checkout.services import completion
from recommerce.checkout.services.checkout import SellerPart
from recommerce.checkout.web import remember_count, request_cart, same_origin
from recommerce.orders import selectors as order_selectors
from recommerce.payments.models import Payment
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def cart_page(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    summary = selectors.cart_summary(cart=cart)
    remember_count(request, summary.count)
    return render(request, "checkout/cart.html", {"summary": summary})


@csrf_exempt  # the product page is cached for everyone: see web.same_origin
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    if not same_origin(request):
        return HttpResponseForbidden("Add items from the product page.")
    form = AddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an offer and a quantity.")
        return redirect("checkout:cart")
    cart = request_cart(request, create=True)
    assert cart is not None
    offer_id, quantity = form.cleaned_data["offer"], form.cleaned_data["quantity"] or 1
    try:
        if form.cleaned_data["once"]:
            added = cart_services.cart_line_add_once(
                cart=cart, offer_id=offer_id, quantity=quantity, token=form.cleaned_data["once"]
            )
        else:
            cart_services.cart_line_add(cart=cart, offer_id=offer_id, quantity=quantity)
            added = True
    except ValidationError as error:
        _refused(request, error)
    else:
        if added:
            messages.success(request, "Added to your cart.")
        else:
            messages.info(request, "This was already added: your cart is shown as it is.")
    remember_count(request, selectors.cart_count(cart_id=cart.pk))
    return redirect("checkout:cart")


@require_POST
def cart_line(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = request_cart(request)
    if selectors.cart_line_get(cart=cart, line_id=line_id) is None:
        raise Http404
    assert cart is not None
    form = QuantityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a quantity between 0 and 50.")
        return redirect("checkout:cart")
    try:
        cart_services.cart_line_set_quantity(
            cart=cart, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except ValidationError as error:
        _refused(request, error)
    remember_count(request, selectors.cart_count(cart_id=cart.pk))
    return redirect("checkout:cart")


@require_POST
def cart_accept_changes(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    if cart is not None:
        cart_services.cart_changes_accept(cart=cart)
        remember_count(request, selectors.cart_count(cart_id=cart.pk))
        messages.success(request, "Your cart now shows the current prices and stock.")
    return redirect("checkout:cart")


@login_required
@require_POST
def checkout_begin(request: AuthedRequest) -> HttpResponse:
    cart = request_cart(request)
    if cart is None:
        return redirect("checkout:cart")
    try:
        checkout = checkout_services.checkout_start(user=request.user, cart=cart)
    except ValidationError as error:
        _refused(request, error)
        return redirect("checkout:cart")
    return redirect("checkout:checkout", reference=checkout.reference)


def _own_checkout(request: AuthedRequest, reference: str) -> Checkout:
    checkout = selectors.checkout_get_for(user=request.user, reference=reference)
    if checkout is None:
        raise Http404
    return checkout


def _initial(
    checkout: Checkout, addresses: list[Address], parts: list[SellerPart]
) -> dict[str, Any]:
    def match(snapshot: dict[str, Any], kind: str) -> int | None:
        """Return the address book entry the checkout's copy was taken from."""
        same = [
            a for a in addresses
            if (a.full_name, a.line1, a.postal_code, a.city)
            == (snapshot.get("name"), snapshot.get("line1"), snapshot.get("postal_code"),
                snapshot.get("city"))
        ]  # fmt: skip
        same.sort(key=lambda a: a.kind != kind)  # the entry of the same kind first
        return int(same[0].pk) if same else None

    initial: dict[str, Any] = {
        "delivery_address": match(checkout.delivery, Address.Kind.DELIVERY),
        "billing_address": match(checkout.billing, Address.Kind.BILLING),
        "plan": checkout.plan,
    }
    for part in parts:
        initial[f"shipping_{part.seller_id}"] = part.parcel.method
        for line in part.lines:
            initial[f"insure_{line.pk}"] = line.insured_units
    return initial


@login_required
def checkout_page(request: AuthedRequest, reference: str) -> HttpResponse:
    checkout = _own_checkout(request, reference)
    if checkout.status == Checkout.Status.COMPLETED:
        return redirect("checkout:done", reference=reference)
    if checkout.status == Checkout.Status.PAYING and request.method == "GET":
        payment = checkout.payment
        if payment is not None and payment.status not in (
            Payment.Status.FAILED,
            Payment.Status.CANCELLED,
        ):
            return redirect("checkout:return", reference=reference)
    addresses = list(account_selectors.address_list_for(user=request.user))
    parts = checkout_services.checkout_parts(checkout=checkout)
    form = CheckoutForm(
        request.POST or None,
        addresses=addresses,
        parts=parts,
        initial=_initial(checkout, addresses, parts),
    )
    if request.method == "POST" and checkout.status in (
        Checkout.Status.OPEN,
        Checkout.Status.PAYING,
    ):
        if form.is_valid():
            try:
                # A payment click sends every choice again: only a change is written.
                if checkout.status == Checkout.Status.OPEN and form.has_changed():
                    checkout = checkout_services.checkout_update(
                        checkout=checkout,
                        delivery_address_id=form.cleaned_data["delivery_address"],
                        billing_address_id=form.cleaned_data["billing_address"],
                        shipping=form.shipping(),
                        insurance=form.insurance(),
                        plan=form.cleaned_data["plan"],
                    )
                if request.POST.get("action") == "pay":
                    return _pay(request, checkout)
                if getattr(request, "htmx", False):
                    # A choice changed in place: answer with the page, whose totals htmx
                    # swaps in; without JavaScript the "Update totals" button posts here.
                    parts = checkout_services.checkout_parts(checkout=checkout)
                    form = CheckoutForm(
                        addresses=addresses,
                        parts=parts,
                        initial=_initial(checkout, addresses, parts),
                    )
                    return _render_checkout(request, checkout, parts, form, addresses)
                messages.success(request, "Your choices are saved.")
                return redirect("checkout:checkout", reference=reference)
            except ValidationError as error:
                _refused(request, error)
        else:
            messages.error(request, "Check the highlighted choices.")
    return _render_checkout(request, checkout, parts, form, addresses)


def _render_checkout(
    request: AuthedRequest,
    checkout: Checkout,
    parts: list[SellerPart],
    form: CheckoutForm,
    addresses: list[Address],
) -> HttpResponse:
    expired = checkout.expires_at <= clock.now() or checkout.status not in (
        Checkout.Status.OPEN,
        Checkout.Status.PAYING,
    )
    prices = {} if expired else selectors.insurance_prices(checkout=checkout)
    return render(
        request,
        "checkout/checkout.html",
        {
            "checkout": checkout,
            "parts": [
                {
                    "seller_id": part.seller_id,
                    "seller_name": part.seller_name,
                    "parcel": part.parcel,
                    "amounts": part.amounts,
                    "shipping": form[f"shipping_{part.seller_id}"],
                    "lines": [
                        (line, form[f"insure_{line.pk}"], prices.get(line.pk))
                        for line in part.lines
                    ],
                }
                for part in parts
            ],
            "form": form,
            "has_addresses": bool(addresses),
            "expired": expired,
        },
    )


def _pay(request: AuthedRequest, checkout: Checkout) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        payment = checkout_services.checkout_pay(
            checkout=checkout,
            return_url=base + reverse("checkout:return", args=[checkout.reference]),
            cancel_url=base + reverse("checkout:cancelled", args=[checkout.reference]),
        )
    except ProviderError as error:
        messages.error(request, f"The payment could not start: {error}")
        return redirect("checkout:checkout", reference=checkout.reference)
    return redirect(payment.redirect_url)


@login_required
def checkout_return(request: AuthedRequest, reference: str) -> HttpResponse:
    """Where the provider sends the buyer back: confirm with the provider, never the URL."""
    checkout = _own_checkout(request, reference)
    if checkout.status == Checkout.Status.COMPLETED:
        return redirect("checkout:done", reference=reference)
    checkout, payment = completion.checkout_confirm(checkout=checkout)
    if payment is None:
        return redirect("checkout:checkout", reference=reference)
    if checkout.status == Checkout.Status.COMPLETED:
        return redirect("checkout:done", reference=reference)
    if payment.status in (Payment.Status.FAILED, Payment.Status.CANCELLED):
        reason = f" ({payment.failure_message})" if payment.failure_message else ""
        messages.error(
            request,
            f"The payment did not go through{reason}. No money was taken; you can try again.",
        )
        return redirect("checkout:checkout", reference=reference)
    return render(
        request, "checkout/confirming.html", {"checkout": checkout, "payment": payment}, status=200
    )


@login_required
def checkout_cancelled(request: AuthedRequest, reference: str) -> HttpResponse:
    checkout = _own_checkout(request, reference)
    messages.info(request, "Payment cancelled. Your items stay reserved for a while.")
    return redirect("checkout:checkout", reference=checkout.reference)


@login_required
def checkout_done(request: AuthedRequest, reference: str) -> HttpResponse:
    checkout = _own_checkout(request, reference)
    if checkout.status != Checkout.Status.COMPLETED:
        return redirect("checkout:checkout", reference=reference)
    orders = order_selectors.buyer_order_list(user=request.user).filter(
        checkout_reference=reference
    )
    remember_count(
        request, selectors.cart_count(cart_id=getattr(request_cart(request), "pk", None))
    )
    return render(request, "checkout/done.html", {"checkout": checkout, "orders": orders})
