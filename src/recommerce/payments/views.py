"""The provider notification endpoint, and the sandbox provider's hosted payment pages.

The sandbox pages stand for the provider's own site: they have their own plain look,
say clearly that only test cards work, and never store a card number.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommerce.payments import services
from recommerce.payments.forms import SandboxCardForm, SandboxChallengeForm
from recommerce.payments.models import SandboxSession
from recommerce.payments.providers.base import InvalidWebhook
from recommerce.payments.providers.sandbox import PageResult, SandboxPaymentProvider
from recommerce.payments.providers.sandbox.cards import TEST_CARDS
from recommerce.platform.money import format_money


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> JsonResponse:
    """Take a provider's notification: 200 once accepted (repeats too), 400 if not genuine."""
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"error": "The notification is too large."}, status=413)
    try:
        stored = services.webhook_receive(
            provider_name=provider, body=body, headers=request.headers
        )
    except InvalidWebhook as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"received": True, "duplicate": stored is None})


def _sandbox_session(public_id: str) -> tuple[SandboxPaymentProvider, SandboxSession]:
    provider = services.payment_provider()
    if not isinstance(provider, SandboxPaymentProvider):
        raise Http404("The sandbox payment provider is not in use.")
    session = provider.page_session(public_id=public_id)
    if session is None:
        raise Http404("No such payment page.")
    return provider, session


def _page(
    request: HttpRequest,
    template: str,
    session: SandboxSession,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    context = {
        "session": session,
        "amount": format_money(session.amount_minor, session.currency),
        "test_cards": TEST_CARDS,
        **context,
    }
    return render(request, f"payments/sandbox/{template}.html", context, status=status)


def _outcome(request: HttpRequest, public_id: str, result: PageResult) -> HttpResponse:
    """Answer a step of the hosted page: go on to the merchant, the challenge, or say no."""
    if result.redirect_url:
        return HttpResponseRedirect(result.redirect_url)
    if result.state == "challenge":
        return redirect("payments:sandbox_challenge", public_id=public_id)
    _, session = _sandbox_session(public_id)
    if result.state == "expired":
        return _page(request, "closed", session, status=410)
    if result.state == "open":
        return redirect("payments:sandbox_pay", public_id=public_id)
    return _page(
        request,
        "pay",
        session,
        form=SandboxCardForm(),
        declined=result.message,
        decline_code=result.code,
        status=402,
    )


@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the card form, and take a payment with a test card."""
    provider, session = _sandbox_session(public_id)
    if session.status in (SandboxSession.Status.PROCESSING, SandboxSession.Status.SUCCEEDED):
        return _page(request, "closed", session, return_url=provider.return_url(session))
    if session.status == SandboxSession.Status.EXPIRED:
        return _page(request, "closed", session, status=410)
    if request.method == "GET" and session.status == SandboxSession.Status.CHALLENGE:
        return redirect("payments:sandbox_challenge", public_id=public_id)
    form = SandboxCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = provider.card_pay(public_id=public_id, number=form.cleaned_data["number"])
        return _outcome(request, public_id, result)
    return _page(request, "pay", session, form=form, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def sandbox_challenge(request: HttpRequest, public_id: str) -> HttpResponse:
    """Ask for the 3-D Secure code (shown on the page: this is a sandbox)."""
    provider, session = _sandbox_session(public_id)
    if session.status != SandboxSession.Status.CHALLENGE:
        return redirect("payments:sandbox_pay", public_id=public_id)
    form = SandboxChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = provider.challenge_answer(public_id=public_id, code=form.cleaned_data["code"])
        return _outcome(request, public_id, result)
    return _page(request, "challenge", session, form=form, status=400 if form.errors else 200)


@require_GET
def sandbox_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    """Leave the payment page for the merchant's cancel page (the session stays open)."""
    _, session = _sandbox_session(public_id)
    return HttpResponseRedirect(session.cancel_url)
