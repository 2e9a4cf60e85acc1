"""What every page of the data-protection console shares: permissions, paging, states."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from recommerce.privacy.models import (
    DataRequest,
    ErasureRecord,
)

HANDLE = "privacy.handle_datarequest"
RUN_RETENTION = "privacy.run_retention"
PER_PAGE = 50
SOON_DAYS = 7
Status = DataRequest.Status
Kind = DataRequest.Kind
RESUMABLE = (
    ErasureRecord.Status.FAILED,
    ErasureRecord.Status.POSTPONED,
    ErasureRecord.Status.ERASED,
)


def problem_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
