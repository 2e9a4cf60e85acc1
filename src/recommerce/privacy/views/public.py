"""Public privacy pages: the request form, its identity check, the one-time export download.

No account is needed: the emailed code proves the address, the facts tie it to an account.
An export goes to its owner signed in, or to whoever has both its signed link and the
one-time code emailed with it.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recommerce.privacy import selectors
from recommerce.privacy.forms import DocumentForm, ExportCodeForm, PublicRequestForm, VerifyForm
from recommerce.privacy.models import DataRequest
from recommerce.privacy.rights.schema import export_json_schema
from recommerce.privacy.services.exports import (
    ExportRefused,
    ExportUnavailable,
    export_from_link,
    export_is_owner,
    export_take,
)
from recommerce.privacy.services.requests import (
    CODE_ATTEMPTS,
    CODE_MINUTES,
    RequestError,
    data_request_document_upload,
    data_request_send_code,
    data_request_submit,
    data_request_verify,
)

Status = DataRequest.Status
RESEND_SECONDS = 300
REFERENCE = re.compile(r"^DSR-[0-9A-Z]{6,16}$")


def _find(reference: str) -> DataRequest:
    found = selectors.data_request_get(reference=reference)
    if found is None:
        raise Http404("No request has this reference.")
    return found


def _waiting_for_code(data_request: DataRequest) -> bool:
    return data_request.status == Status.RECEIVED and bool(data_request.code_hash)


def _may_resend(data_request: DataRequest) -> bool:
    """Tell whether a new code is due: the last one expired or too many wrong tries."""
    expires = data_request.code_expires_at
    return _waiting_for_code(data_request) and (
        data_request.code_attempts >= CODE_ATTEMPTS or expires is None or expires < timezone.now()
    )


@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request: HttpRequest) -> HttpResponse:
    """Take a data-protection request from anyone (RIGHT-4); the sender then proves the email."""
    form = PublicRequestForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            data_request = data_request_submit(
                kind=data["kind"],
                channel=DataRequest.Channel.WEB_FORM,
                jurisdiction=data["jurisdiction"],
                full_name=data["full_name"],
                email=data["email"],
                details=data["details"],
                purpose=data["purpose"],
            )
        except (RequestError, KeyError) as error:
            message = str(error) if isinstance(error, RequestError) else "Choose a listed use."
            form.add_error(None, message)
        else:
            return redirect("privacy:request-verify", reference=data_request.reference)
    return render(
        request,
        "privacy/public/request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def request_verify(request: HttpRequest, reference: str) -> HttpResponse:
    """Check the emailed code and the facts; then say what happens next."""
    data_request = _find(reference)
    form = None
    if _waiting_for_code(data_request):
        code = "".join(str(request.GET.get("code", "")).split())[:12]
        form = VerifyForm(
            request.POST if request.method == "POST" else None, initial={"code": code}
        )
        if form.is_bound and form.is_valid():
            try:
                data_request_verify(
                    reference=reference,
                    code=form.cleaned_data["code"],
                    data_points=form.data_points(),
                )
            except RequestError as error:
                form.add_error("code", str(error))
                data_request.refresh_from_db()
            else:
                return redirect("privacy:request-verify", reference=reference)
    return render(
        request,
        "privacy/public/request_verify.html",
        {
            "data_request": data_request,
            "form": form,
            "code_minutes": CODE_MINUTES,
            "may_resend": _may_resend(data_request),
            "in_doubt": data_request.status == Status.RECEIVED and not data_request.code_hash,
            "working": data_request.status in (Status.VERIFIED, Status.IN_PROGRESS),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def request_resend(request: HttpRequest, reference: str) -> HttpResponse:
    """Send a new code once the last one expired or was mistyped too often."""
    data_request = _find(reference)
    if not _may_resend(data_request):
        messages.info(request, "The code we sent is still valid: check your inbox and spam.")
    elif not cache.add(f"privacy:code-resend:{reference}", True, RESEND_SECONDS):
        messages.info(request, "A new code was sent a few minutes ago: check your inbox.")
    else:
        data_request_send_code(request=data_request)
        messages.success(request, "We sent a new code to the email address of the request.")
    return redirect("privacy:request-verify", reference=reference)


@require_http_methods(["GET", "HEAD", "POST"])
def request_document(request: HttpRequest, reference: str) -> HttpResponse:
    """Take a copy of an identity document, only when staff asked for one."""
    data_request = _find(reference)
    expected = data_request.document_requested_at is not None and data_request.is_open
    form = None
    if expected:
        form = DocumentForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if form.is_bound and form.is_valid():
            try:
                data_request_document_upload(
                    request=data_request,
                    content=form.cleaned_data["content"],
                    content_type=form.cleaned_data["content_type"],
                )
            except RequestError as error:
                form.add_error("document", str(error))
            else:
                messages.success(
                    request,
                    "Thank you, we received your document. It is stored encrypted and "
                    "deleted when your request is answered.",
                )
                return redirect("privacy:request-document", reference=reference)
    status = 404 if not expected else (400 if form is not None and form.errors else 200)
    return render(
        request,
        "privacy/public/request_document.html",
        {"data_request": data_request, "form": form, "expected": expected},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    """Hand the export out once (RIGHT-1): to its owner signed in, or with the emailed code.

    Opening the link only shows a button: mail scanners and link previews fetch links,
    and a one-time download must not be spent by them.
    """
    try:
        archive = export_from_link(token=token)
    except ExportUnavailable as error:
        return _export_gone(request, error)
    owner = export_is_owner(archive, request.user)
    form = None if owner else ExportCodeForm(request.POST if request.method == "POST" else None)
    status = 400 if form is not None and form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and (form is None or form.is_valid()):
        code = form.cleaned_data["code"] if form is not None else ""
        try:
            _archive, content = export_take(token=token, user=request.user, code=code)
        except ExportUnavailable as error:
            return _export_gone(request, error)
        except ExportRefused as error:
            if form is None:  # the owner signed out in another tab meanwhile
                form = ExportCodeForm()
            form.add_error("code", str(error))
            status = 403
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = 'attachment; filename="recommerce-data.zip"'
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "privacy/public/export_download.html",
        {
            "token": token,
            "form": form,
            "someone_else": request.user.is_authenticated and not owner,
        },
        status=status,
    )


def _export_gone(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "privacy/public/export_gone.html", {"reason": str(error)}, status=410)


@require_safe
@cache_control(public=True, max_age=3600)
def export_schema(request: HttpRequest) -> JsonResponse:
    """Publish the JSON Schema every export's ``data.json`` validates against."""
    return JsonResponse(export_json_schema())


@require_safe
def erased(request: HttpRequest) -> HttpResponse:
    reference = str(request.GET.get("ref", ""))
    return render(
        request,
        "privacy/public/erased.html",
        {"reference": reference if REFERENCE.match(reference) else ""},
    )
