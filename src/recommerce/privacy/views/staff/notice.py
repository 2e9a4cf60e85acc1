"""The data-protection officer's notice tools: preview and publish the notice (NOTICE-2),
and export the record of processing activities as CSV or JSON."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from recommerce.platform.forms import SafeTextMixin
from recommerce.platform.staff import staff_only
from recommerce.privacy import selectors
from recommerce.privacy.notice.diff import notice_diff
from recommerce.privacy.notice.ropa import ropa_csv, ropa_json
from recommerce.privacy.notice.selectors import notice_version_list
from recommerce.privacy.services.notice import (
    SUMMARY_MAX,
    NoticeError,
    notice_generate,
    notice_publish,
)
from recommerce.privacy.views.staff.common import HANDLE

PUBLISH = "privacy.publish_notice"
DIFF_LINES = 300


class PublishForm(SafeTextMixin, forms.Form):
    summary = forms.CharField(
        label="What changed",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines for the email and the list of versions, in plain words.",
    )


@staff_only(PUBLISH)
@require_http_methods(["GET", "HEAD", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    """Show what the generated notice changes against the version in force; publish it."""
    form = PublishForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = notice_publish(actor=request.user, summary=form.cleaned_data["summary"])
            except NoticeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Version {version.version} is published.")
                return redirect("privacy_staff:notice")
        status = 400
    content_en, content_fr, digest = notice_generate()
    current = selectors.notice_version_current()
    changes = notice_diff(current.content_en if current else "", content_en)
    context = {
        "section": "notice",
        "form": form,
        "current": current,
        "changed": current is None or current.content_hash != digest,
        "changes": changes[:DIFF_LINES],
        "more_changes": max(0, len(changes) - DIFF_LINES),
        # The platform's own render of autoescaped templates.
        "preview_en": mark_safe(content_en),  # noqa: S308
        "preview_fr": mark_safe(content_fr),  # noqa: S308
        "versions": notice_version_list()[:20],
    }
    return render(request, "privacy/notice/staff.html", context, status=status)


def _attachment(body: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"record-of-processing-{timezone.localdate().isoformat()}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_only(HANDLE)
@require_safe
def ropa_csv_export(request: HttpRequest) -> HttpResponse:
    return _attachment(ropa_csv(), "text/csv; charset=utf-8", "csv")


@staff_only(HANDLE)
@require_safe
def ropa_json_export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(ropa_json(), indent=2, ensure_ascii=False)
    return _attachment(body, "application/json", "json")
