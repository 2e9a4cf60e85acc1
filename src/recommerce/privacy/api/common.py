"""What the privacy rights operations share: their router's authentication, answer shapes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from recommerce.platform.api import InvalidInput, Problem, one_of
from recommerce.platform.api_auth import PERSON
from recommerce.privacy.models import DataRequest

# A body that is not JSON is a 400 with one message; a rule's refusal lists its fields.
REFUSED: dict[int, Any] = {400: Problem | InvalidInput, 422: InvalidInput}
CONFLICT: dict[int, type[Schema]] = {409: Problem}


def person_router() -> Router:
    """Return a router whose operations answer only the signed-in person (401 otherwise)."""
    return Router(tags=["privacy"], auth=PERSON)


def person(request: HttpRequest) -> Any:
    """Return the signed-in person (the router's authentication set it)."""
    return request.user


class RequestOut(Schema):
    """A data-protection request as its person follows it (RIGHT-5)."""

    reference: str
    kind: str = one_of(DataRequest.Kind)
    kind_label: str
    status: str = one_of(DataRequest.Status)
    status_label: str
    jurisdiction: str = one_of(DataRequest.Jurisdiction)
    purpose: str
    details: str
    received_at: dt.datetime
    acknowledge_by: dt.date | None
    acknowledged_at: dt.datetime | None
    due_on: dt.date
    extended_due_on: dt.date | None
    extension_reason: str
    answer_by: dt.date
    answer: str
    closed_at: dt.datetime | None
    is_open: bool


def request_out(data_request: DataRequest) -> dict[str, Any]:
    return {
        "reference": data_request.reference,
        "kind": data_request.kind,
        "kind_label": data_request.get_kind_display(),
        "status": data_request.status,
        "status_label": data_request.get_status_display(),
        "jurisdiction": data_request.jurisdiction,
        "purpose": data_request.purpose,
        "details": data_request.details,
        "received_at": data_request.received_at,
        "acknowledge_by": data_request.acknowledge_by,
        "acknowledged_at": data_request.acknowledged_at,
        "due_on": data_request.due_on,
        "extended_due_on": data_request.extended_due_on,
        "extension_reason": data_request.extension_reason,
        "answer_by": data_request.answer_by,
        "answer": data_request.answer,
        "closed_at": data_request.closed_at,
        "is_open": data_request.is_open,
    }
