"""When a buyer may open each kind of claim, and when a seller must answer one.

Pure functions: the caller passes the order's dates and today's date (``clock.today()``).
A window is a closed interval of local dates: a claim is allowed on ``opens_on``, on
``closes_on`` and on every day between ("within 30 days of delivery" includes day 30).

The rules, per kind:

``return`` and ``not_as_described``
    From the delivery date to ``return_days`` calendar days after it (the seller's return
    period, 30 by default).
``transit_damage``
    From the delivery date to ``SUPPORT_TRANSIT_DAMAGE_BUSINESS_DAYS`` (3) business days
    after it: a parcel delivered on a Friday may be reported until the Wednesday after.
``warranty``
    From the delivery date to ``warranty_months`` months after it, clamped to the end of a
    shorter month (``add_months``: 31 January + 1 month = 28 or 29 February).
``not_received``
    From the day after the latest expected delivery date (``expected_by``) to
    ``SUPPORT_NOT_RECEIVED_DAYS`` (30) calendar days after that date. When the carrier
    reports the parcel lost, the window is open at once (``opens_on`` is ``date.min``); it
    still closes 30 days after the expected date. A parcel the carrier marks delivered
    follows the same window: one marked delivered early that did not arrive often turns
    up with a neighbour or at a pick-up point within days.

Every kind but ``not_received`` needs the order delivered: without a delivery date the
window is ``NOT_YET_OPEN`` (both dates ``date.max``), and ``claim_refusal`` says that the
claim can be opened once the order has arrived.

Public holidays count as business days (``platform.calendar``): the deadline that results
is the earlier, and so the safer, one for the buyer to meet and the seller to plan for.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from recommerce.platform.calendar import add_business_days, add_months

__all__ = [
    "NOT_YET_OPEN",
    "ClaimKind",
    "Window",
    "claim_refusal",
    "claim_window",
    "seller_answer_due",
]

NOT_RECEIVED_DAYS_DEFAULT = 30


class ClaimKind(enum.StrEnum):
    RETURN = "return"
    TRANSIT_DAMAGE = "transit_damage"
    NOT_RECEIVED = "not_received"
    WARRANTY = "warranty"
    NOT_AS_DESCRIBED = "not_as_described"


@dataclass(frozen=True, slots=True)
class Window:
    """The days on which a claim may be opened, both ends included."""

    opens_on: dt.date
    closes_on: dt.date

    def __post_init__(self) -> None:
        if self.closes_on < self.opens_on:
            raise ValueError(f"A window cannot close ({self.closes_on}) before it opens.")

    def allows(self, day: dt.date) -> bool:
        """Return whether a claim may be opened on ``day``."""
        return self.opens_on <= day <= self.closes_on

    @property
    def awaits_delivery(self) -> bool:
        """Return whether the window waits for a delivery that has not happened yet."""
        return self.opens_on == dt.date.max


NOT_YET_OPEN = Window(opens_on=dt.date.max, closes_on=dt.date.max)


def _transit_damage_days() -> int:
    return int(settings.SUPPORT_TRANSIT_DAMAGE_BUSINESS_DAYS)


def _not_received_days() -> int:
    return int(getattr(settings, "SUPPORT_NOT_RECEIVED_DAYS", NOT_RECEIVED_DAYS_DEFAULT))


def claim_window(
    *,
    kind: ClaimKind | str,
    delivered_on: dt.date | None,
    expected_by: dt.date,
    return_days: int,
    warranty_months: int,
    carrier_lost: bool = False,
) -> Window:
    """Return the days on which a claim of ``kind`` may be opened (rules: module docstring).

    ``expected_by`` is the latest expected delivery date the buyer was given;
    ``return_days`` the seller's return period; ``warranty_months`` the offer's warranty.
    """
    kind = ClaimKind(kind)
    if return_days < 0 or warranty_months < 0:
        raise ValueError("return_days and warranty_months must not be negative.")
    if kind is ClaimKind.NOT_RECEIVED:
        closes_on = expected_by + dt.timedelta(days=_not_received_days())
        opens_on = dt.date.min if carrier_lost else expected_by + dt.timedelta(days=1)
        return Window(opens_on=opens_on, closes_on=closes_on)
    if delivered_on is None:
        return NOT_YET_OPEN
    if kind in (ClaimKind.RETURN, ClaimKind.NOT_AS_DESCRIBED):
        closes_on = delivered_on + dt.timedelta(days=return_days)
    elif kind is ClaimKind.TRANSIT_DAMAGE:
        closes_on = add_business_days(delivered_on, _transit_damage_days())
    else:
        closes_on = add_months(delivered_on, warranty_months)
    return Window(opens_on=delivered_on, closes_on=closes_on)


def _day(value: dt.date) -> str:
    # "3 January 2027" in English, "3 janvier 2027" in French.
    return date_format(value, "j F Y")


def claim_refusal(*, kind: ClaimKind | str, window: Window, today: dt.date) -> str | None:
    """Return the sentence that tells the buyer why the claim cannot be opened today.

    ``None`` when ``today`` is inside ``window`` (the claim is allowed).
    """
    kind = ClaimKind(kind)
    if window.allows(today):
        return None
    if window.awaits_delivery:
        return {
            ClaimKind.RETURN: gettext("You can return this order once it has been delivered."),
            ClaimKind.TRANSIT_DAMAGE: gettext(
                "You can report damage in transit once the order has been delivered."
            ),
            ClaimKind.WARRANTY: gettext(
                "You can make a warranty claim once the order has been delivered."
            ),
            ClaimKind.NOT_AS_DESCRIBED: gettext(
                "You can report that an item is not as described once the order has been delivered."
            ),
            ClaimKind.NOT_RECEIVED: gettext("This parcel cannot be reported as not received."),
        }[kind]
    if today < window.opens_on:
        if kind is ClaimKind.NOT_RECEIVED:
            return gettext(
                "You can report a parcel as not received from %(day)s, the day after its "
                "latest expected delivery date."
            ) % {"day": _day(window.opens_on)}
        return gettext("This claim can be opened from %(day)s.") % {"day": _day(window.opens_on)}
    closed = {"day": _day(window.closes_on)}
    if kind is ClaimKind.RETURN:
        return gettext("The return period for this order closed on %(day)s.") % closed
    if kind is ClaimKind.NOT_AS_DESCRIBED:
        return (
            gettext(
                "Reports that an item is not as described had to be made within the return "
                "period, which closed on %(day)s."
            )
            % closed
        )
    if kind is ClaimKind.TRANSIT_DAMAGE:
        return gettext(
            "Damage in transit had to be reported within %(count)d business days of delivery, "
            "by %(day)s."
        ) % {"count": _transit_damage_days(), **closed}
    if kind is ClaimKind.WARRANTY:
        return gettext("The warranty of this item ended on %(day)s.") % closed
    return gettext(
        "A parcel could be reported as not received until %(day)s, %(count)d days after its "
        "latest expected delivery date."
    ) % {"count": _not_received_days(), **closed}


def seller_answer_due(*, opened_at: dt.datetime) -> dt.datetime:
    """Return when the seller must have answered a claim opened at ``opened_at``.

    ``SUPPORT_SELLER_ANSWER_BUSINESS_DAYS`` (2) business days later at the same local time
    of day, Saturdays and Sundays skipped: a claim opened on Friday at 17:00 is due on
    Tuesday at 17:00, one opened on Saturday at 10:00 on Tuesday at 10:00. Business days
    are counted in the site's time zone; an aware ``opened_at`` gives an aware result in
    that zone, a naive one a naive result.
    """
    days = int(settings.SUPPORT_SELLER_ANSWER_BUSINESS_DAYS)
    local = timezone.localtime(opened_at) if timezone.is_aware(opened_at) else opened_at
    due_day = add_business_days(local.date(), days)
    # Arithmetic on an aware datetime keeps its wall-clock time, across a DST change too;
    # normalising through UTC picks the right offset for the new day.
    due = local + dt.timedelta(days=(due_day - local.date()).days)
    if timezone.is_aware(due):
        due = timezone.localtime(due.astimezone(dt.UTC))
    return due
