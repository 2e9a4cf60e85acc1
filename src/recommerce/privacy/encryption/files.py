"""Files encrypted at rest with the key ring of the encrypted columns (SEC-1).

A sealed file is ``MAGIC`` followed by one Fernet token of the whole content, kept in the
``private`` storage, which no URL serves. ``SealedStorage`` encrypts on save and decrypts
on open, so a ``FileField(storage=sealed_storage)`` reads and writes like any other, and
only the views that check who asks hand a file out. ``files_rotate`` re-encrypts every
sealed file under the newest key, as ``column_rotate`` does for columns.

On a local disk a rewrite and a delete of the same file take an exclusive ``flock`` on it,
so a rotation never brings back a file deleted while it ran.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from recommerce.privacy.encryption.cipher import DecryptionError, needs_rotation, rotate
from recommerce.privacy.encryption.keys import keyring

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: rewrites are not locked against deletes
    fcntl = None  # type: ignore[assignment]

MAGIC = b"recommerce-sealed:1\n"
UNREADABLE_SAMPLE = 10


def seal_bytes(content: bytes) -> bytes:
    """Return ``content`` encrypted under the newest key, in the sealed-file format."""
    return MAGIC + keyring().multi.encrypt(content)


def is_sealed(raw: bytes) -> bool:
    return raw.startswith(MAGIC)


def unseal_bytes(raw: bytes, *, name: str = "") -> bytes:
    """Return the content of a sealed file, trying every configured key."""
    label = f"The file {name}" if name else "The file"
    if not is_sealed(raw):
        raise DecryptionError(f"{label} is not sealed.")
    try:
        return keyring().multi.decrypt(raw[len(MAGIC) :])
    except InvalidToken:
        raise DecryptionError(
            f"{label} was sealed under a key no longer in ENCRYPTION_KEYS, or is damaged."
        ) from None


@deconstructible(path="recommerce.privacy.encryption.files.SealedStorage")
class SealedStorage(Storage):
    """A storage that keeps each file sealed inside another one (``private`` by default).

    The inner storage is looked up on every use, so a change of ``STORAGES`` (a test, an
    object store in production) applies at once. Sealed files have no URL.
    """

    def __init__(self, inner: str = "private") -> None:
        self.alias = inner

    @property
    def inner(self) -> Storage:
        return storages[self.alias]

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if any(flag in mode for flag in "wa+"):
            raise ValueError(
                "Sealed files are written whole through save(), never opened to write."
            )
        with self.inner.open(name, "rb") as handle:
            raw = handle.read()
        return ContentFile(unseal_bytes(raw, name=name), name=name)

    def _save(self, name: str, content: File[Any]) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks())
        return self.inner.save(name, ContentFile(seal_bytes(data)))

    def delete(self, name: str) -> None:
        path = self._local_path(name)
        if path is None:
            self.inner.delete(name)
            return
        with _locked(path) as handle:
            if handle is not None:
                self.inner.delete(name)

    def exists(self, name: str) -> bool:
        return self.inner.exists(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.inner.listdir(path)

    def size(self, name: str) -> int:
        with self.open(name) as handle:
            return len(handle.read())

    def url(self, name: str | None) -> str:
        raise ValueError("A sealed file has no URL: serve it from a view that checks who asks.")

    def get_accessed_time(self, name: str) -> datetime:
        return self.inner.get_accessed_time(name)

    def get_created_time(self, name: str) -> datetime:
        return self.inner.get_created_time(name)

    def get_modified_time(self, name: str) -> datetime:
        return self.inner.get_modified_time(name)

    def raw_read(self, name: str) -> bytes:
        """Return the file as stored (ciphertext), to check or re-encrypt it."""
        with self.inner.open(name, "rb") as handle:
            return bytes(handle.read())

    def raw_replace(self, name: str, *, expected: bytes, fresh: bytes) -> bool:
        """Write ``fresh`` over the file if it still holds ``expected``; tell if it did."""
        path = self._local_path(name)
        if path is None:
            # Object stores overwrite a key in one step (their _save does); they offer no
            # lock, so a delete racing this check can still lose to the write.
            if not self.inner.exists(name) or self.raw_read(name) != expected:
                return False
            self.inner._save(name, ContentFile(fresh))  # type: ignore[attr-defined]
            return True
        with _locked(path) as handle:
            if handle is None or os.fstat(handle.fileno()).st_nlink == 0:
                return False
            if handle.read() != expected:
                return False
            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rotating-")
            try:
                with os.fdopen(descriptor, "wb") as out:
                    out.write(fresh)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
                raise
            return True

    def _local_path(self, name: str) -> str | None:
        try:
            return str(self.inner.path(name))
        except NotImplementedError:
            return None


@contextlib.contextmanager
def _locked(path: str) -> Iterator[IO[bytes] | None]:
    """Hold an exclusive lock on the file at ``path`` (``None`` when it does not exist)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the lock is released
    except FileNotFoundError:
        yield None
        return
    try:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield handle
    finally:
        handle.close()


_SEALED = SealedStorage()


def sealed_storage() -> SealedStorage:
    """Return the storage of sealed files (a callable, so migrations name it, not a path)."""
    return _SEALED


@dataclass(frozen=True, slots=True)
class FileRotation:
    """What one pass over the sealed files found and did."""

    rotated: int = 0
    current: int = 0
    unreadable: int = 0
    # Deleted or replaced by the application between the read and the write.
    changed: int = 0
    unreadable_names: tuple[str, ...] = ()


def sealed_names(storage: SealedStorage | None = None) -> Iterator[str]:
    """Yield the name of every sealed file, skipping the plain files stored beside them."""
    storage = storage or sealed_storage()
    for name in _walk(storage.inner, ""):
        try:
            with storage.inner.open(name, "rb") as handle:
                head = handle.read(len(MAGIC))
        except FileNotFoundError:
            continue
        if is_sealed(head):
            yield name


def files_rotate(*, storage: SealedStorage | None = None, dry_run: bool = False) -> FileRotation:
    """Re-encrypt under the newest key every sealed file another key made.

    Running it again rotates nothing more. A file deleted or replaced meanwhile is left as
    the application made it.
    """
    storage = storage or sealed_storage()
    rotated = current = unreadable = changed = 0
    lost: list[str] = []
    for name in sealed_names(storage):
        try:
            raw = storage.raw_read(name)
        except FileNotFoundError:
            changed += 1
            continue
        token = raw[len(MAGIC) :].decode("ascii", "replace")
        try:
            if not needs_rotation(token):
                current += 1
                continue
            fresh = MAGIC + rotate(token).encode("ascii")
        except DecryptionError:
            unreadable += 1
            if len(lost) < UNREADABLE_SAMPLE:
                lost.append(name)
            continue
        if dry_run or storage.raw_replace(name, expected=raw, fresh=fresh):
            rotated += 1
        else:
            changed += 1
    return FileRotation(
        rotated=rotated,
        current=current,
        unreadable=unreadable,
        changed=changed,
        unreadable_names=tuple(lost),
    )


def _walk(storage: Storage, path: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for file_name in sorted(files):
        if not file_name.startswith(".rotating-"):
            yield posixpath.join(path, file_name) if path else file_name
    for folder in sorted(folders):
        yield from _walk(storage, posixpath.join(path, folder) if path else folder)
