"""Requests a signed-in person makes from their account, on the web pages or through the API.

The caller has checked that the person re-authenticated minutes ago: the session then
stands for the identity check (RIGHT-4), so the request starts verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recommerce.privacy import selectors
from recommerce.privacy.models import DataRequest, ErasureRecord
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.requests import RequestError, data_request_submit

Kind = DataRequest.Kind


def account_jurisdiction(user: Any) -> str:
    """Return the law a request from the account is answered under (CCPA in the US)."""
    if str(getattr(user, "country", "") or "") == "US":
        return DataRequest.Jurisdiction.CCPA.value
    return DataRequest.Jurisdiction.GDPR.value


def account_request_submit(*, user: Any, kind: str, details: str = "") -> DataRequest:
    """Record a request from ``user``'s own re-authenticated session, verified at once."""
    return data_request_submit(
        kind=kind,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=account_jurisdiction(user),
        full_name=user.full_name or user.email,
        email=user.email,
        user=user,
        details=details,
        actor=user,
    )


class ErasureAlreadyAsked(RequestError):
    """An erasure request of the account is already open; it goes on by itself."""

    def __init__(self, request: DataRequest) -> None:
        super().__init__(
            f"Your request to erase your account ({request.reference}) is already open."
        )
        self.request = request


@dataclass(frozen=True)
class ErasureOutcome:
    """What became of an erasure asked from the account.

    ``state`` is ``erased`` (the account is gone: sign the person out), ``postponed``
    (``blockers`` stand in the way; the request stays open and goes on once they are
    settled) or ``failed`` (recorded and resumable; it is tried again).
    """

    request: DataRequest
    state: str
    blockers: list[str] = field(default_factory=list)


def account_erasure_request(*, user: Any) -> ErasureOutcome:
    """Ask for the erasure of ``user``'s account and run it as far as it can go (RIGHT-3).

    Not one transaction: the erasure engine commits its own steps, so a failure part-way
    is recorded on the ledger and resumable rather than rolled back into silence.
    Raises ``ErasureAlreadyAsked`` while an erasure request is open, and
    ``RequestError`` when the workflow refuses the request.
    """
    open_request = selectors.data_request_open(user=user, kind=Kind.ERASURE)
    if open_request is not None:
        raise ErasureAlreadyAsked(open_request)
    data_request = account_request_submit(user=user, kind=Kind.ERASURE)
    data_request_fulfil(request=data_request, actor=user)
    data_request.refresh_from_db()
    record = selectors.erasure_record_list(reference=data_request.reference).first()
    if record is not None and record.erased_at is not None:
        return ErasureOutcome(request=data_request, state="erased")
    if record is not None and record.status == ErasureRecord.Status.POSTPONED:
        return ErasureOutcome(request=data_request, state="postponed", blockers=record.blockers)
    return ErasureOutcome(request=data_request, state="failed")
