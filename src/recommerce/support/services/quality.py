"""The after-sales part of a seller's quality score: how fast the seller answers buyers.

The offers' best-offer score reads the seller's ``quality_bp`` (accounts), which counts
claims that admitted a fault (``claims.claim_defect_record``) and, from here, the median
time the seller took to answer buyers' messages over the last 30 days.
"""

from __future__ import annotations

import datetime as dt

from recommerce.accounts.models import Seller
from recommerce.accounts.services.ratings import seller_answer_time_set
from recommerce.platform import clock
from recommerce.support.models import Conversation
from recommerce.support.selectors.conversations import seller_answer_median_minutes

ANSWER_WINDOW = dt.timedelta(days=30)


def sellers_answer_time_refresh(*, now: dt.datetime | None = None) -> int:
    """Store each seller's median answer time over the last 30 days; return how many changed.

    Sellers written to in the window are measured; a seller with an earlier figure and no
    question since goes back to none.
    """
    since = (now or clock.now()) - ANSWER_WINDOW
    written_to = set(
        Conversation.objects.filter(
            kind=Conversation.Kind.ORDER, last_message_at__gte=since, seller__isnull=False
        )
        .values_list("seller_id", flat=True)
        .distinct()
    )
    measured = set(
        Seller.objects.filter(answer_median_minutes__isnull=False).values_list("pk", flat=True)
    )
    changed = 0
    for seller in Seller.objects.filter(pk__in=written_to | measured).order_by("pk"):
        minutes = seller_answer_median_minutes(seller=seller, since=since)
        if minutes != seller.answer_median_minutes:
            seller_answer_time_set(seller_id=seller.pk, median_minutes=minutes)
            changed += 1
    return changed
