"""Act on a verified request: the engine does the work the request asks for."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.privacy.models import DataRequest, ErasureRecord
from recommerce.privacy.paths import concrete_field, subject_q
from recommerce.privacy.purposes import BY_CODE
from recommerce.privacy.registry import Erasure, registry
from recommerce.privacy.rights.export import NOT_EXPORTED_CATEGORIES
from recommerce.privacy.services.erasure import erasure_start
from recommerce.privacy.services.exports import export_request
from recommerce.privacy.services.limits import LimitRefused, processing_limit_set
from recommerce.privacy.services.logs import audit_event_record
from recommerce.privacy.services.requests import (
    RequestError,
    _event,
    data_request_close,
    data_request_start,
)

Kind = DataRequest.Kind
NO_DATA = "No personal data is linked to this email address on our platform."


def data_request_fulfil(*, request: DataRequest, actor: Any) -> DataRequest:
    """Carry out an access, portability, erasure, restriction or objection request.

    Rectification is carried out field by field by staff (``data_request_rectify``).
    """
    # Starting locks the request: of two concurrent calls, the second is refused here.
    data_request_start(request=request, actor=actor)
    user = request.user
    if user is None and request.kind != Kind.RECTIFICATION:
        data_request_close(request=request, actor=actor, answer=NO_DATA)
        return request
    if request.kind in (Kind.ACCESS, Kind.PORTABILITY):
        export_request(user=user, request=request)
        _event(request, "export queued", actor=actor)
    elif request.kind == Kind.ERASURE:
        _erase(request, user, actor)
    elif request.kind in (Kind.RESTRICTION, Kind.OBJECTION):
        _limit(request, user, actor)
    return request


def _limit(request: DataRequest, user: Any, actor: Any) -> None:
    purpose = BY_CODE.get(request.purpose)
    if purpose is None:
        raise RequestError("The request names no listed use of the data: ask which one.")
    try:
        processing_limit_set(
            user=user, purpose=purpose, kind=request.kind, reason=request.details, request=request
        )
    except LimitRefused as refused:
        # The person is owed the reason (GDPR Art. 12(4)), not a request left hanging.
        data_request_close(request=request, actor=actor, answer=str(refused), refused=True)
        return
    data_request_close(
        request=request,
        actor=actor,
        answer=f"Processing for “{purpose.description}” is stopped for you.",
    )


def _erase(request: DataRequest, user: Any, actor: Any) -> None:
    # The erasure closes the request itself once every recipient is told, on this run or
    # on a later resume.
    record = erasure_start(user=user, request_reference=request.reference, actor=actor)
    request.refresh_from_db()
    if record.status == ErasureRecord.Status.POSTPONED:
        _event(request, "erasure postponed", actor=actor, note="; ".join(record.blockers))
    elif record.status != ErasureRecord.Status.DONE:
        _event(request, "erasure failed (resumable)", actor=actor, note=record.error)


def export_ready(*, request: DataRequest) -> None:
    """Close an access request once its export is ready (the email carries the link)."""
    if request.is_open:
        data_request_close(
            request=request,
            actor=None,
            answer="Your data is ready: use the download link we emailed you.",
        )


@transaction.atomic
def data_request_rectify(
    *, request: DataRequest, actor: Any, model_label: str, pk: Any, field: str, value: str
) -> None:
    """Correct one registered field of the requester's data, with the request as reason."""
    if request.kind != Kind.RECTIFICATION or request.status != DataRequest.Status.IN_PROGRESS:
        raise RequestError("Only a rectification request in progress can change data.")
    model = registry.model_classes.get(model_label)
    item = registry.personal_fields.get((model_label, field))
    if model is None or item is None or request.user is None:
        raise RequestError("That field is not personal data this request can correct.")
    if item.erasure is Erasure.LEGAL_HOLD:
        raise RequestError("Records under a legal hold are corrected by a new document.")
    if item.category.startswith(NOT_EXPORTED_CATEGORIES):
        raise RequestError("Passwords and second factors are changed by their owner, not here.")
    model_field = concrete_field(model, field)
    if model_field.is_relation:
        raise RequestError("Links between records are not corrected this way.")
    query = subject_q(item.subject, request.user)
    try:
        obj = model._base_manager.filter(query, pk=pk).first() if query is not None else None
    except (ValueError, ValidationError):
        obj = None  # a record number of the wrong shape
    if obj is None:
        raise RequestError("That record does not belong to the person who asked.")
    try:
        setattr(obj, model_field.attname, model_field.to_python(value))
        obj.full_clean(exclude=[f.name for f in model._meta.fields if f.name != field])
    except ValidationError as error:
        raise RequestError(" ".join(error.messages)) from None
    obj.save(update_fields=[model_field.attname])
    audit_event_record(
        actor=actor, subject=request.user, action="rectified", target=obj, fields=[field]
    )
    _event(request, "rectified", actor=actor, note=f"{model_label}.{field}")
