"""My data and privacy: a signed-in person's export, erasure, limits and requests.

Every view that hands data out, erases it or files a request on the account's word asks
for the password again (allauth's re-authentication) unless it was given minutes ago:
a session left open on a shared computer must not be enough.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from recommerce.privacy import selectors
from recommerce.privacy.forms import ConfirmErasureForm, LimitForm, RectificationForm
from recommerce.privacy.models import DataRequest
from recommerce.privacy.notice.labels import BASES
from recommerce.privacy.purposes import BY_CODE, LegalBasis
from recommerce.privacy.selectors import disclosure_list, processing_limit_list
from recommerce.privacy.services.account import (
    ErasureAlreadyAsked,
    account_erasure_request,
    account_request_submit,
)
from recommerce.privacy.services.erasure import erasure_blocker_list
from recommerce.privacy.services.exports import export_request
from recommerce.privacy.services.limits import (
    LimitRefused,
    processing_limit_lift,
    processing_limit_set,
)
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC,
    BIOMETRIC_TEXT,
    BIOMETRIC_TEXT_VERSION,
    METHOD_PROFILE,
    RECORDING_OBJECTION,
    ConsentError,
    biometric_check_allowed,
    identity_check_methods,
    personal_consent_latest,
    personal_consent_record,
)
from recommerce.privacy.services.requests import RequestError

View = Callable[..., HttpResponse]
Kind = DataRequest.Kind


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a signed-in account."""

    user: Any


def reauthenticated(view: View) -> View:
    """Ask for the password again unless the person gave it in the last few minutes."""
    return cast(View, reauthentication_required(view))


@dataclass(frozen=True)
class DisclosureRow:
    recipient: str
    recipient_kind: str
    fields: list[str]
    purpose: str
    legal_basis: str
    reference: str
    created_at: dt.datetime


@dataclass(frozen=True)
class LimitRow:
    code: str
    purpose: str
    kind: str
    reason: str
    created_at: dt.datetime


def _purpose_label(code: str) -> str:
    purpose = BY_CODE.get(code)
    return purpose.description if purpose else code


def _basis_label(value: str) -> str:
    basis = next((b for b in LegalBasis if b.value == value), None)
    return BASES[basis].en if basis else value


def _sentence(reasons: list[str]) -> str:
    return "; ".join(reason.rstrip(". ") for reason in reasons) + "."


def _mine(section: str = "") -> HttpResponse:
    return redirect(reverse("privacy:mine") + (f"#{section}" if section else ""))


def _page(
    request: AuthedRequest,
    *,
    erase_form: ConfirmErasureForm | None = None,
    limit_form: LimitForm | None = None,
    rectify_form: RectificationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    limits = list(processing_limit_list(user=user))
    disclosures = disclosure_list(subject=user)[:200]
    return render(
        request,
        "privacy/person/mine.html",
        {
            "section": "privacy",
            "export_hours": settings.PRIVACY_EXPORT_HOURS,
            "exports": selectors.export_archive_list(user=user)[:5],
            "export_pending": selectors.export_pending(user=user),
            # Each with when it ends; shown by the erase form and by an open erasure request.
            "blockers": erasure_blocker_list(user=user),
            "erase_form": erase_form or ConfirmErasureForm(auto_id="erase-%s"),
            "disclosures": [
                DisclosureRow(
                    recipient=item.recipient,
                    recipient_kind=item.get_recipient_kind_display(),
                    fields=selectors.disclosed_field_labels(item.fields),
                    purpose=_purpose_label(item.purpose),
                    legal_basis=_basis_label(item.legal_basis),
                    reference=item.reference,
                    created_at=item.created_at,
                )
                for item in disclosures
            ],
            "limits": [
                LimitRow(
                    code=item.purpose,
                    purpose=_purpose_label(item.purpose),
                    kind=item.get_kind_display(),
                    reason=item.reason,
                    created_at=item.created_at,
                )
                for item in limits
            ],
            "limit_form": limit_form
            or LimitForm(auto_id="limit-%s", limited={item.purpose for item in limits}),
            "requests": selectors.data_request_list(user=user)[:20],
            "rectify_form": rectify_form or RectificationForm(auto_id="rectify-%s"),
            "consents": _consents(user),
        },
        status=status,
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
@reauthenticated
def mine_export(request: AuthedRequest) -> HttpResponse:
    """Queue a copy of the person's data; the download link arrives by email (RIGHT-1)."""
    user = request.user
    if selectors.export_pending(user=user):
        messages.info(request, "A copy of your data is already being prepared.")
        return _mine("download")
    export_request(user=user)
    messages.success(
        request,
        f"We are preparing a copy of your data and will email a download link to {user.email}.",
    )
    return _mine("download")


@login_required
@require_POST
@reauthenticated
def mine_erase(request: AuthedRequest) -> HttpResponse:
    """Erase the account and its data at once, or as soon as nothing stands in the way."""
    user = request.user
    form = ConfirmErasureForm(request.POST, auto_id="erase-%s")
    if not form.is_valid():
        return _page(request, erase_form=form, status=400)
    try:
        outcome = account_erasure_request(user=user)
    except ErasureAlreadyAsked as already:
        messages.info(request, str(already))
        return _mine("erase")
    except RequestError as error:
        form.add_error(None, str(error))
        return _page(request, erase_form=form, status=400)
    data_request = outcome.request
    if outcome.state == "erased":
        logout(request)
        return redirect(f"{reverse('privacy:erased')}?ref={data_request.reference}")
    if outcome.state == "postponed":
        messages.info(
            request,
            "Your account will be erased as soon as this is settled: "
            f"{_sentence(outcome.blockers)} Your request {data_request.reference} stays open "
            "until then.",
        )
    else:
        messages.error(
            request,
            f"Your data could not be erased yet. Your request {data_request.reference} is "
            "recorded and the erasure will be tried again; we will email you when it is done.",
        )
    return _mine("erase")


@login_required
@require_POST
def mine_limit(request: AuthedRequest) -> HttpResponse:
    """Restrict or object to one use of the person's data (CONSENT-7)."""
    user = request.user
    limited = {item.purpose for item in processing_limit_list(user=user)}
    form = LimitForm(request.POST, auto_id="limit-%s", limited=limited)
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        try:
            processing_limit_set(
                user=user,
                purpose=purpose,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except LimitRefused as error:
            form.add_error("purpose", str(error))
        else:
            messages.success(request, f"“{purpose.description}” is stopped for you.")
            return _mine("limits")
    return _page(request, limit_form=form, status=400)


@login_required
@require_POST
def mine_lift(request: AuthedRequest) -> HttpResponse:
    purpose = BY_CODE.get(str(request.POST.get("purpose", "")))
    if purpose is None:
        messages.error(request, "Choose a use of your data to allow again.")
        return _mine("limits")
    if processing_limit_lift(user=request.user, purpose=purpose):
        messages.success(request, f"“{purpose.description}” is allowed again.")
    else:
        messages.info(request, f"“{purpose.description}” was not stopped.")
    return _mine("limits")


@login_required
@require_POST
@reauthenticated
def mine_rectify(request: AuthedRequest) -> HttpResponse:
    """Ask for a correction the profile page cannot make (RIGHT-2)."""
    form = RectificationForm(request.POST, auto_id="rectify-%s")
    if form.is_valid():
        try:
            data_request = account_request_submit(
                user=request.user, kind=Kind.RECTIFICATION, details=form.cleaned_data["details"]
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Your request {data_request.reference} is received. We answer by "
                f"{date_format(data_request.answer_by, 'j F Y')}.",
            )
            return _mine("requests")
    return _page(request, rectify_form=form, status=400)


# --- Consents and objections outside cookies (CONSENT-5, CONSENT-6) ---------------------------


@dataclass(frozen=True)
class ConsentsSection:
    recording_objected: bool
    recording_since: dt.datetime | None
    recording_by_support: bool
    biometric_given: bool
    biometric_since: dt.datetime | None
    biometric_text: str
    biometric_version: str
    identity_methods: list[str]


def _consents(user: Any) -> ConsentsSection:
    recording = personal_consent_latest(user=user, kind=RECORDING_OBJECTION)
    biometric = personal_consent_latest(user=user, kind=BIOMETRIC)
    objected = recording is not None and recording.given
    given = biometric_check_allowed(user=user)
    return ConsentsSection(
        recording_objected=objected,
        recording_since=recording.created_at if recording and objected else None,
        recording_by_support=bool(recording and objected and recording.recorded_by_id),
        biometric_given=given,
        biometric_since=biometric.created_at if biometric and given else None,
        biometric_text=BIOMETRIC_TEXT,
        biometric_version=BIOMETRIC_TEXT_VERSION,
        identity_methods=identity_check_methods(user=user),
    )


@login_required
@require_POST
def mine_recording(request: AuthedRequest) -> HttpResponse:
    """Object to the recording of calls and chats with customer service, or lift it."""
    choice = str(request.POST.get("recording", ""))
    if choice not in ("object", "allow"):
        messages.error(request, "Choose whether your calls and chats may be recorded.")
        return _page(request, status=400)
    personal_consent_record(
        user=request.user,
        kind=RECORDING_OBJECTION,
        given=choice == "object",
        method=METHOD_PROFILE,
    )
    if choice == "object":
        messages.success(request, "Your calls and chats with customer service are not recorded.")
    else:
        messages.success(request, "Your calls and chats with customer service may be recorded.")
    return _mine("consents")


@login_required
@require_POST
def mine_biometric(request: AuthedRequest) -> HttpResponse:
    """Give consent to facial biometric checks by an explicit action, or withdraw it."""
    decision = str(request.POST.get("decision", ""))
    if decision == "withdraw":
        personal_consent_record(
            user=request.user, kind=BIOMETRIC, given=False, method=METHOD_PROFILE
        )
        messages.success(
            request, "Your consent is withdrawn: identity checks use a document reviewed by staff."
        )
        return _mine("consents")
    if decision != "give":
        messages.error(request, "Choose to give or to withdraw your consent.")
        return _page(request, status=400)
    if request.POST.get("agree") != "on":
        messages.error(request, "Tick the box to show that you agree to the text above.")
        return _page(request, status=400)
    try:
        personal_consent_record(
            user=request.user,
            kind=BIOMETRIC,
            given=True,
            method=METHOD_PROFILE,
            text_version=str(request.POST.get("text_version", "")),
        )
    except ConsentError as error:
        messages.error(request, str(error))
        return _page(request, status=400)
    messages.success(request, "Your consent to facial biometric checks is recorded.")
    return _mine("consents")
