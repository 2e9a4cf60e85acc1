"""Check files attached to claims and messages by what they contain, not what they are called.

Accepted: JPEG, PNG and PDF; and, where ``allow_video`` (a video of the device, a live
selfie), MP4, QuickTime and WebM. The type is read from the first bytes:

======================  ===============================  ====================
type                    first bytes                      largest accepted
======================  ===============================  ====================
JPEG                    ``FF D8 FF``                     ``SUPPORT_ATTACHMENT_MAX_BYTES``
PNG                     ``89 50 4E 47 0D 0A 1A 0A``      ``SUPPORT_ATTACHMENT_MAX_BYTES``
PDF                     ``%PDF-``                        ``SUPPORT_ATTACHMENT_MAX_BYTES``
MP4 / QuickTime         an ``ftyp`` box at offset 4      ``SUPPORT_VIDEO_MAX_BYTES``
WebM                    ``1A 45 DF A3`` (EBML, webm)     ``SUPPORT_VIDEO_MAX_BYTES``
======================  ===============================  ====================

Photos are decoded and encoded again with Pillow: what is stored has no metadata (EXIF
with its GPS position and device serial, XMP, comments) and nothing appended after the
image (the second half of a polyglot file); a file Pillow cannot decode is refused. The
photo is turned upright first, as its EXIF orientation said. PDFs and videos are kept as
sent: they are only shown to the parties of the claim and staff, as downloads.
"""

from __future__ import annotations

import contextlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import IO, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["CheckedFile", "attachment_check"]

SAFE_NAME_MAX = 80
# Larger photos are refused rather than decoded (a small file can unpack to gigabytes).
MAX_IMAGE_PIXELS: Final = 50_000_000
JPEG_QUALITY = 90


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An accepted attachment: its type, extension (no dot), size and a name safe to show.

    ``content`` is what to store: a photo re-encoded without metadata, other files as
    sent. ``size`` is the length of ``content``.
    """

    content_type: str
    extension: str
    size: int
    safe_name: str
    content: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class _Kind:
    content_type: str
    extension: str
    aliases: tuple[str, ...]
    video: bool = False
    image_format: str = ""


JPEG = _Kind("image/jpeg", "jpg", ("jpg", "jpeg", "jpe", "jfif"), image_format="JPEG")
PNG = _Kind("image/png", "png", ("png",), image_format="PNG")
PDF = _Kind("application/pdf", "pdf", ("pdf",))
MP4 = _Kind("video/mp4", "mp4", ("mp4", "m4v"), video=True)
QUICKTIME = _Kind("video/quicktime", "mov", ("mov", "qt"), video=True)
WEBM = _Kind("video/webm", "webm", ("webm",), video=True)


def _sniff(head: bytes) -> _Kind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp":
        return QUICKTIME if head[8:12] == b"qt  " else MP4
    # Matroska shares WebM's EBML header; only WebM names itself "webm" in the header.
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return WEBM
    return None


def _read(content: bytes | IO[bytes] | File[bytes], limit: int) -> bytes:
    """Return at most ``limit`` bytes of ``content``, from its start."""
    if isinstance(content, bytes | bytearray | memoryview):
        return bytes(content[:limit])
    if hasattr(content, "seek"):
        # A stream that cannot rewind is read from where it stands.
        with contextlib.suppress(OSError, ValueError):
            content.seek(0)
    data = content.read(limit)
    return data if isinstance(data, bytes) else bytes(data or b"")


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value.is_integer() else f"{value:.1f} MB"


def _display(name: str) -> str:
    shown = re.split(r"[\\/]", name)[-1].strip() or "This file"
    return shown if len(shown) <= SAFE_NAME_MAX else shown[: SAFE_NAME_MAX - 1] + "…"


def safe_name(name: str, extension: str, aliases: tuple[str, ...] = ()) -> str:
    """Return ``name`` as an ASCII file name without path, ending in the content's extension.

    An extension the content does not have is replaced (``invoice.jpg`` holding a PDF
    becomes ``invoice.pdf``); other dots become ``_`` so no second extension remains
    (``photo.php.jpg`` becomes ``photo_php.jpg``).
    """
    base = re.split(r"[\\/]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, given = ascii_name.rpartition(".")
    if not dot:
        stem, given = ascii_name, ""
    given = given.lower()
    if given not in aliases:
        if not re.fullmatch(r"[a-z0-9]{1,5}", given) or not stem:
            # Not an extension at all: part of the name.
            stem = f"{stem}.{given}" if stem and given else stem or given
        given = extension
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-") or "attachment"
    return f"{stem[: SAFE_NAME_MAX - len(given) - 1]}.{given}"


def _reencode(data: bytes, kind: _Kind, shown: str) -> bytes:
    unreadable = ValidationError(
        f"{shown} cannot be read as an image: it may be damaged. Send the photo again.",
        code="corrupt_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind.image_format]) as probe:
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[kind.image_format]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        f"{shown} has too many pixels ({width} x {height}); send a smaller photo.",
                        code="too_many_pixels",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                icc_profile = image.info.get("icc_profile")
                out = io.BytesIO()
                if kind is JPEG:
                    if upright.mode not in ("L", "RGB", "CMYK"):
                        upright = upright.convert("RGB")
                    upright.save(out, "JPEG", quality=JPEG_QUALITY, icc_profile=icc_profile)
                else:
                    upright.save(out, "PNG", icc_profile=icc_profile)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as error:
        raise unreadable from error
    return out.getvalue()


def attachment_check(
    *, name: str, content: bytes | IO[bytes] | File[bytes], allow_video: bool = False
) -> CheckedFile:
    """Accept an attachment by its content, or raise ``ValidationError`` with the reason.

    ``name`` is the name the sender's device gave; ``content`` the bytes or a file (an
    ``UploadedFile`` too), read from its start. Rules: module docstring.
    """
    image_max = int(settings.SUPPORT_ATTACHMENT_MAX_BYTES)
    video_max = int(settings.SUPPORT_VIDEO_MAX_BYTES)
    largest = max(image_max, video_max) if allow_video else image_max
    data = _read(content, largest + 1)
    shown = _display(name)
    if not data:
        raise ValidationError(f"{shown} is empty.", code="empty")
    kind = _sniff(data[:64])
    if kind is None or (kind.video and not allow_video):
        accepted = (
            "a JPEG, PNG, PDF, MP4, MOV or WebM file"
            if allow_video
            else ("a JPEG, PNG or PDF file")
        )
        raise ValidationError(f"{shown} is not {accepted}.", code="file_type")
    limit = video_max if kind.video else image_max
    if len(data) > limit:
        what = "videos" if kind.video else "files"
        raise ValidationError(
            f"{shown} is larger than {_megabytes(limit)}, the most accepted for {what}.",
            code="too_large",
        )
    if kind.image_format:
        data = _reencode(data, kind, shown)
    return CheckedFile(
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(data),
        safe_name=safe_name(name, kind.extension, kind.aliases),
        content=data,
    )
