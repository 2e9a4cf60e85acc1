"""After-sales on the staff person page: ``{% load support_staff %}``.

The accounts app sits below support; its staff person page loads this tag, which reads the
person's claims, conversations, refunds of their claims and call notes for customer service.
The page itself checks the permission and logs the look at the person.
"""

from __future__ import annotations

from typing import Any

from django import template

from recommerce.support.models import CallNote, Claim, Conversation

register = template.Library()
SHOWN = 20


@register.inclusion_tag("support/staff/_person_panel.html", takes_context=True)
def person_after_sales(
    context: template.Context, person: Any, recording_allowed: bool
) -> dict[str, Any]:
    """Render the person's claims, conversations and call notes, and the call-note form."""
    user = context.get("user")
    allowed = bool(user and user.has_perm("support.view_claim"))
    return {
        "person": person,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "allowed": allowed,
        "recording_objected": not recording_allowed,
        "claims": list(
            Claim.objects.filter(buyer=person)
            .select_related("order", "refund")
            .order_by("-created_at")[:SHOWN]
        )
        if allowed
        else [],
        "conversations": list(
            Conversation.objects.filter(person=person)
            .select_related("order")
            .order_by("-last_message_at", "-id")[:SHOWN]
        )
        if allowed
        else [],
        "notes": list(CallNote.objects.filter(person=person).order_by("-created_at")[:SHOWN])
        if allowed
        else [],
    }
