"""Background upkeep of orders: parcel tracking, presumed deliveries, lapsed orders,
insurance left open."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from recommerce.orders import selectors
from recommerce.orders.services.delivery import orders_presume_delivered
from recommerce.orders.services.fulfilment import order_tracking_refresh
from recommerce.orders.services.insurance import insurance_retry_due
from recommerce.orders.services.lapses import orders_cancel_lapsed
from recommerce.platform.locks import task_lock
from recommerce.platform.providers import ProviderError

logger = logging.getLogger(__name__)


def tracking_refresh_all() -> int:
    """Refresh every shipped parcel's tracking; return how many orders were delivered."""
    delivered = 0
    for order in selectors.orders_to_track().iterator():
        try:
            refreshed = order_tracking_refresh(order=order)
        except ProviderError as exc:
            # One parcel the carrier cannot report on must not stop the others.
            logger.warning("Tracking of %s failed: %s", order.number, exc)
            continue
        delivered += refreshed.status == refreshed.Status.DELIVERED
    return delivered


@db_periodic_task(crontab(minute="*/15"))
@task_lock("orders-tracking-refresh")
def tracking_refresh() -> int:
    """Pull the carriers' news of shipped parcels every 15 minutes."""
    return tracking_refresh_all()


@db_periodic_task(crontab(minute="23"))
@task_lock("orders-delivery-presume")
def delivery_presume() -> int:
    """Mark delivered, hourly, the parcels nobody reported on within the delivery period."""
    return orders_presume_delivered()


@db_periodic_task(crontab(minute="41"))
@task_lock("orders-cancel-lapsed")
def cancel_lapsed() -> int:
    """Cancel and refund, hourly, orders held or left unshipped past their period."""
    return orders_cancel_lapsed()


@db_periodic_task(crontab(minute="7,37"))
@task_lock("orders-insurance-retry")
def insurance_retry() -> int:
    """Subscribe again the insurance policies the insurer could not take at once."""
    return insurance_retry_due()
