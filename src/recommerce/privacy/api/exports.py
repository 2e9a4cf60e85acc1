"""Download my data (RIGHT-1): ask for a copy, follow it, download it once.

The web emails a signed link; the app downloads with its session instead, after a
re-authentication minutes ago (a session left open must not be enough to take the data
away). The download is a POST: it spends the export, and a GET must stay safe to repeat
or prefetch. The emailed link keeps working too: whichever is used first spends it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Schema, Status
from ninja.errors import HttpError

from recommerce.platform.api import DENIED, NOT_FOUND, InvalidInput, Problem, RowId, one_of
from recommerce.platform.api_auth import REAUTHENTICATED, reauthentication_require
from recommerce.privacy import selectors
from recommerce.privacy.api.common import CONFLICT, person, person_router
from recommerce.privacy.models import ExportArchive
from recommerce.privacy.services.exports import (
    ExportNotFound,
    ExportNotReady,
    ExportUnavailable,
    export_request,
    export_take_own,
)

router = person_router()
LIST_LIMIT = 20
ZIP_ANSWER = {
    "description": "The ZIP archive: data.json (it validates against the schema published at "
    "/privacy/export-schema.json), CSV files, summary.html and the person's files.",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


class ExportOut(Schema):
    id: int
    status: str = one_of(ExportArchive.Status)
    status_label: str
    created_at: dt.datetime
    ready_at: dt.datetime | None
    expires_at: dt.datetime | None
    downloaded_at: dt.datetime | None
    size: int
    download_url: str | None = None


def _export_out(archive: ExportArchive) -> dict[str, Any]:
    ready = archive.status == ExportArchive.Status.READY
    return {
        "id": archive.pk,
        "status": archive.status,
        "status_label": archive.get_status_display(),
        "created_at": archive.created_at,
        "ready_at": archive.ready_at,
        "expires_at": archive.expires_at,
        "downloaded_at": archive.downloaded_at,
        "size": archive.size,
        "download_url": reverse("api-v1:export_download", kwargs={"export_id": archive.pk})
        if ready
        else None,
    }


@router.get(
    "/me/privacy/exports",
    response={200: list[ExportOut], **DENIED},
    summary="My data exports, newest first",
)
def export_list(request: HttpRequest) -> list[dict[str, Any]]:
    archives = selectors.export_archive_list(user=person(request))[:LIST_LIMIT]
    return [_export_out(archive) for archive in archives]


@router.post(
    "/me/privacy/exports",
    response={202: ExportOut, **REAUTHENTICATED, **CONFLICT},
    summary="Ask for a copy of my data",
)
def export_create(request: HttpRequest) -> Status[dict[str, Any]]:
    """Queue a copy of my data; it is prepared in the background (RIGHT-1).

    Follow it with the export's own operation; once ready it can be downloaded once, here
    or from the link emailed to the account's address. 409 while one is being prepared.
    """
    reauthentication_require(request)
    user = person(request)
    if selectors.export_pending(user=user):
        raise HttpError(409, "A copy of your data is already being prepared.")
    archive = export_request(user=user)
    return Status(202, _export_out(archive))


@router.get(
    "/me/privacy/exports/{export_id}",
    response={200: ExportOut, **NOT_FOUND, **DENIED, 422: InvalidInput},
    summary="One of my data exports",
)
def export_detail(request: HttpRequest, export_id: RowId) -> dict[str, Any]:
    archive = selectors.export_archive_get(user=person(request), archive_id=export_id)
    if archive is None:
        raise HttpError(404, "You have no export with this number.")
    return _export_out(archive)


@router.post(
    "/me/privacy/exports/{export_id}/download",
    response={
        200: None,
        **NOT_FOUND,
        **REAUTHENTICATED,
        **CONFLICT,
        410: Problem,
        422: InvalidInput,
    },
    openapi_extra={"responses": {200: ZIP_ANSWER}},
    summary="Download my data, once",
)
def export_download(request: HttpRequest, export_id: RowId) -> HttpResponse:
    """Hand the export out once, then delete it (RIGHT-1).

    409 while it is being prepared; 410 once downloaded, expired or failed (ask for a new
    one); 422 for a number that is not one.
    """
    reauthentication_require(request)
    try:
        _archive, content = export_take_own(user=person(request), archive_id=export_id)
    except ExportNotFound as error:
        raise HttpError(404, str(error)) from error
    except ExportNotReady as error:
        raise HttpError(409, str(error)) from error
    except ExportUnavailable as error:
        raise HttpError(410, str(error)) from error
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="recommerce-data.zip"'
    response["Cache-Control"] = "no-store"
    return response
