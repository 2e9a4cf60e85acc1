"""After-sales pages: the return of a claim (label, parcel, activation lock, inspection, refund).

Each side has the claim's return page (the panel ``support/returns/_panel.html``, which the
claim pages include too), the label PDF, and POST-only actions that redirect back to where
the form was, with a message. Who may do what is the services' rule; a person with no part
in the claim gets a 404 (a claim's existence is not disclosed), a refused step a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from recommerce.orders.providers.carrier import get_carrier
from recommerce.platform.providers import ProviderError
from recommerce.platform.staff import staff_only
from recommerce.support.models import Claim
from recommerce.support.selectors import returns as selectors
from recommerce.support.services import returns as services
from recommerce.support.services.common import STAFF_PERMISSION, claim_sides

NAMESPACES = {"buyer": "support", "seller": "seller_support", "staff": "staff_support"}
LAYOUTS = {
    "buyer": "accounts/_layout.html",
    "seller": "accounts/_layout.html",
    "staff": "platform/staff/_layout.html",
}


def _claim(request: HttpRequest, reference: str, side: str) -> Claim:
    """Return the claim if the signed-in person acts on it as ``side``; 404 otherwise."""
    claim = selectors.claim_for_returns(reference)
    if claim is None or side not in claim_sides(claim=claim, actor=request.user):
        raise Http404("No such claim.")
    return claim


def _back(request: HttpRequest, claim: Claim, side: str) -> HttpResponse:
    """Redirect to the page the form was on, else the claim's page, else its return page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    namespace = NAMESPACES[side]
    try:
        return redirect(reverse(f"{namespace}:claim", kwargs={"reference": claim.reference}))
    except NoReverseMatch:
        return redirect(f"{namespace}:return", reference=claim.reference)


def _run(
    request: HttpRequest, claim: Claim, side: str, action: Callable[[], object], done: str
) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(request, claim, side)


def _outcome_message(claim: Claim) -> str:
    fresh = selectors.claim_for_returns(claim.reference)
    assert fresh is not None
    if fresh.status == Claim.Status.LOCKED:
        return "The device is still linked to an account: the buyer has been sent the steps."
    if fresh.status == Claim.Status.CLOSED and fresh.refund_id:
        return "Accepted: the refund is on its way to the buyer."
    last = selectors.claim_last_device_check(fresh)
    if last is not None and last.result == last.Result.UNAVAILABLE:
        return "The checking service did not answer; it is asked again within 15 minutes."
    return "Done."


# --- Pages ------------------------------------------------------------------------------------


def _page(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    return render(
        request,
        "support/returns/page.html",
        {
            "claim": claim,
            "return_panel": selectors.claim_return_panel(claim),
            "return_side": side,
            "layout": LAYOUTS[side],
        },
    )


def _label(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    if not claim.return_tracking_number:
        raise Http404("This claim has no return label.")
    try:
        pdf = get_carrier().label_pdf(tracking_number=claim.return_tracking_number)
    except ProviderError:
        messages.error(
            request, "The carrier cannot give the label right now. Try again in a few minutes."
        )
        return _back(request, claim, side)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"return-label-{claim.reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _recheck(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    return _checked(request, _claim(request, reference, side), side, recheck=True)


def _check(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    return _checked(request, _claim(request, reference, side), side, recheck=False)


def _checked(request: HttpRequest, claim: Claim, side: str, *, recheck: bool) -> HttpResponse:
    try:
        if recheck:
            services.claim_device_recheck(claim=claim, actor=request.user)
        else:
            identifier = request.POST.get("identifier", "")
            services.claim_device_check(claim=claim, actor=request.user, identifier=identifier)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionError as error:
        messages.error(request, str(error))
    else:
        text = _outcome_message(claim)
        if text == "Done.":
            text = "The device is not linked to any account: it can be accepted."
        messages.success(request, text)
    return _back(request, claim, side)


def _received(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    try:
        services.claim_return_received(claim=claim, actor=request.user)
    except (ValidationError, PermissionError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return _back(request, claim, side)
    text = _outcome_message(claim)
    if text == "Done.":
        text = "The device is recorded as received."
    messages.success(request, text)
    return _back(request, claim, side)


def _sandbox_release(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    return _run(
        request,
        claim,
        side,
        lambda: services.claim_device_sandbox_release(claim=claim, actor=request.user),
        "Removed from your account (sandbox). Now ask for a new check.",
    )


def _inspection(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    decision = request.POST.get("decision", "")
    note = request.POST.get("note", "")
    if decision == "accept":
        try:
            services.claim_inspection_accept(claim=claim, actor=request.user, note=note[:300])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _outcome_message(claim))
        return _back(request, claim, side)
    if decision == "reject":
        return _run(
            request,
            claim,
            side,
            lambda: services.claim_inspection_reject(
                claim=claim, actor=request.user, note=note[:300]
            ),
            "The device is refused: customer service now decides.",
        )
    messages.error(request, "Choose whether you accept or refuse the device.")
    return _back(request, claim, side)


def _repaired(request: HttpRequest, reference: str, side: str) -> HttpResponse:
    claim = _claim(request, reference, side)
    tracking = request.POST.get("tracking_number", "")
    return _run(
        request,
        claim,
        side,
        lambda: services.claim_repair_done(
            claim=claim, actor=request.user, tracking_number=tracking
        ),
        "The claim is closed: the buyer is told the device is on its way.",
    )


def _views(side: str, guard: Callable[[Any], Any]) -> list[URLPattern]:
    def bind(view: Callable[..., HttpResponse], method: Callable[[Any], Any]) -> Any:
        def bound(request: HttpRequest, reference: str) -> HttpResponse:
            return view(request, reference, side)

        bound.__name__ = f"{side}_{view.__name__.lstrip('_')}"
        return guard(method(bound))

    patterns = [
        path("claims/<str:reference>/return/", bind(_page, require_GET), name="return"),
        path("claims/<str:reference>/label.pdf", bind(_label, require_GET), name="return-label"),
        path(
            "claims/<str:reference>/return/recheck",
            bind(_recheck, require_POST),
            name="return-recheck",
        ),
    ]
    if side == "buyer":
        return [
            *patterns,
            path(
                "claims/<str:reference>/return/sandbox-release",
                bind(_sandbox_release, require_POST),
                name="return-sandbox-release",
            ),
        ]
    return [
        *patterns,
        path(
            "claims/<str:reference>/return/received",
            bind(_received, require_POST),
            name="return-received",
        ),
        path(
            "claims/<str:reference>/return/check",
            bind(_check, require_POST),
            name="return-check",
        ),
        path(
            "claims/<str:reference>/return/inspection",
            bind(_inspection, require_POST),
            name="return-inspection",
        ),
        path(
            "claims/<str:reference>/return/repaired",
            bind(_repaired, require_POST),
            name="return-repaired",
        ),
    ]


buyer_patterns: list[URLPattern] = _views("buyer", login_required)
seller_patterns: list[URLPattern] = _views("seller", login_required)
staff_patterns: list[URLPattern] = _views("staff", staff_only(STAFF_PERMISSION))
