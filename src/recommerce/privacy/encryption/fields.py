"""A model field that stores its text encrypted and hands the application a sealed value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import NOT_PROVIDED
from django.db.models.lookups import Lookup, Transform

from recommerce.privacy.encryption.cipher import encrypt
from recommerce.privacy.encryption.sealed import Sealed, sealed_token

# Ciphertext is randomised, so only "is there a value at all" can be asked of the column.
ALLOWED_LOOKUPS = frozenset({"isnull"})

if TYPE_CHECKING:
    _TextField = models.TextField[Any, Any]
else:
    # Subscripting needs django_stubs_ext's patch, which only the settings module applies.
    _TextField = models.TextField


class EncryptedTextField(_TextField):
    """Text encrypted at rest with the configured Fernet keys (SEC-1).

    The column holds a Fernet token. A loaded row's attribute holds a ``Sealed`` value
    that never shows the plain text; only ``privacy.services.sensitive`` opens it, for a
    declared purpose (PURP-2). Assigning a ``str`` and saving encrypts it; saving a loaded
    ``Sealed`` writes its ciphertext back unchanged. Empty strings and ``None`` are stored as
    they are. The column cannot be filtered, except with ``__isnull``: to find rows by
    value, store ``blind_index(value, purpose=...)`` in a separate indexed column and filter
    on that.

    ``to_python`` does not decrypt: it receives user input during validation, and turning a
    submitted token into plain text would let anyone holding a stolen token read it back.
    """

    description = "Text encrypted at rest"

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _, args, kwargs = super().deconstruct()
        # The public path, so migrations survive any reshuffle of this package's modules.
        return name, "recommerce.privacy.encryption.EncryptedTextField", args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        # db_index is set by Field.__init__ but missing from the stubs.
        if self.primary_key or self.unique or getattr(self, "db_index", False):
            errors.append(
                checks.Error(
                    "An encrypted field cannot be a primary key, unique or indexed: its "
                    "ciphertext differs on every write.",
                    hint="Store blind_index(value, purpose=...) in an indexed field instead.",
                    obj=self,
                    id="privacy.E010",
                )
            )
        if self.db_default is not NOT_PROVIDED:
            errors.append(
                checks.Error(
                    "An encrypted field cannot have a db_default: the database would store it "
                    "in clear.",
                    hint="Use default=... instead; it is encrypted when saved.",
                    obj=self,
                    id="privacy.E011",
                )
            )
        return errors

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> Sealed | str | None:
        if not value:
            return value
        return Sealed(value, label=self._label())

    def to_python(self, value: Any) -> Any:
        # full_clean() passes every attribute through here: a loaded value stays sealed.
        if isinstance(value, Sealed):
            return value
        return super().to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, Sealed):
            return sealed_token(value)
        if not value:
            return value
        return encrypt(value)

    def value_to_string(self, obj: models.Model) -> str:
        # Serializers (dumpdata) write the ciphertext, never the plain text nor "[encrypted]".
        return str(self.get_prep_value(self.value_from_object(obj)) or "")

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name not in ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self._label()} is encrypted and cannot be filtered with {lookup_name!r} (only "
                "'isnull'); filter on a blind-index field (blind_index(value, purpose=...)) "
                "instead."
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise FieldError(
            f"{self._label()} is encrypted; {lookup_name!r} cannot be applied to its ciphertext."
        )

    def _label(self) -> str:
        return str(self) if hasattr(self, "model") else "An encrypted field"
