"""Data-subject requests in the console: list, written letters, detail, each step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from recommerce.platform.staff import staff_only
from recommerce.privacy import selectors
from recommerce.privacy.deadlines import is_overdue
from recommerce.privacy.models import (
    DataRequest,
)
from recommerce.privacy.purposes import BY_CODE
from recommerce.privacy.registry import registry
from recommerce.privacy.services import staff_access_record
from recommerce.privacy.services.erasure import erasure_run
from recommerce.privacy.services.handling import data_request_fulfil, data_request_rectify
from recommerce.privacy.services.requests import (
    data_request_close,
    data_request_closings,
    data_request_document_ask,
    data_request_document_read,
    data_request_extend,
    data_request_send_code,
    data_request_submit,
    data_request_verify_by_staff,
)
from recommerce.privacy.views.staff.common import (
    HANDLE,
    PER_PAGE,
    RESUMABLE,
    SOON_DAYS,
    Kind,
    Status,
    problem_text,
)
from recommerce.privacy.views.staff.forms import (
    AnswerForm,
    DocumentAskForm,
    ReasonForm,
    RectifyForm,
    RequestFilterForm,
    ResumeForm,
    VerifyForm,
    WrittenRequestForm,
)

# --- Requests --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestRow:
    request: DataRequest
    overdue: bool
    due_soon: bool


def _row(dsr: DataRequest, today: dt.date) -> RequestRow:
    answer_by: dt.date = dsr.answer_by
    late = dsr.is_open and is_overdue(answer_by, today)
    soon = dsr.is_open and not late and answer_by <= today + dt.timedelta(days=SOON_DAYS)
    return RequestRow(dsr, late, soon)


@staff_only(HANDLE)
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    counters = selectors.data_request_counters(today=today, soon_days=SOON_DAYS)
    form = RequestFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        found = DataRequest.objects.none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        found = selectors.data_request_queue(
            today=today,
            state=data.get("state", ""),
            kind=data.get("kind", ""),
            jurisdiction=data.get("jurisdiction", ""),
        )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "section": "requests",
        "form": form,
        "counters": counters,
        "page": page,
        "rows": [_row(dsr, today) for dsr in page],
    }
    return render(
        request, "privacy/staff/requests.html", context, status=400 if form.errors else 200
    )


@staff_only(HANDLE)
def request_new(request: HttpRequest) -> HttpResponse:
    form = WrittenRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = data_request_submit(
                kind=data["kind"],
                channel=DataRequest.Channel.WRITTEN,
                jurisdiction=data["jurisdiction"],
                full_name=data["full_name"],
                email=data["email"],
                details=data["details"],
                purpose=data["purpose"],
                actor=request.user,
                received_on=data["received_on"],
            )
        except ValueError as error:  # RequestError: the service's own check
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Request {created.reference} is recorded.")
            return redirect("privacy_staff:request", reference=created.reference)
    return render(
        request,
        "privacy/staff/request_new.html",
        {"section": "new", "form": form},
        status=400 if form.errors else 200,
    )


def _request_get(reference: str) -> DataRequest:
    dsr = selectors.data_request_get(reference=reference)
    if dsr is None:
        raise Http404("No such request.")
    return dsr


def _can_extend(dsr: DataRequest) -> bool:
    # Under both laws the extension must be announced by the first answer date.
    return dsr.is_open and dsr.extended_due_on is None and timezone.localdate() <= dsr.due_on


def _offered(dsr: DataRequest) -> set[str]:
    """Return the actions the request's state allows, so the page offers nothing else.

    How it may close follows what was done: an erasure is answered as completed only once
    its ledger says done (``data_request_closings``).
    """
    closings = data_request_closings(dsr)
    offered = {"refuse"} if Status.REFUSED in closings else set()
    if dsr.status == Status.RECEIVED:
        offered |= {"send-code", "ask-document", "verify"}
    if dsr.status == Status.VERIFIED:
        offered.add("fulfil")
    if dsr.status in (Status.VERIFIED, Status.IN_PROGRESS):
        if Status.COMPLETED in closings:
            offered.add("complete")
        if Status.PARTLY_DONE in closings:
            offered.add("partly")
    if dsr.status == Status.IN_PROGRESS and dsr.kind == Kind.RECTIFICATION:
        offered.add("rectify")
    if _can_extend(dsr):
        offered.add("extend")
    return offered


def _detail(
    request: HttpRequest,
    dsr: DataRequest,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a request with its history and the steps its state allows (a logged look)."""
    what = f"data request {dsr.reference}"
    staff_access_record(staff=request.user, subject=dsr.user, what=what, path=request.path)
    page_forms = {name: a.form(prefix=name) for name, a in ACTIONS.items() if a.form is not None}
    page_forms.update(bound or {})
    facts = registry.identity_facts
    erasures = selectors.erasure_record_list(reference=dsr.reference)
    context = {
        "section": "requests",
        "dsr": dsr,
        "row": _row(dsr, timezone.localdate()),
        "purpose": BY_CODE[dsr.purpose].description if dsr.purpose in BY_CODE else "",
        "events": dsr.events.select_related("actor"),
        "data_points": [
            (facts[name][0] if name in facts else name, value)
            for name, value in sorted(dsr.data_points.items())
        ],
        "exports": dsr.exports.all(),
        "erasures": erasures.prefetch_related("notices"),
        "resumable": RESUMABLE,
        "forms": {name.replace("-", "_"): form for name, form in page_forms.items()},
        "offered": _offered(dsr),
    }
    return render(request, "privacy/staff/request.html", context, status=status)


@staff_only(HANDLE)
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _request_get(reference))


SAFE_DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@staff_only(HANDLE)
def request_document(request: HttpRequest, reference: str) -> HttpResponse:
    """Serve the identity document as a download (never inline); the read is logged."""
    dsr = _request_get(reference)
    if not dsr.identity_document:
        raise Http404("No identity document was received for this request.")
    try:
        content = data_request_document_read(request=dsr, staff=request.user)
    except PermissionError:
        raise PermissionDenied from None
    kind = dsr.identity_document_type
    suffix = SAFE_DOCUMENT_TYPES.get(kind, "")
    response = HttpResponse(content, content_type=kind if suffix else "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{dsr.reference}-identity{suffix}"'
    response["Cache-Control"] = "no-store"
    return response


# Each step a staff member can take on a request: its form (if any) and what it does.
Step = Callable[[DataRequest, Any, dict[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Action:
    form: type[forms.Form] | None
    run: Step


def _send_code(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_send_code(request=dsr)
    return "A new code is on its way to the requester."


def _ask_document(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_document_ask(request=dsr, actor=staff, note=data["note"])
    return "The person is asked for an identity document."


def _verify(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_verify_by_staff(request=dsr, actor=staff, method=data["method"])
    return "The identity is verified."


def _extend(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_extend(request=dsr, actor=staff, reason=data["reason"])
    due = dateformat.format(dsr.answer_by, "j M Y")
    return f"The answer is now due on {due}; the person is told."


def _fulfil(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_fulfil(request=dsr, actor=staff)
    last = dsr.events.order_by("-created_at", "-id").first()
    step = f" Last step: {last.action}." if last else ""
    return f"The request is {dsr.get_status_display().lower()}.{step}"


def _rectify(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    model_label, field = data["target"].split(":", 1)
    data_request_rectify(
        request=dsr,
        actor=staff,
        model_label=model_label,
        pk=data["record_id"],
        field=field,
        value=data["value"],
    )
    return f"{model_label} {data['record_id']}: {field} is corrected."


def _complete(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_close(request=dsr, actor=staff, answer=data["answer"])
    return "The request is completed and the person has the answer."


def _partly(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_close(request=dsr, actor=staff, answer=data["reason"], partly=True)
    return "The request is closed as partly done; the person has the reason and what stays."


def _refuse(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    data_request_close(request=dsr, actor=staff, answer=data["reason"], refused=True)
    return "The request is refused and the person has the reason."


def _resume(dsr: DataRequest, staff: Any, data: dict[str, Any]) -> str:
    found = selectors.erasure_record_list(reference=dsr.reference)
    record = found.filter(pk=data["record"], status__in=RESUMABLE).first()
    if record is None:
        raise ValueError("No erasure of this request waits to be resumed.")
    record = erasure_run(record=record, actor=staff)
    return f"Erasure {record.pk}: {record.get_status_display().lower()}."


ACTIONS: dict[str, Action] = {
    "send-code": Action(None, _send_code),
    "ask-document": Action(DocumentAskForm, _ask_document),
    "verify": Action(VerifyForm, _verify),
    "extend": Action(ReasonForm, _extend),
    "fulfil": Action(None, _fulfil),
    "rectify": Action(RectifyForm, _rectify),
    "complete": Action(AnswerForm, _complete),
    "partly": Action(ReasonForm, _partly),
    "refuse": Action(ReasonForm, _refuse),
    "resume": Action(ResumeForm, _resume),
}


@staff_only(HANDLE)
@require_POST
def request_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Take one step on a request; a refused step comes back as a message, never a 500."""
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("No such action.")
    dsr = _request_get(reference)
    # A second click, or a page left open, must not repeat a step (a second export).
    if action != "resume" and action not in _offered(dsr):
        messages.error(request, "This step is not open for the request in its present state.")
        return redirect("privacy_staff:request", reference=dsr.reference)
    form = step.form(request.POST, prefix=action) if step.form is not None else None
    if form is not None and not form.is_valid():
        return _detail(request, dsr, bound={action: form}, status=400)
    try:
        with transaction.atomic():  # a refused step leaves no half-done change behind
            done = step.run(dsr, request.user, form.cleaned_data if form is not None else {})
    except (ValueError, ValidationError) as error:  # RequestError, LimitRefused, a bad value
        messages.error(request, problem_text(error))
    else:
        messages.success(request, done)
    return redirect("privacy_staff:request", reference=dsr.reference)
