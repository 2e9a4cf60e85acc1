"""What every claim step shares: what a buyer may ask for, links and emails, amounts."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse

from recommerce.accounts import selectors as account_selectors
from recommerce.accounts.models import Seller
from recommerce.accounts.services.sellers import seller_quality_refresh
from recommerce.orders import selectors as order_selectors
from recommerce.platform.mail import send_templated
from recommerce.platform.money import format_money
from recommerce.support.models import Claim
from recommerce.support.services.common import SIDE_SYSTEM, claim_event_add

Kind, Status, Resolution, Outcome = Claim.Kind, Claim.Status, Claim.Resolution, Claim.Outcome

# What a buyer may ask for, per kind (the first is the form's default).
REQUESTABLE: dict[str, tuple[str, ...]] = {
    Kind.RETURN: (Resolution.RETURN_REFUND,),
    Kind.TRANSIT_DAMAGE: (Resolution.RETURN_REFUND, Resolution.REPLACEMENT, Resolution.REPAIR),
    Kind.NOT_RECEIVED: (Resolution.REFUND,),
    Kind.WARRANTY: (Resolution.REPAIR, Resolution.REPLACEMENT, Resolution.RETURN_REFUND),
    Kind.NOT_AS_DESCRIBED: (Resolution.RETURN_REFUND, Resolution.REPLACEMENT),
}
# Every outcome a buyer may ask for, in the order a form lists them.
REQUESTED_ANY: tuple[str, ...] = tuple(
    dict.fromkeys(r for allowed in REQUESTABLE.values() for r in allowed)
)
PHOTO_KINDS = frozenset({Kind.TRANSIT_DAMAGE, Kind.NOT_AS_DESCRIBED})
# Kinds that say the device was faulty, and outcomes that admit it (seller quality score).
DEFECT_KINDS = frozenset({Kind.WARRANTY, Kind.NOT_AS_DESCRIBED, Kind.TRANSIT_DAMAGE})
DEFECT_OUTCOMES = frozenset(
    {Outcome.REFUNDED, Outcome.PARTIALLY_REFUNDED, Outcome.REPAIRED, Outcome.REPLACED}
)
ANSWERABLE = (Status.OPEN,)
ESCALATABLE = (Status.OPEN, Status.PROPOSED)
NOT_RECEIVED_REPEAT = 2
# Images are recognised by their first bytes, never by the name or the browser's word.
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


# --- Helpers -------------------------------------------------------------------------------


def _link(name: str, reference: str, fallback: str) -> str:
    try:
        path = reverse(name, kwargs={"reference": reference})
    except NoReverseMatch:
        path = fallback.format(reference=reference)
    return f"{settings.SITE_URL}{path}"


def buyer_claim_url(claim: Claim) -> str:
    return _link("support:claim", claim.reference, "/account/support/claims/{reference}/")


def seller_claim_url(claim: Claim) -> str:
    return _link(
        "seller_support:claim", claim.reference, "/account/seller/support/claims/{reference}/"
    )


def _mail(to: Sequence[str], subject: str, template: str, context: dict[str, Any]) -> None:
    if to:
        transaction.on_commit(
            partial(
                send_templated,
                to=sorted(set(to)),
                subject=subject,
                template=f"support/emails/{template}",
                context=context,
            )
        )


def _context(claim: Claim, url: str) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "order_number": claim.order.number,
        "kind": claim.get_kind_display(),
        "status": claim.get_status_display(),
        "seller_name": claim.order.seller.name,
        "url": url,
    }


def _mail_buyer(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    order = claim.order
    email = claim.buyer.email if claim.buyer else order.buyer_email
    _mail([email], subject, template, {**_context(claim, buyer_claim_url(claim)), **extra})


def _mail_seller(claim: Claim, subject: str, template: str, **extra: Any) -> None:
    members = account_selectors.seller_members(seller=claim.order.seller).filter(
        role__in=order_selectors.SELLER_ORDER_ROLES
    )
    to = [m.user.email for m in members.select_related("user")]
    _mail(to, subject, template, {**_context(claim, seller_claim_url(claim)), **extra})


def claim_amount_minor(claim: Claim) -> int:
    """Return what the claim is worth: its line's total, or the order's for a whole parcel."""
    return claim.line.total_minor if claim.line is not None else claim.order.total_minor


def _resolution_start(claim: Claim, actor: Any, side: str) -> Claim:
    from recommerce.support.services.returns import claim_resolution_start

    started = claim_resolution_start(claim=claim, actor=actor, side=side)
    claim_defect_record(claim=started)
    return started


def _resolve(claim: Claim, resolution: str, amount_minor: int) -> None:
    claim.resolution = resolution
    # Only a partial refund names its amount; a full one is worked out when it starts
    # (``returns.claim_refund_amount``: the item, with shipping unless a change of mind).
    claim.resolution_amount_minor = amount_minor if resolution == Resolution.PARTIAL_REFUND else 0


def _checked_outcome(
    claim: Claim, resolution: str, amount_minor: int, note: str, *, allow_same: str = ""
) -> int:
    """Check a proposed or decided resolution; return its amount (partial refunds only)."""
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": f"“{resolution}” is not an outcome of a claim."})
    if resolution == Resolution.PARTIAL_REFUND:
        most = claim_amount_minor(claim)
        if isinstance(amount_minor, bool) or not 0 < amount_minor <= most:
            limit = format_money(most, claim.order.currency)
            raise ValidationError(
                {"amount_minor": f"A partial refund is above zero and at most {limit}."}
            )
        return amount_minor
    if resolution == Resolution.REJECT and not note.strip():
        raise ValidationError({"note": "Say why the claim is refused."})
    return 0


def claim_defect_record(*, claim: Claim) -> bool:
    """Count a closed claim that admits a fault in the seller's defective orders, once.

    Called whenever a claim may have closed (here, and by the returns services after an
    inspection); the ``defect_counted`` event makes a second call do nothing.
    """
    if claim.status != Status.CLOSED:
        return False
    if claim.kind not in DEFECT_KINDS or claim.outcome not in DEFECT_OUTCOMES:
        return False
    if claim.events.filter(action="defect_counted").exists():
        return False
    claim_event_add(claim, action="defect_counted", side=SIDE_SYSTEM)
    # accounts has a service for shipments only; the defect count is one F() update.
    seller_id = claim.order.seller_id
    Seller.objects.filter(pk=seller_id).update(orders_defective=F("orders_defective") + 1)
    seller_quality_refresh(seller=Seller.objects.get(pk=seller_id))
    return True
