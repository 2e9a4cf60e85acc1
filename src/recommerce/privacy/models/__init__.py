"""The privacy core's tables."""

from recommerce.privacy.models.consent import ConsentRecord, NoticeVersion, PersonalConsent
from recommerce.privacy.models.logs import AuditEvent, Disclosure, StaffAccess
from recommerce.privacy.models.requests import (
    DataRequest,
    DataRequestEvent,
    ExportArchive,
    ProcessingLimit,
)
from recommerce.privacy.models.runs import ErasureNotice, ErasureRecord, RetentionRun

__all__ = [
    "AuditEvent",
    "ConsentRecord",
    "DataRequest",
    "DataRequestEvent",
    "Disclosure",
    "ErasureNotice",
    "ErasureRecord",
    "ExportArchive",
    "NoticeVersion",
    "PersonalConsent",
    "ProcessingLimit",
    "RetentionRun",
    "StaffAccess",
]
