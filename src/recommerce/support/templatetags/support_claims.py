"""Words for a claim's history: ``{% load support_claims %}``."""

from __future__ import annotations

from django import template

register = template.Library()

STEPS = {
    "opened": "Claim opened",
    "accepted": "Accepted by the seller",
    "proposed": "The seller proposed another outcome",
    "agreed": "The buyer agreed",
    "escalated": "Handed to customer service",
    "decided": "Customer service decided",
    "withdrawn": "Withdrawn by the buyer",
    "risk_flagged": "Marked for an identity check",
    "return_label_issued": "Prepaid return label issued",
    "return_received": "Device received by the seller",
    "device_locked": "Device linked to an account",
    "device_clear": "Device free of any account",
    "device_check_unavailable": "Device check service unavailable",
    "sandbox_released": "Device removed from the account (sandbox)",
    "inspection_accepted": "Device accepted after inspection",
    "inspection_rejected": "Device refused after inspection",
    "refund_started": "Refund started",
    "defect_counted": "Counted in the seller's quality figures",
    "support_chat_note": "Note from a chat with customer service",
    "closed_refunded": "Closed: refunded",
    "closed_partially_refunded": "Closed: partly refunded",
    "closed_repaired": "Closed: repaired",
    "closed_replaced": "Closed: replaced",
    "closed_rejected": "Closed: refused",
    "closed_withdrawn": "Closed: withdrawn",
    "identity.requested": "Identity check asked by customer service",
    "identity.documents_sent": "Identity documents sent",
    "identity.live_started": "Live identity check started",
    "identity.input_needed": "Live identity check needs another try",
    "identity.review": "Live identity check sent for review",
    "identity.passed": "Identity confirmed",
    "identity.failed": "Identity not confirmed",
}
SIDES = {"buyer": "buyer", "seller": "seller", "staff": "customer service", "system": "Recommerce"}


@register.filter
def claim_step(action: str) -> str:
    """Return the sentence a person reads for a history step's code."""
    return STEPS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())


@register.filter
def claim_side(side: str) -> str:
    """Return who acted, in words."""
    return SIDES.get(side, side)
