"""Encrypt, decrypt and rotate values; compute blind indexes for equality searches."""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import InvalidToken

from recommerce.privacy.encryption.keys import blind_index_key, keyring


class EncryptionError(Exception):
    """Base class of the encryption errors."""


class DecryptionError(EncryptionError):
    """A value is not a token that any configured key can decrypt."""


_UNREADABLE = (
    "The value is not a token any configured encryption key can decrypt: it was made under "
    "a key since removed from ENCRYPTION_KEYS, or it is not ciphertext at all."
)


def encrypt(text: str) -> str:
    """Encrypt ``text`` under the newest key; each call gives a different token."""
    return keyring().multi.encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """Return the text inside ``token``, trying every configured key."""
    try:
        return keyring().multi.decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(_UNREADABLE) from None


def rotate(token: str) -> str:
    """Return ``token`` re-encrypted under the newest key (its original timestamp is kept)."""
    try:
        return keyring().multi.rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise DecryptionError(_UNREADABLE) from None


def needs_rotation(token: str) -> bool:
    """Return whether ``token`` was made under a key other than the newest.

    Raises ``DecryptionError`` when no configured key can read it, so a lost key is
    reported rather than counted as current.
    """
    try:
        keyring().primary.decrypt(token.encode("ascii"))
    except InvalidToken:
        decrypt(token)
        return True
    except UnicodeError:
        raise DecryptionError(_UNREADABLE) from None
    return False


def blind_index(value: str, *, purpose: str) -> str:
    """Return a keyed hash of ``value`` to find rows by equality without decrypting them.

    The caller normalises ``value`` first (e.g. an IBAN without spaces, upper case), or equal
    values will not match. Each ``purpose`` (e.g. ``"accounts.seller.iban"``) hashes under
    its own derived key, so indexes of different fields cannot be joined to each other.
    Changing the blind-index key invalidates every stored index.
    """
    if not purpose:
        raise ValueError("blind_index() needs a purpose, to keep fields' indexes apart.")
    purpose_key = hmac.new(
        blind_index_key(), b"recommerce.blind_index\x00" + purpose.encode("utf-8"), hashlib.sha256
    ).digest()
    return hmac.new(purpose_key, value.encode("utf-8"), hashlib.sha256).hexdigest()
