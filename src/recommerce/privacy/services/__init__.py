"""Writes of the privacy core."""

from recommerce.privacy.services.logs import (
    audit_event_record,
    disclosure_record,
    staff_access_record,
)

__all__ = ["audit_event_record", "disclosure_record", "staff_access_record"]
