"""Throw-away file storage for tests that write uploads, exports or sealed files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

QUICK_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def throwaway_storage(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Point media and private storage at new folders under ``tmp_path``; return them.

    Passwords are hashed quickly too: these tests make people, and none is about hashing.
    """
    media, private = tmp_path / "media", tmp_path / "private"
    media.mkdir()
    private.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private)},
        },
    }
    settings.PASSWORD_HASHERS = QUICK_HASHERS
    return {"media": media, "private": private}
