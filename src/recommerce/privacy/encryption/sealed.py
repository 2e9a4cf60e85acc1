"""A sensitive value as loaded from its encrypted column: sealed until a purpose opens it.

Loading a row never decrypts (PURP-2): the attribute holds a ``Sealed`` that carries only
the ciphertext, so no template, form, log line, serializer or ``print`` can show the plain
text by accident. ``privacy.services.sensitive`` opens it, for a purpose the registry
declares for the field, by a role that may, with a staff access row; that module is the
only one allowed to import ``unseal`` (a test walks the sources to keep it so).
"""

from __future__ import annotations

import hmac
from typing import Any, Final, final

from recommerce.privacy.encryption.cipher import DecryptionError, decrypt

SHOWN: Final = "[encrypted]"


@final
class Sealed:
    """An encrypted value: it compares by ciphertext and shows itself only as ``[encrypted]``.

    It is not a ``str`` on purpose: string operations, ``len()``, iteration and JSON
    encoding fail instead of working on a stand-in. Saving a loaded row writes the same
    ciphertext back, unchanged.
    """

    __slots__ = ("_label", "_token")

    def __init__(self, token: str, *, label: str = "") -> None:
        if not token:
            raise ValueError("Only a stored, non-empty token is sealed.")
        self._token = token
        self._label = label

    def __str__(self) -> str:
        return SHOWN

    def __repr__(self) -> str:
        return f"<Sealed {self._label or 'value'}>"

    def __format__(self, spec: str) -> str:
        return format(SHOWN, spec)

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sealed):
            return NotImplemented
        return hmac.compare_digest(self._token, other._token)

    def __hash__(self) -> int:
        return hash(self._token)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._token, self._label))


def _rebuild(token: str, label: str) -> Sealed:
    return Sealed(token, label=label)


def sealed_token(value: Sealed) -> str:
    """Return the ciphertext inside ``value`` (for writing it back, never for showing)."""
    return value._token


def unseal(value: Sealed) -> str:
    """Return the plain text of ``value``. Only ``privacy.services.sensitive`` calls this."""
    try:
        return decrypt(value._token)
    except DecryptionError as error:
        raise DecryptionError(f"{value._label or 'A sealed value'}: {error}") from None
