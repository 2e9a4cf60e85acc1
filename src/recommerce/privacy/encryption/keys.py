"""Key material for encryption at rest: loaded once, from settings or from files in ``var/``.

``ENCRYPTION_KEYS`` (Fernet keys, newest first) and ``BLIND_INDEX_KEY`` win when set, as in
production where they come from the environment or a KMS. When they are empty the keys live
in ``VAR_DIR / "encryption_keys"`` and ``VAR_DIR / "blind_index_key"``, made on first use
with owner-only permissions, so the embedded install works with nothing configured.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

KEYS_FILE = "encryption_keys"
BLIND_INDEX_KEY_FILE = "blind_index_key"
# A shorter key would let whoever reads the database guess low-entropy values (an SSN has
# about 30 bits) by recomputing the index for every candidate.
BLIND_INDEX_KEY_MIN_LENGTH = 32
_SETTINGS = frozenset({"ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "VAR_DIR"})


@dataclass(frozen=True, slots=True)
class Keyring:
    """The loaded encryption keys: ``primary`` is the newest, which encrypts."""

    multi: MultiFernet
    primary: Fernet
    count: int


_lock = threading.Lock()
_keyring: Keyring | None = None
_blind_index_key: bytes | None = None


def reset_keys() -> None:
    """Forget the loaded keys, so the next use reads settings and key files again."""
    global _keyring, _blind_index_key
    with _lock:
        _keyring = None
        _blind_index_key = None


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    # override_settings in tests (and any runtime reconfiguration) must not keep old keys.
    if setting in _SETTINGS:
        reset_keys()


def keyring() -> Keyring:
    """Return the encryption keys, loading them on first use."""
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = _load_keyring()
    return _keyring


def blind_index_key() -> bytes:
    """Return the blind-index key, loading it on first use."""
    global _blind_index_key
    if _blind_index_key is None:
        with _lock:
            if _blind_index_key is None:
                _blind_index_key = _load_blind_index_key()
    return _blind_index_key


def _load_keyring() -> Keyring:
    configured: list[str] = list(settings.ENCRYPTION_KEYS)
    if configured:
        keys, origin = configured, "ENCRYPTION_KEYS"
    else:
        path = Path(settings.VAR_DIR) / KEYS_FILE
        keys, origin = _read_or_create(path, lambda: Fernet.generate_key().decode()), str(path)
    if not keys:
        raise ImproperlyConfigured(f"{origin} holds no encryption key.")
    fernets = [_fernet(key, number=n, origin=origin) for n, key in enumerate(keys, start=1)]
    return Keyring(multi=MultiFernet(fernets), primary=fernets[0], count=len(fernets))


def _fernet(key: str, *, number: int, origin: str) -> Fernet:
    try:
        return Fernet(key.strip())
    except (ValueError, TypeError):
        # "from None": the failed key must not reach logs through the exception chain.
        raise ImproperlyConfigured(
            f"Key {number} of {origin} is not a Fernet key (32 url-safe base64-encoded bytes); "
            'make one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())"'
        ) from None


def _load_blind_index_key() -> bytes:
    configured: str = settings.BLIND_INDEX_KEY
    if configured:
        key, origin = configured, "BLIND_INDEX_KEY"
    else:
        path = Path(settings.VAR_DIR) / BLIND_INDEX_KEY_FILE
        lines = _read_or_create(path, lambda: secrets.token_urlsafe(32))
        key, origin = (lines[0] if lines else ""), str(path)
    if len(key) < BLIND_INDEX_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{origin} must hold a random key of at least {BLIND_INDEX_KEY_MIN_LENGTH} characters."
        )
    return key.encode()


def _read_or_create(path: Path, make: Callable[[], str]) -> list[str]:
    """Return the non-blank, non-comment lines of ``path``, creating it with ``make()``."""
    if not path.exists():
        _create_secret_file(path, make())
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _create_secret_file(path: Path, content: str) -> None:
    """Write a new owner-only file, unless another process has just made one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp opens with mode 0o600; linking the finished file into place is atomic and never
    # replaces an existing file, so two processes starting together agree on one key.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        with contextlib.suppress(FileExistsError):  # the other process's key wins
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
