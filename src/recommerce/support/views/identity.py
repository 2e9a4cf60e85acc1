"""After-sales pages: identity checks of claims (COLLECT-8, CONSENT-5).

The person's page offers two routes side by side: documents reviewed by staff (always) and
a live check, behind the biometric consent text with explicit accept and decline buttons.
Every check is read through the signed-in person's own checks, so another person's id
answers 404. Staff open evidence only through a view that logs the look; files leave as
downloads, never inline.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from recommerce.accounts.views.common import AuthedRequest
from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.providers import ProviderError
from recommerce.platform.staff import staff_only
from recommerce.privacy.services.logs import staff_access_record
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC_TEXT,
    BIOMETRIC_TEXT_VERSION,
    biometric_check_allowed,
)
from recommerce.support.models import Claim, IdentityCheck
from recommerce.support.selectors import identity as selectors
from recommerce.support.services import identity as services
from recommerce.support.services.common import DECIDE_PERMISSION

EVIDENCE = services.EVIDENCE_PERMISSION
# The identity service's signature header (Stripe's scheme: ``t=…,v1=…``).
SIGNATURE_HEADER = "Identity-Signature"
SAFE_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def _text(error: ValidationError | PermissionError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


# --- Forms -----------------------------------------------------------------------------------


class DocumentsForm(SafeTextMixin, forms.Form):
    identity_document = forms.FileField(
        label="Identity document",
        help_text="A photo or scan of your passport, identity card or driving licence "
        "(JPEG, PNG or PDF).",
    )
    proof_of_address = forms.FileField(
        label="Proof of address",
        required=False,
        help_text="A recent bill or statement showing your name and address.",
    )
    declaration = forms.FileField(
        label="Signed declaration of non-receipt",
        required=False,
        help_text="A signed statement that the parcel never reached you (a PDF or a photo).",
    )

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if claim.kind != Claim.Kind.NOT_RECEIVED:
            del self.fields["declaration"]
        else:
            self.fields["proof_of_address"].required = True
            self.fields["declaration"].required = True


class DecisionForm(SafeTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("pass", "Identity confirmed"), ("fail", "Identity not confirmed")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note to the person",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the identity is not confirmed.",
    )


class AskForm(SafeTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why the check is needed",
        max_length=200,
        help_text="Shown to the person in the email and on their page.",
    )


# --- The person's pages ----------------------------------------------------------------------


def _own(request: AuthedRequest, check_id: int) -> IdentityCheck:
    check = selectors.identity_check_for_person(user=request.user, check_id=check_id)
    if check is None:
        raise Http404("No such identity check.")
    return check


def _page(
    request: AuthedRequest,
    check: IdentityCheck,
    *,
    form: DocumentsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    waiting = check.status == IdentityCheck.Status.REQUESTED and (
        check.claim.status != Claim.Status.CLOSED
    )
    context = {
        "check": check,
        "claim": check.claim,
        "waiting": waiting,
        "form": form or DocumentsForm(claim=check.claim),
        "biometric_allowed": biometric_check_allowed(user=request.user),
        "biometric_text": BIOMETRIC_TEXT,
        "biometric_version": BIOMETRIC_TEXT_VERSION,
        "declined": request.GET.get("declined") == "1",
        "evidence_days": settings.SUPPORT_IDENTITY_EVIDENCE_DAYS,
        "reasons": services.identity_reasons_text(check),
        "section": "claims",
    }
    return render(request, "support/identity/check.html", context, status=status)


@login_required
def identity_check(request: AuthedRequest, check_id: int) -> HttpResponse:
    return _page(request, _own(request, check_id))


@login_required
@require_POST
def identity_documents(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = _own(request, check_id)
    form = DocumentsForm(request.POST, request.FILES, claim=check.claim)
    if not form.is_valid():
        return _page(request, check, form=form, status=400)
    try:
        services.identity_documents_submit(
            check=check,
            actor=request.user,
            identity_document=form.cleaned_data["identity_document"],
            proof_of_address=form.cleaned_data.get("proof_of_address"),
            declaration=form.cleaned_data.get("declaration"),
        )
    except (ValidationError, PermissionError) as error:
        form.add_error(None, _text(error))
        return _page(request, check, form=form, status=400)
    messages.success(request, "Thank you. Our team reviews your documents and will email you.")
    return redirect("support:identity_check", check_id=check.pk)


@login_required
@require_POST
def identity_consent(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = _own(request, check_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, "Choose whether you accept the live check.")
        return redirect("support:identity_check", check_id=check.pk)
    try:
        services.identity_biometric_consent(
            check=check,
            actor=request.user,
            accepted=answer == "accept",
            text_version=request.POST.get("text_version", ""),
        )
    except (ValidationError, PermissionError, ValueError) as error:
        messages.error(
            request, str(error) if not isinstance(error, ValidationError) else _text(error)
        )
        return redirect("support:identity_check", check_id=check.pk)
    if answer == "decline":
        messages.info(request, "No live check: you can still send documents, reviewed by our team.")
        return HttpResponseRedirect(
            reverse("support:identity_check", kwargs={"check_id": check.pk}) + "?declined=1"
        )
    messages.success(request, "Thank you. You can now start the live check.")
    return redirect("support:identity_check", check_id=check.pk)


@login_required
@require_POST
def identity_live_start(request: AuthedRequest, check_id: int) -> HttpResponse:
    check = _own(request, check_id)
    back = request.build_absolute_uri(
        reverse("support:identity_check", kwargs={"check_id": check.pk})
    )
    try:
        url = services.identity_biometric_start(check=check, actor=request.user, return_url=back)
    except (ValidationError, PermissionError) as error:
        messages.error(request, _text(error))
        return redirect("support:identity_check", check_id=check.pk)
    except ProviderError:
        messages.error(
            request,
            "The identity-verification service cannot be reached now. Try again later, "
            "or send documents instead.",
        )
        return redirect("support:identity_check", check_id=check.pk)
    return HttpResponseRedirect(services.identity_hosted_url(check=check, url=url))


class SandboxLiveForm(SafeTextMixin, forms.Form):
    document = forms.FileField(label="Photo of your identity document")
    video = forms.FileField(
        label="Short selfie video",
        help_text="A few seconds, turning your head slowly (MP4 or WebM).",
        widget=forms.ClearableFileInput(attrs={"accept": "video/*", "capture": "user"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def identity_live(request: AuthedRequest, check_id: int) -> HttpResponse:
    """Stand for the service's hosted page (sandbox only): send a document and a video."""
    check = _own(request, check_id)
    verifier = services.identity_verifier()
    if not hasattr(verifier, "sandbox_submit") or not hasattr(verifier, "sandbox_deliver"):
        raise Http404("The sandbox identity service is not in use.")
    if check.method != IdentityCheck.Method.BIOMETRIC or not check.provider_session:
        raise Http404("No live check was started for this identity check.")
    if check.status != IdentityCheck.Status.REQUESTED:
        return redirect("support:identity_check", check_id=check.pk)
    form = SandboxLiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document, video = form.cleaned_data["document"], form.cleaned_data["video"]
        try:
            # The files go to the service only (read for their presence); none is stored.
            verifier.sandbox_submit(
                session_id=check.provider_session,
                document_name=str(document.name or ""),
                document=document.read(),
                video=video.read(),
            )
        except ProviderError as error:
            form.add_error(None, str(error))
        else:
            verifier.sandbox_deliver(_deliver)
            return redirect("support:identity_check", check_id=check.pk)
    return render(
        request,
        "support/identity/live_sandbox.html",
        {"check": check, "form": form},
        status=400 if form.errors else 200,
    )


def _deliver(payload: bytes, signature: str) -> None:
    services.identity_webhook_handle(payload=payload, signature=signature)


@csrf_exempt  # Posted by the identity-verification service, which signs each notification.
@require_POST
def identity_webhook(request: HttpRequest) -> JsonResponse:
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"error": "The notification is too large."}, status=413)
    # The sandbox signs in its own header; Stripe Identity in Stripe's.
    signature = request.headers.get(SIGNATURE_HEADER) or request.headers.get("Stripe-Signature", "")
    try:
        check = services.identity_webhook_handle(payload=body, signature=signature)
    except services.WebhookRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"received": True, "matched": check is not None})


# --- Staff pages -----------------------------------------------------------------------------


@staff_only(EVIDENCE)
def staff_queue(request: HttpRequest) -> HttpResponse:
    can_decide = request.user.has_perm(DECIDE_PERMISSION)
    context = {
        "waiting": list(selectors.identity_checks_waiting()[:200]) if can_decide else [],
        "flagged": list(selectors.claims_flagged_for_identity()[:200]),
        "can_decide": can_decide,
    }
    return render(request, "support/identity/staff_queue.html", context)


def _staff_check(check_id: int) -> IdentityCheck:
    check = selectors.identity_check_for_staff(check_id=check_id)
    if check is None:
        raise Http404("No such identity check.")
    return check


@staff_only(EVIDENCE)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, check_id: int) -> HttpResponse:
    check = _staff_check(check_id)
    can_decide = request.user.has_perm(DECIDE_PERMISSION)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.identity_decide(
                    check=check,
                    actor=request.user,
                    passed=form.cleaned_data["decision"] == "pass",
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionError) as error:
                form.add_error(None, _text(error))
            else:
                messages.success(request, "The decision is recorded and the person told.")
                return redirect("staff_support:identity_detail", check_id=check.pk)
        status = 400
    staff_access_record(
        staff=request.user,
        subject=check.person,
        what=f"identity check of claim {check.claim.reference}",
        path=request.path,
    )
    context = {
        "check": check,
        "claim": check.claim,
        "evidence": selectors.identity_evidence_list(check=check),
        "form": form,
        "can_decide": can_decide and check.status == IdentityCheck.Status.SUBMITTED,
    }
    return render(request, "support/identity/staff_detail.html", context, status=status)


@staff_only(EVIDENCE)
def staff_evidence(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """Serve one evidence file as a download (never inline); the look is logged."""
    evidence = selectors.identity_evidence_for_staff(evidence_id=evidence_id)
    if evidence is None:
        raise Http404("No such file.")
    try:
        content = services.identity_evidence_open(evidence=evidence, staff=request.user)
    except PermissionError:
        raise PermissionDenied from None
    suffix = SAFE_TYPES.get(evidence.content_type, "")
    kind = evidence.content_type if suffix else "application/octet-stream"
    response = HttpResponse(content, content_type=kind)
    name = f"{evidence.identity_check.claim.reference}-{evidence.kind}{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@staff_only(DECIDE_PERMISSION)
@require_http_methods(["GET", "POST"])
def staff_ask(request: HttpRequest, reference: str) -> HttpResponse:
    claim = selectors.claim_for_staff(reference=reference)
    if claim is None:
        raise Http404("No such claim.")
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.identity_check_request(
                claim=claim, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionError) as error:
            form.add_error(None, _text(error))
        else:
            messages.success(request, "The person is asked to confirm their identity.")
            return redirect("staff_support:identity_detail", check_id=check.pk)
    context = {"claim": claim, "form": form, "value": services.claim_value_minor(claim)}
    status = 400 if form.errors else 200
    return render(request, "support/identity/staff_ask.html", context, status=status)


buyer_patterns: list[URLPattern] = [
    path("identity/webhook/", identity_webhook, name="identity_webhook"),
    path("identity/<int:check_id>/", identity_check, name="identity_check"),
    path("identity/<int:check_id>/documents/", identity_documents, name="identity_documents"),
    path("identity/<int:check_id>/consent/", identity_consent, name="identity_consent"),
    path("identity/<int:check_id>/live/start/", identity_live_start, name="identity_live_start"),
    path("identity/<int:check_id>/live/", identity_live, name="identity_live"),
]
seller_patterns: list[URLPattern] = []
staff_patterns: list[URLPattern] = [
    path("identity/", staff_queue, name="identity_queue"),
    path("identity/<int:check_id>/", staff_detail, name="identity_detail"),
    path("identity/evidence/<int:evidence_id>/", staff_evidence, name="identity_evidence"),
    path("identity/ask/<str:reference>/", staff_ask, name="identity_ask"),
]
