"""After-sales on the order pages: ``{% load support_orders %}``.

The orders app sits below support and cannot import it; its order pages load these tags
(templates are not imports), which read support's selectors for the order shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from recommerce.orders.models import Order
from recommerce.support.models import Claim, Conversation, Review, Survey
from recommerce.support.selectors import claims as claim_selectors
from recommerce.support.selectors import conversations as conversation_selectors

register = template.Library()

AFTER_DELIVERY = (Order.Status.SHIPPED, Order.Status.DELIVERED)


@register.inclusion_tag("support/orders/_buyer_panel.html")
def order_after_sales(order: Order) -> dict[str, Any]:
    """Render the buyer's after-sales panel of ``order``: claims, messages, reviews."""
    claims = list(Claim.objects.filter(order=order).order_by("-created_at"))
    lines = list(order.lines.all())
    reviewed = dict(Review.objects.filter(line__in=lines).values_list("line_id", "rating"))
    can_claim = order.status in AFTER_DELIVERY and any(
        option.open for option in claim_selectors.claim_kinds_for_order(order=order)
    )
    survey = Survey.objects.filter(order=order, answered_at__isnull=True).only("token").first()
    return {
        "order": order,
        "claims": claims,
        "can_claim": can_claim,
        "conversation": conversation_selectors.order_conversation_for(order=order),
        "delivered": order.status == Order.Status.DELIVERED,
        "lines": [(line, reviewed.get(line.pk)) for line in lines],
        "survey": survey,
        "shown": order.status not in (Order.Status.HELD, Order.Status.CANCELLED),
    }


@register.inclusion_tag("support/orders/_seller_panel.html")
def seller_order_after_sales(order: Mapping[str, Any]) -> dict[str, Any]:
    """Render the seller's after-sales panel of an order: its claims and the buyer thread.

    The seller's page holds the order as its SHARE-1 projection (a mapping, checked by the
    view for this seller); the panel needs only its number.
    """
    number = str(order["number"])
    return {
        "claims": list(Claim.objects.filter(order__number=number).order_by("-created_at")),
        "conversation": Conversation.objects.filter(
            kind=Conversation.Kind.ORDER, order__number=number
        ).first(),
    }
