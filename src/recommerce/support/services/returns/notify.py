"""The buyer's emails about a return, and the links they carry."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from recommerce.platform.mail import send_templated
from recommerce.support.models import Claim


def _link(name: str, reference: str, fallback: str) -> str:
    try:
        path = reverse(name, kwargs={"reference": reference})
    except NoReverseMatch:
        # The pages' address is fixed; mail still goes out where the URLs are not mounted.
        path = fallback.format(reference=reference)
    return f"{settings.SITE_URL}{path}"


def claim_buyer_url(claim: Claim) -> str:
    return _link("support:claim", claim.reference, "/account/support/claims/{reference}/")


def claim_label_url(claim: Claim) -> str:
    return _link(
        "support:return-label", claim.reference, "/account/support/claims/{reference}/label.pdf"
    )


def mail_buyer(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    order = claim.order
    to = claim.buyer.email if claim.buyer else order.buyer_email
    context = {"claim": claim, "order": order, "url": claim_buyer_url(claim), **extra}
    language = claim.buyer.language if claim.buyer else None
    transaction.on_commit(
        partial(
            send_templated,
            to=[to],
            subject=f"{subject} ({claim.reference})",
            template=f"support/emails/{template}",
            context=context,
            language=language,
        )
    )
