"""Order pages: the buyer's (``buyer``), the seller's (``seller``) and staff's (``staff``)."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Serve a private PDF as a download that no cache keeps."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
