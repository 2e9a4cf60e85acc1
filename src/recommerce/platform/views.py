"""The platform's staff page: the outgoing email queue (ADR 0017)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from recommerce.platform.models import OutboundEmail
from recommerce.platform.outbox import email_retry
from recommerce.platform.selectors import (
    masked_addresses,
    masked_text,
    outbox_attention,
    outbox_counts,
)
from recommerce.platform.staff import staff_only

VIEW_OUTBOX = "platform.view_outbox"


@staff_only(VIEW_OUTBOX)
def outbox(request: HttpRequest) -> HttpResponse:
    """Show how many emails wait, fail or went out, and the ones that need a look."""
    page = Paginator(outbox_attention(), 50).get_page(request.GET.get("page"))
    rows = [(email, masked_addresses(email.to), masked_text(email.last_error)) for email in page]
    context = {"counts": outbox_counts(), "page": page, "rows": rows}
    return render(request, "platform/staff/outbox.html", context)


@staff_only(VIEW_OUTBOX)
@require_POST
def outbox_retry(request: HttpRequest, email_id: int) -> HttpResponse:
    """Give a failed email a new round of attempts, from now."""
    email = get_object_or_404(OutboundEmail, pk=email_id)
    if email.status != OutboundEmail.Status.FAILED:
        messages.info(request, "This email is not failed: nothing to retry.")
    else:
        email_retry(email=email)
        messages.success(request, "The email will be sent again within a minute.")
    return redirect("platform_staff:outbox")
