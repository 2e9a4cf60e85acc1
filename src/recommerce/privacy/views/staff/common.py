"""What every page of the data-protection console shares: who may enter."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse

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
View = Callable[..., HttpResponse]


def dpo_only(permission: str) -> Callable[[View], View]:
    """Let in signed-in staff holding ``permission``: other staff get 403, others 404."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_staff:
                raise Http404("No such page.")
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def problem_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
