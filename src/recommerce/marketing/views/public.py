"""Pages anyone reaches from an email or the site: sign-up, confirmation, unsubscribe; and
the endpoint the mail server posts received messages to.

Links from emails answer GET with a page and a button, and act only on POST: mail
scanners that open every link must not subscribe or unsubscribe anyone.
"""

from __future__ import annotations

import hmac

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recommerce.marketing import conf, selectors, services
from recommerce.marketing.forms import NewsletterForm
from recommerce.marketing.models import TOPICS, Topic, UnsubscribeEvent
from recommerce.marketing.services.subscriptions import CONFIRM_DAYS
from recommerce.platform.mail import ONE_CLICK

Method = UnsubscribeEvent.Method


def _invalid(request: HttpRequest, message: str, *, unsubscribe: bool = False) -> HttpResponse:
    return render(
        request,
        "marketing/link_invalid.html",
        {
            "message": message,
            "unsubscribe": unsubscribe,
            "mailbox": conf.unsubscribe_mailbox(),
        },
        status=400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def newsletter(request: HttpRequest) -> HttpResponse:
    """Take a newsletter sign-up; the address then confirms by an emailed link."""
    user = request.user if request.user.is_authenticated else None
    initial = {"email": user.email, "country": str(user.country or "")} if user else {}
    form = NewsletterForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bot():
        return redirect("marketing:newsletter-sent")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.newsletter_subscribe(
                email=data["email"],
                country=data["country"],
                topics=data["topics"],
                user=user,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("marketing:newsletter-sent")
    return render(
        request, "marketing/newsletter.html", {"form": form}, status=400 if form.errors else 200
    )


@require_safe
def newsletter_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "marketing/newsletter_sent.html", {"days": CONFIRM_DAYS})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show the confirmation button (GET); confirm the subscription (POST)."""
    if request.method == "POST":
        try:
            sub = services.newsletter_confirm(token=token)
        except services.LinkInvalid as error:
            return _invalid(request, str(error))
        labels = [Topic(topic).label for topic in sub.topics if topic in TOPICS]
        return render(request, "marketing/confirmed.html", {"subscription": sub, "topics": labels})
    if selectors.subscription_pending(token=token) is None:
        return _invalid(
            request,
            "This confirmation link is not valid: it was already used, or a newer one was sent.",
        )
    return render(request, "marketing/confirm.html")


@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a CSRF token.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Show the unsubscribe button (GET); unsubscribe, signed in or not (POST).

    A mail client's one-click request posts ``List-Unsubscribe=One-Click``; the button
    posts nothing. Both stop every marketing email, and repeating them changes nothing.
    """
    try:
        services.unsubscribe_link_check(token=token)
    except services.LinkInvalid as error:
        return _invalid(request, str(error), unsubscribe=True)
    if request.method != "POST":
        return render(request, "marketing/unsubscribe.html")
    one_click = f"List-Unsubscribe={request.POST.get('List-Unsubscribe', '')}" == ONE_CLICK
    services.marketing_unsubscribe_by_link(
        token=token, method=Method.ONE_CLICK if one_click else Method.LINK
    )
    return render(request, "marketing/unsubscribed.html")


@csrf_exempt  # Posted by the mail server, which proves itself with the shared secret.
@require_POST
def inbound_email(request: HttpRequest) -> JsonResponse:
    """Receive one raw message (RFC 5322) from the mail server; act on "unsubscribe"."""
    secret = conf.inbound_secret()
    if not secret:
        return JsonResponse({"detail": "Inbound email is not configured."}, status=503)
    given = request.headers.get("X-Inbound-Secret", "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"detail": "The X-Inbound-Secret header is wrong."}, status=403)
    try:
        outcome = services.inbound_email_receive(raw=request.body)
    except services.MalformedMessage as error:
        return JsonResponse({"detail": str(error)}, status=400)
    status = 200 if outcome.result == "unsubscribed" else 202
    return JsonResponse({"result": outcome.result, "detail": outcome.detail}, status=status)
