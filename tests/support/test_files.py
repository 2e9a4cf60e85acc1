"""Attachments checked by content: real tiny files made here, metadata stripped from photos."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from recommerce.support.files import CheckedFile, attachment_check, safe_name

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 64
MKV = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
GPS_IFD = 0x8825


def image_bytes(
    kind: str, *, size: tuple[int, int] = (8, 6), exif: Image.Exif | None = None
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    options: dict[str, Any] = {"exif": exif} if exif is not None else {}
    image.save(out, kind, **options)
    return out.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0112] = 6  # Orientation: rotated 90° clockwise
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    return exif


# --- Accepted files -------------------------------------------------------------------------


def test_jpeg_is_accepted_and_reencoded() -> None:
    data = image_bytes("JPEG")

    checked = attachment_check(name="photo.JPG", content=data)

    assert (checked.content_type, checked.extension, checked.safe_name) == (
        "image/jpeg",
        "jpg",
        "photo.jpg",
    )
    assert checked.size == len(checked.content)
    assert checked.content.startswith(b"\xff\xd8\xff")
    with Image.open(io.BytesIO(checked.content)) as reopened:
        assert reopened.size == (8, 6)


def test_png_is_accepted() -> None:
    checked = attachment_check(name="screen.png", content=image_bytes("PNG"))

    assert (checked.content_type, checked.extension, checked.safe_name) == (
        "image/png",
        "png",
        "screen.png",
    )
    assert checked.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_pdf_is_kept_as_sent() -> None:
    checked = attachment_check(name="invoice.pdf", content=PDF)

    assert checked == CheckedFile(
        content_type="application/pdf",
        extension="pdf",
        size=len(PDF),
        safe_name="invoice.pdf",
        content=PDF,
    )


@pytest.mark.parametrize(
    ("data", "content_type", "extension", "name", "expected_name"),
    [
        (MP4, "video/mp4", "mp4", "unboxing.mp4", "unboxing.mp4"),
        (MOV, "video/quicktime", "mov", "IMG_0001.MOV", "IMG_0001.mov"),
        (WEBM, "video/webm", "webm", "clip.webm", "clip.webm"),
        (MP4, "video/mp4", "mp4", "clip.mov", "clip.mp4"),
    ],
)
def test_videos_where_allowed(
    data: bytes, content_type: str, extension: str, name: str, expected_name: str
) -> None:
    checked = attachment_check(name=name, content=data, allow_video=True)

    assert checked == CheckedFile(content_type, extension, len(data), expected_name, data)


def test_uploaded_file_is_read_from_its_start() -> None:
    upload = SimpleUploadedFile("doc.pdf", PDF, content_type="image/jpeg")
    upload.read(5)  # already read by a form: the check starts again at the beginning

    checked = attachment_check(name=upload.name or "", content=upload)

    assert checked.content == PDF
    assert checked.content_type == "application/pdf"  # not the type the browser claimed


# --- Names ----------------------------------------------------------------------------------


def test_a_pdf_named_jpg_gets_the_pdf_extension() -> None:
    checked = attachment_check(name="invoice.jpg", content=PDF)

    assert (checked.content_type, checked.safe_name) == ("application/pdf", "invoice.pdf")


@pytest.mark.parametrize(
    ("name", "extension", "aliases", "expected"),
    [
        ("../../etc/passwd.jpg", "jpg", ("jpg", "jpeg"), "passwd.jpg"),
        (
            "C:\\Users\\alice\\Photo de l'écran.jpeg",
            "jpg",
            ("jpg", "jpeg"),
            "Photo_de_l_ecran.jpeg",
        ),
        ("evil.php.jpg", "jpg", ("jpg",), "evil_php.jpg"),
        ("setup.exe", "jpg", ("jpg",), "setup.jpg"),
        ("photo", "png", ("png",), "photo.png"),
        ("", "pdf", ("pdf",), "attachment.pdf"),
        (".jpg", "jpg", ("jpg",), "attachment.jpg"),
        ("重要.pdf", "pdf", ("pdf",), "attachment.pdf"),
        ("report v2.final version", "pdf", ("pdf",), "report_v2_final_version.pdf"),
        ("a" * 200 + ".pdf", "pdf", ("pdf",), "a" * 76 + ".pdf"),
    ],
)
def test_safe_name(name: str, extension: str, aliases: tuple[str, ...], expected: str) -> None:
    result = safe_name(name, extension, aliases)

    assert result == expected
    assert result.isascii() and len(result) <= 80 and "/" not in result and "\\" not in result


# --- Refused files --------------------------------------------------------------------------


def refusal(**kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        attachment_check(**kwargs)
    return refused.value


def test_a_renamed_exe_is_refused() -> None:
    error = refusal(name="holiday.jpg", content=EXE)

    assert error.messages == ["holiday.jpg is not a JPEG, PNG or PDF file."]
    assert error.code == "file_type"


def test_video_refused_where_not_allowed() -> None:
    error = refusal(name="clip.mp4", content=MP4)

    assert error.messages == ["clip.mp4 is not a JPEG, PNG or PDF file."]


@pytest.mark.parametrize("data", [EXE, MKV, b"GIF89a" + b"\x00" * 40, b"<html></html>"])
def test_other_types_refused_where_videos_are_allowed(data: bytes) -> None:
    error = refusal(name="file.mp4", content=data, allow_video=True)

    assert error.messages == ["file.mp4 is not a JPEG, PNG, PDF, MP4, MOV or WebM file."]


def test_empty_file_is_refused() -> None:
    assert refusal(name="photo.jpg", content=b"").messages == ["photo.jpg is empty."]


def test_oversized_file_is_refused(settings: Any) -> None:
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1024 * 1024
    data = PDF + b"0" * (1024 * 1024)

    error = refusal(name="big.pdf", content=io.BytesIO(data))

    assert error.messages == ["big.pdf is larger than 1 MB, the most accepted for files."]
    assert error.code == "too_large"


def test_file_at_the_limit_is_accepted(settings: Any) -> None:
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1024
    data = PDF + b"0" * (1024 - len(PDF))

    assert attachment_check(name="edge.pdf", content=data).size == 1024


def test_video_limit_is_its_own(settings: Any) -> None:
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 100
    settings.SUPPORT_VIDEO_MAX_BYTES = 1024 * 1024
    video = MP4 + b"\x00" * 500

    assert attachment_check(name="clip.mp4", content=video, allow_video=True).size == len(video)
    error = refusal(name="clip.mp4", content=MP4 + b"\x00" * (1024 * 1024), allow_video=True)
    assert error.messages == ["clip.mp4 is larger than 1 MB, the most accepted for videos."]


def test_corrupt_jpeg_is_refused() -> None:
    data = image_bytes("JPEG")
    truncated = data[: len(data) // 2]

    error = refusal(name="photo.jpg", content=truncated)

    assert error.code == "corrupt_image"
    assert error.messages == [
        "photo.jpg cannot be read as an image: it may be damaged. Send the photo again."
    ]


def test_jpeg_header_on_a_script_is_refused() -> None:
    error = refusal(name="photo.jpg", content=b"\xff\xd8\xff<?php system($_GET['c']); ?>")

    assert error.code == "corrupt_image"


def test_polyglot_tail_is_dropped_by_reencoding() -> None:
    data = image_bytes("PNG") + b"<script>alert(1)</script>PK\x03\x04"

    checked = attachment_check(name="image.png", content=data)

    assert b"<script>" not in checked.content
    assert b"PK\x03\x04" not in checked.content


def test_too_many_pixels_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("recommerce.support.files.MAX_IMAGE_PIXELS", 100)

    error = refusal(name="huge.png", content=image_bytes("PNG", size=(20, 20)))

    assert error.messages == ["huge.png has too many pixels (20 x 20); send a smaller photo."]


# --- Metadata -------------------------------------------------------------------------------


def test_exif_gps_is_stripped_and_the_photo_turned_upright() -> None:
    data = image_bytes("JPEG", exif=exif_with_gps())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD)  # the positive control: GPS is there
        assert original.size == (8, 6)

    checked = attachment_check(name="photo.jpg", content=data)

    with Image.open(io.BytesIO(checked.content)) as cleaned:
        exif = cleaned.getexif()
        assert dict(exif) == {}
        assert exif.get_ifd(GPS_IFD) == {}
        assert "exif" not in cleaned.info
        assert cleaned.size == (6, 8)  # rotated as the orientation said
    assert b"PhoneMaker" not in checked.content
    assert b"Exif" not in checked.content


def test_png_text_chunks_are_stripped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken at 12 rue des Lilas")
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG", pnginfo=info)
    assert b"rue des Lilas" in out.getvalue()

    checked = attachment_check(name="screen.png", content=out.getvalue())

    assert b"rue des Lilas" not in checked.content
