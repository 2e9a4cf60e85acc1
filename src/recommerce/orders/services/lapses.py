"""Orders nobody moved: cancelled and refunded when their wait runs out.

An order held for review waits for staff, and a paid order waits for its seller. Neither
wait may last forever: the buyer's money is taken, and an erasure the buyer asked for
waits on open orders. So an order held past ``selectors.order_review_by`` and one not
shipped by ``selectors.order_ship_by`` are cancelled, with stock returned, a full refund
and both sides told, by ``orders_cancel_lapsed`` (run by a periodic task).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from recommerce.orders import selectors
from recommerce.orders.models import Order
from recommerce.orders.services.fulfilment import _cancel
from recommerce.payments.models import Refund
from recommerce.platform import clock

logger = logging.getLogger(__name__)
Status = Order.Status


def _lapse(order: Order, today: dt.date) -> tuple[str, str] | None:
    """Return (reason, refund code) if the locked order's wait is over, else ``None``."""
    held = order.status == Status.HELD
    if held and today > selectors.order_review_by(order=order):
        return "Not reviewed in time, so cancelled automatically", Refund.Reason.REVIEW_LAPSED
    waiting = order.status in (Status.PAID, Status.ACCEPTED)
    if waiting and today > selectors.order_ship_by(order=order):
        return "Not shipped in time, so cancelled automatically", Refund.Reason.NOT_SHIPPED
    return None


def orders_cancel_lapsed() -> int:
    """Cancel and refund every order whose review or shipping period is over.

    Each order is its own transaction, so one failure (a refund the provider refuses) does
    not stop the rest; the next run tries it again.
    """
    now = clock.now()
    today = timezone.localdate(now)
    done = 0
    for pk in selectors.orders_lapsed_candidates(now=now).values_list("pk", flat=True):
        try:
            with transaction.atomic():
                order = Order.objects.select_for_update().get(pk=pk)
                lapse = _lapse(order, today)
                if lapse is None:
                    continue  # shipped, released or still within its period
                reason, code = lapse
                _cancel(order, reason, code=code)
        except Exception:  # logged; the next run tries again
            logger.exception("Cancelling lapsed order %s failed.", pk)
            continue
        done += 1
    return done
