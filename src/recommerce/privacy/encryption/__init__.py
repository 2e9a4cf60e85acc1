"""Encryption at rest for sensitive personal data (SEC-1).

Encrypted columns load as ``Sealed`` values that never show their plain text; only
``privacy.services.sensitive`` opens them, for a declared purpose (PURP-2). Files are
sealed too (``files``): kept encrypted in private storage and read only by the views that
check who asks.

Values are Fernet tokens (AES-128-CBC with HMAC-SHA256) under a ``MultiFernet``: the first
key of ``ENCRYPTION_KEYS`` encrypts and every key decrypts, so a new key is put in front,
``manage.py encryption_rotate`` re-encrypts the stored values, and the old key can then be
dropped. Ciphertext cannot be compared, so an equality search goes through a separate
column holding ``blind_index(value, purpose=...)``, an HMAC under its own key.

Without configured keys, both keys are made in ``VAR_DIR`` on first use (see ``keys``):
back those files up apart from the database, since data cannot be read without them.
"""

from recommerce.privacy.encryption.cipher import (
    DecryptionError,
    EncryptionError,
    blind_index,
    decrypt,
    encrypt,
    needs_rotation,
    rotate,
)
from recommerce.privacy.encryption.fields import EncryptedTextField
from recommerce.privacy.encryption.keys import reset_keys
from recommerce.privacy.encryption.masking import mask
from recommerce.privacy.encryption.rotation import (
    ColumnRotation,
    column_rotate,
    encrypted_columns,
)
from recommerce.privacy.encryption.sealed import Sealed

__all__ = [
    "ColumnRotation",
    "DecryptionError",
    "EncryptedTextField",
    "EncryptionError",
    "Sealed",
    "blind_index",
    "column_rotate",
    "decrypt",
    "encrypt",
    "encrypted_columns",
    "mask",
    "needs_rotation",
    "reset_keys",
    "rotate",
]
