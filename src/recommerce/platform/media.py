"""Public uploads (catalog pictures) served by Django, and nothing else under ``/media/``.

Only files in the folders of ``PUBLIC_FOLDERS`` are served, under names made of safe
characters and ending in a picture's extension. Anything else is a 404, including every
spelling that a server or a file system might normalise into another folder (``//``,
``%2F``, ``..``, ``%2e%2e``, another case). Private files are not under ``MEDIA_ROOT`` at
all: they live in the ``private`` storage and are handed out by views that check who asks
(ADR 0013).
"""

from __future__ import annotations

import os
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

PUBLIC_FOLDERS = frozenset({"catalog"})
# Lower case, no leading dot, no empty part: "..", "//" and case games cannot pass.
SEGMENT = re.compile(r"\A[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*\Z")
MAX_DEPTH, MAX_LENGTH = 4, 255
PICTURES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
# A picture opened on its own (an SVG can hold a script) runs nothing and loads nothing.
PICTURE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
MAX_AGE = 3600


@require_safe
def public_media(request: HttpRequest, name: str) -> FileResponse:
    """Serve one public picture, or 404 for any other path."""
    parts = name.split("/")
    extension = os.path.splitext(parts[-1])[1]
    if (
        not 2 <= len(parts) <= MAX_DEPTH
        or len(name) > MAX_LENGTH
        or parts[0] not in PUBLIC_FOLDERS
        or not all(SEGMENT.match(part) for part in parts)
        or extension not in PICTURES
        or not _inside(name, parts[0])
    ):
        raise Http404("No such file.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=PICTURES[extension])
    response["Content-Security-Policy"] = PICTURE_POLICY
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _inside(stored: str, folder: str) -> bool:
    """Tell whether the file really lies in the folder (no link leads out of it)."""
    try:
        path, root = default_storage.path(stored), default_storage.path(folder)
    except NotImplementedError:  # object storage: names are keys, nothing to follow
        return True
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real.startswith(real_root + os.sep) and os.path.isfile(real)
