"""Deadlines for answering data-subject requests (RIGHT-5), as pure date arithmetic.

GDPR Art. 12(3): answer within one month of receipt, extendable by two further months when
the person is told so within the first month.

CCPA (Cal. Code Regs. tit. 11 §7021): acknowledge within 10 business days, answer within
45 calendar days, extendable once by 45 more days when the consumer is told so within the
first 45 days.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from recommerce.platform.calendar import add_business_days, add_months

# Request records are kept 24 months to show accountability (CCPA §7101 asks for 24 months).
REQUEST_RECORD_RETENTION_DAYS = 730

CCPA_ACKNOWLEDGE_BUSINESS_DAYS = 10
CCPA_ANSWER_DAYS = 45
CCPA_EXTENSION_DAYS = 45
GDPR_ANSWER_MONTHS = 1
GDPR_EXTENSION_MONTHS = 2


class Jurisdiction(enum.StrEnum):
    GDPR = "gdpr"
    CCPA = "ccpa"


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates a request must meet; `acknowledge_by` is set only where the law asks for it."""

    acknowledge_by: date | None
    answer_by: date
    extension_notice_by: date
    extended_answer_by: date


def is_overdue(due: date, today: date) -> bool:
    """Tell whether a deadline has passed; the due date itself is still on time."""
    return today > due


def deadlines_for(jurisdiction: Jurisdiction, received: date) -> Deadlines:
    """Compute the deadlines for a request received on `received` under `jurisdiction`.

    For CCPA, the acknowledgement deadline counts Monday to Friday only and ignores public
    holidays (see `platform.calendar`).
    """
    if jurisdiction is Jurisdiction.GDPR:
        answer_by = add_months(received, GDPR_ANSWER_MONTHS)
        # Clamp against the receipt day, not the due date: 31 Jan gives 28 Feb, then 30 Apr.
        extended = add_months(received, GDPR_ANSWER_MONTHS + GDPR_EXTENSION_MONTHS)
        return Deadlines(
            acknowledge_by=None,
            answer_by=answer_by,
            extension_notice_by=answer_by,
            extended_answer_by=extended,
        )
    if jurisdiction is Jurisdiction.CCPA:
        answer_by = received + timedelta(days=CCPA_ANSWER_DAYS)
        return Deadlines(
            acknowledge_by=add_business_days(received, CCPA_ACKNOWLEDGE_BUSINESS_DAYS),
            answer_by=answer_by,
            extension_notice_by=answer_by,
            extended_answer_by=answer_by + timedelta(days=CCPA_EXTENSION_DAYS),
        )
    raise ValueError(f"unknown jurisdiction: {jurisdiction!r}")
