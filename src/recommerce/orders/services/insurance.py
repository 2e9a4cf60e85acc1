"""Device insurance bought with an order: one policy per insured unit, from the insurer.

Subscribing happens after the order is committed and never undoes it: a policy the
insurer cannot take now stays ``PENDING`` (insurer unavailable) or ``FAILED`` (refused,
e.g. an expired quote), and ``insurance_retry_due`` takes it up again from the periodic
task, with a fresh quote when the first one has expired. The insurer receives only the
holder's name and email, the device and its price (SHARE-2), logged as a disclosure in
the same transaction as the policy's record (SHARE-5).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from recommerce.orders.models import InsurancePolicy, Order, OrderLine
from recommerce.orders.providers.insurer import get_insurer
from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, ProviderUnavailable
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record

logger = logging.getLogger(__name__)

# What the insurer learns about the holder and the device (SHARE-2), as field names.
INSURER_FIELDS: tuple[str, ...] = ("billing_name", "buyer_email", "title", "unit_price_minor")
RETRY_FOR = dt.timedelta(days=7)
OPEN = (InsurancePolicy.Status.PENDING, InsurancePolicy.Status.FAILED)


def _holder_email(order: Order) -> str:
    return order.buyer.email if order.buyer else order.buyer_email


@transaction.atomic
def _policies_for(line: OrderLine) -> list[InsurancePolicy]:
    """Create the line's missing policies (one per insured unit) and return the open ones."""
    line = OrderLine.objects.select_for_update().get(pk=line.pk)
    existing = InsurancePolicy.objects.filter(line=line).count()
    InsurancePolicy.objects.bulk_create(
        InsurancePolicy(
            line=line,
            insurer=get_insurer().name[:32],
            quote_id=line.insurance_quote_id,
            premium_minor=line.insurance_unit_minor,
            cover=settings.INSURANCE_COVER[:200],
        )
        for _ in range(max(0, line.insured_units - existing))
    )
    return list(InsurancePolicy.objects.filter(line=line, status__in=OPEN).order_by("id"))


@transaction.atomic
def insurance_policy_subscribe(*, policy: InsurancePolicy) -> InsurancePolicy:
    """Take out one pending or failed policy with the insurer; leave it open on failure."""
    policy = (
        InsurancePolicy.objects.select_for_update(of=("self",))
        .select_related("line__order__buyer")
        .get(pk=policy.pk)
    )
    if policy.status not in OPEN:
        return policy
    line = policy.line
    order = line.order
    if order.status == Order.Status.CANCELLED:
        policy.status = InsurancePolicy.Status.CANCELLED
        policy.save(update_fields=["status", "updated_at"])
        return policy
    insurer = get_insurer()
    try:
        if policy.status == InsurancePolicy.Status.FAILED or not policy.quote_id:
            # A refusal is most often an expired quote: ask for a fresh one at the same price.
            quote = insurer.quote(
                device_title=line.title,
                category="",
                price_minor=line.unit_price_minor,
                currency=order.currency,
            )
            if quote.premium_minor > policy.premium_minor:
                raise ProviderError("The insurer now asks a higher premium than was paid.")
            policy.quote_id = quote.quote_id
        result = insurer.subscribe(
            quote_id=policy.quote_id,
            holder_name=order.billing_name,
            holder_email=_holder_email(order),
            device_title=line.title,
            reference=f"{order.number}-{policy.pk}",
        )
    except ProviderUnavailable as exc:
        logger.warning("Insurance for %s waits: %s", order.number, exc)
        policy.status = InsurancePolicy.Status.PENDING
        policy.save(update_fields=["status", "quote_id", "updated_at"])
        return policy
    except ProviderError as exc:
        logger.warning("Insurance for %s refused: %s", order.number, exc)
        policy.status = InsurancePolicy.Status.FAILED
        policy.save(update_fields=["status", "quote_id", "updated_at"])
        return policy
    policy.policy_number = result.policy_number
    policy.starts_on = result.starts_on
    policy.ends_on = result.ends_on
    policy.certificate_url = result.certificate_url
    policy.status = InsurancePolicy.Status.ACTIVE
    policy.save()
    disclosure_record(
        subject=order.buyer,
        recipient_kind=Disclosure.RecipientKind.INSURER,
        recipient=insurer.name,
        fields=INSURER_FIELDS,
        purpose=purposes.SERVICE_INSURANCE,
        reference=order.number,
    )
    return policy


def insurance_subscribe_for_order(*, order: Order) -> list[InsurancePolicy]:
    """Subscribe one policy per insured unit of the order's lines; return all its policies.

    Safe to call again: active policies are left alone, open ones are tried once more.
    """
    for line in order.lines.filter(insured_units__gt=0):
        for policy in _policies_for(line):
            insurance_policy_subscribe(policy=policy)
    return list(InsurancePolicy.objects.filter(line__order=order).order_by("id"))


def insurance_retry_due() -> int:
    """Try the open policies of the last days again; return how many became active."""
    since = clock.now() - RETRY_FOR
    due = InsurancePolicy.objects.filter(status__in=OPEN, created_at__gte=since).values_list(
        "pk", flat=True
    )
    active = 0
    for pk in list(due):
        policy = insurance_policy_subscribe(policy=InsurancePolicy(pk=pk))
        active += policy.status == InsurancePolicy.Status.ACTIVE
    return active


@transaction.atomic
def insurance_cancel_for_order(*, order: Order) -> int:
    """End the order's policies (the order is cancelled); return how many were active."""
    insurer = get_insurer()
    ended = 0
    policies = InsurancePolicy.objects.select_for_update(of=("self",)).filter(line__order=order)
    for policy in policies.exclude(status=InsurancePolicy.Status.CANCELLED):
        if policy.status == InsurancePolicy.Status.ACTIVE:
            try:
                insurer.cancel(policy_number=policy.policy_number)
            except ProviderError as exc:
                # The premium is refunded with the order; the insurer's side is reconciled later.
                logger.warning("Could not end policy %s: %s", policy.policy_number, exc)
            ended += 1
        policy.status = InsurancePolicy.Status.CANCELLED
        policy.save(update_fields=["status", "updated_at"])
    return ended
