"""Encryption at rest (SEC-1): keys, tokens, rotation, blind indexes, the field, masking."""

from __future__ import annotations

import stat
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models.lookups import IsNull
from django.test import override_settings
from django.test.utils import isolate_apps

from recommerce.privacy.encryption import (
    DecryptionError,
    EncryptedTextField,
    blind_index,
    column_rotate,
    decrypt,
    encrypt,
    encrypted_columns,
    mask,
    needs_rotation,
    reset_keys,
    rotate,
)
from recommerce.privacy.encryption.sealed import Sealed, unseal
from recommerce.privacy.management.commands import encryption_rotate

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
BLIND_KEY = "k" * 40
SSN = "123-45-6789"


class Vault(models.Model):
    """A throw-away model whose table each database test creates inside its transaction."""

    label = models.CharField(max_length=20, blank=True)
    secret = EncryptedTextField(blank=True, null=True)

    class Meta:
        app_label = "privacy"
        managed = False

    def __str__(self) -> str:
        return self.label


class VaultProxy(Vault):
    class Meta:
        app_label = "privacy"
        proxy = True

    def __str__(self) -> str:
        return self.label


@pytest.fixture(autouse=True)
def _test_keys(tmp_path):
    """Run every test on known keys, and never write key files (or sealed files, which the
    rotation walks) into the real var/."""
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
    with override_settings(
        ENCRYPTION_KEYS=[KEY_A],
        BLIND_INDEX_KEY=BLIND_KEY,
        VAR_DIR=tmp_path,
        STORAGES={**settings.STORAGES, "private": private},
    ):
        yield
    reset_keys()


@pytest.fixture
def vault_table(db):
    """Create Vault's table; the test transaction's rollback drops it again."""
    sql, params = connection.schema_editor().table_sql(Vault)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def stored_secret(pk: int) -> str | None:
    """Return the column as the database holds it, bypassing the field."""
    table = connection.ops.quote_name(Vault._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


# --- encrypt / decrypt ------------------------------------------------------------------------


def test_p_sec_1_ciphertext_hides_the_value_and_decrypts_back():
    token = encrypt(SSN)
    assert token != SSN
    assert SSN not in token
    assert "6789" not in token
    assert decrypt(token) == SSN
    assert encrypt(SSN) != token  # a fresh IV each time: equal values are not linkable


def test_round_trip_keeps_any_text():
    for text in ["", "Zoë Ağaoğlu — 東京", "x" * 10_000]:
        assert decrypt(encrypt(text)) == text


@pytest.mark.parametrize("token", ["not a token", "", "gAAAAABnot-base64!", "é" * 20])
def test_a_bad_token_raises_decryption_error(token):
    with pytest.raises(DecryptionError, match="not a token any configured"):
        decrypt(token)


def test_a_token_from_another_key_raises_decryption_error():
    token = Fernet(KEY_B.encode()).encrypt(b"secret").decode()
    with pytest.raises(DecryptionError):
        decrypt(token)


# --- rotation -----------------------------------------------------------------------------


def test_p_sec_1_rotation_moves_a_token_to_the_newest_key():
    old = encrypt(SSN)  # under A
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert decrypt(old) == SSN
        assert needs_rotation(old) is True
        new = rotate(old)
        assert needs_rotation(new) is False
        assert new != old
    with override_settings(ENCRYPTION_KEYS=[KEY_B]):
        assert decrypt(new) == SSN
        with pytest.raises(DecryptionError):
            decrypt(old)
    with override_settings(ENCRYPTION_KEYS=[KEY_A]), pytest.raises(DecryptionError):
        decrypt(new)


def test_new_values_are_encrypted_under_the_first_key():
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        token = encrypt(SSN)
    assert Fernet(KEY_B.encode()).decrypt(token.encode()) == SSN.encode()


def test_rotating_or_checking_an_unreadable_token_raises():
    with pytest.raises(DecryptionError):
        rotate("garbage")
    with pytest.raises(DecryptionError):
        needs_rotation("garbage")


# --- blind index --------------------------------------------------------------------------


def test_blind_index_is_deterministic_per_purpose():
    first = blind_index("123456789", purpose="accounts.user.ssn")
    assert first == blind_index("123456789", purpose="accounts.user.ssn")
    assert len(first) == 64
    assert int(first, 16) >= 0  # hexadecimal
    assert "123456789" not in first


def test_blind_index_differs_across_purposes_values_and_keys():
    ssn = blind_index("123456789", purpose="accounts.user.ssn")
    assert blind_index("123456789", purpose="accounts.user.itin") != ssn
    assert blind_index("123456780", purpose="accounts.user.ssn") != ssn
    with override_settings(BLIND_INDEX_KEY="z" * 40):
        assert blind_index("123456789", purpose="accounts.user.ssn") != ssn


def test_blind_index_needs_a_purpose():
    with pytest.raises(ValueError, match="purpose"):
        blind_index("123456789", purpose="")


# --- keys ---------------------------------------------------------------------------------


def test_p_sec_1_keys_are_made_owner_only_in_var_dir_on_first_use(tmp_path):
    with override_settings(VAR_DIR=tmp_path, ENCRYPTION_KEYS=[], BLIND_INDEX_KEY=""):
        token = encrypt(SSN)
        index = blind_index("123456789", purpose="test")
        keys_file = tmp_path / "encryption_keys"
        blind_file = tmp_path / "blind_index_key"
        for path in (keys_file, blind_file):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
        (key,) = keys_file.read_text().split()
        assert Fernet(key.encode()).decrypt(token.encode()) == SSN.encode()
        assert len(blind_file.read_text().strip()) >= 32
        # No temporary file is left behind.
        assert sorted(p.name for p in tmp_path.iterdir()) == ["blind_index_key", "encryption_keys"]
        # A later process reads the same keys rather than making new ones.
        reset_keys()
        assert decrypt(token) == SSN
        assert blind_index("123456789", purpose="test") == index
        assert keys_file.read_text().split() == [key]


def test_the_keys_file_lists_keys_newest_first(tmp_path):
    (tmp_path / "encryption_keys").write_text(f"# newest first\n{KEY_B}\n\n{KEY_A}\n")
    old = Fernet(KEY_A.encode()).encrypt(b"old").decode()
    with override_settings(VAR_DIR=tmp_path, ENCRYPTION_KEYS=[]):
        assert decrypt(old) == "old"
        token = encrypt("new")
    assert Fernet(KEY_B.encode()).decrypt(token.encode()) == b"new"


def test_a_malformed_key_is_refused_without_showing_it():
    with (
        override_settings(ENCRYPTION_KEYS=[KEY_A, "not-a-real-key"]),
        pytest.raises(ImproperlyConfigured, match="Key 2 of ENCRYPTION_KEYS") as caught,
    ):
        encrypt(SSN)
    assert "not-a-real-key" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_a_short_blind_index_key_is_refused():
    with (
        override_settings(BLIND_INDEX_KEY="short"),
        pytest.raises(ImproperlyConfigured, match="at least 32"),
    ):
        blind_index("x", purpose="test")


# --- the field ----------------------------------------------------------------------------


def test_p_sec_1_field_stores_a_token_and_loads_it_sealed():
    field = EncryptedTextField()
    stored = field.get_prep_value(SSN)
    assert SSN not in stored
    assert decrypt(stored) == SSN
    loaded = field.from_db_value(stored, None, connection)
    assert type(loaded) is Sealed
    assert SSN not in f"{loaded} {loaded!r}"
    assert field.get_prep_value(loaded) == stored  # written back unchanged


def test_field_keeps_empty_and_null_as_they_are():
    field = EncryptedTextField(null=True)
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
    assert field.from_db_value("", None, connection) == ""
    assert field.from_db_value(None, None, connection) is None


def test_field_does_not_decrypt_user_input():
    """A token typed into a form must stay a token, or the form would decrypt stolen data."""
    token = encrypt(SSN)
    assert EncryptedTextField().to_python(token) == token
    assert EncryptedTextField().clean(token, None) == token


def test_field_names_itself_when_a_stored_value_cannot_be_decrypted():
    field = Vault._meta.get_field("secret")
    with pytest.raises(DecryptionError, match=r"privacy\.Vault\.secret"):
        unseal(field.from_db_value("garbage", None, connection))


def test_field_refuses_comparisons_of_ciphertext():
    field = EncryptedTextField()
    for name in ["exact", "iexact", "in", "contains", "startswith", "gt"]:
        with pytest.raises(FieldError, match="encrypted and cannot be filtered"):
            field.get_lookup(name)
    with pytest.raises(FieldError, match="encrypted"):
        field.get_transform("lower")
    assert field.get_lookup("isnull") is IsNull


def test_p_sec_1_filtering_on_an_encrypted_field_fails_clearly():
    with pytest.raises(FieldError, match=r"privacy\.Vault\.secret is encrypted.*blind"):
        Vault.objects.filter(secret=SSN)
    with pytest.raises(FieldError, match="encrypted"):
        Vault.objects.filter(secret__lower="x")
    assert "IS NULL" in str(Vault.objects.filter(secret__isnull=True).query)


def test_field_deconstructs_to_its_public_path_without_key_material():
    name, path, args, kwargs = Vault._meta.get_field("secret").deconstruct()
    assert (name, path, args, kwargs) == (
        "secret",
        "recommerce.privacy.encryption.EncryptedTextField",
        [],
        {"blank": True, "null": True},
    )
    assert isinstance(EncryptedTextField(*args, **kwargs), EncryptedTextField)
    assert KEY_A not in repr(kwargs)


@isolate_apps("recommerce.privacy")
def test_field_check_refuses_unique_indexed_and_db_default():
    class Bad(models.Model):
        unique_secret = EncryptedTextField(unique=True)
        indexed_secret = EncryptedTextField(db_index=True)
        default_secret = EncryptedTextField(db_default="clear")
        fine_secret = EncryptedTextField(default="encrypted when saved")

        class Meta:
            app_label = "privacy"
            managed = False

        def __str__(self) -> str:
            return "bad"

    ids = {
        name: [e.id for e in Bad._meta.get_field(name).check() if e.id.startswith("privacy")]
        for name in ["unique_secret", "indexed_secret", "default_secret", "fine_secret"]
    }
    assert ids == {
        "unique_secret": ["privacy.E010"],
        "indexed_secret": ["privacy.E010"],
        "default_secret": ["privacy.E011"],
        "fine_secret": [],
    }


def test_p_sec_1_the_database_holds_only_ciphertext(vault_table):
    vault = Vault.objects.create(label="a", secret=SSN)
    raw = stored_secret(vault.pk)
    assert SSN not in raw
    assert decrypt(raw) == SSN
    assert vault.secret == SSN  # the instance keeps what its writer gave
    assert unseal(Vault.objects.get(pk=vault.pk).secret) == SSN
    Vault.objects.filter(pk=vault.pk).update(secret="987-65-4321")
    assert "987-65-4321" not in stored_secret(vault.pk)
    assert unseal(Vault.objects.values_list("secret", flat=True).get(pk=vault.pk)) == "987-65-4321"


def test_empty_and_null_values_are_stored_in_clear(vault_table):
    empty = Vault.objects.create(secret="")
    null = Vault.objects.create(secret=None)
    assert stored_secret(empty.pk) == ""
    assert stored_secret(null.pk) is None
    assert list(Vault.objects.filter(secret__isnull=True).values_list("pk", flat=True)) == [null.pk]


# --- rotating stored values ---------------------------------------------------------------


def test_encrypted_columns_lists_each_column_once():
    columns = encrypted_columns()
    assert (Vault, Vault._meta.get_field("secret")) in columns
    assert all(model is not VaultProxy for model, _ in columns)
    assert all(isinstance(field, EncryptedTextField) for _, field in columns)


def test_p_sec_1_column_rotate_re_encrypts_old_values_once(vault_table):
    old = [Vault.objects.create(label=str(n), secret=f"secret {n}") for n in range(5)]
    Vault.objects.create(label="empty", secret="")
    Vault.objects.create(label="null", secret=None)
    field = Vault._meta.get_field("secret")
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        new = Vault.objects.create(label="new", secret="secret new")
        dry = column_rotate(Vault, field, batch_size=2, dry_run=True)
        assert (dry.rotated, dry.current, dry.unreadable) == (5, 1, 0)
        assert needs_rotation(stored_secret(old[0].pk)) is True  # dry run wrote nothing

        result = column_rotate(Vault, field, batch_size=2)
        assert result.column == "privacy.Vault.secret"
        assert (result.rotated, result.current, result.unreadable, result.changed) == (5, 1, 0, 0)
        again = column_rotate(Vault, field, batch_size=2)
        assert (again.rotated, again.current) == (0, 6)
    with override_settings(ENCRYPTION_KEYS=[KEY_B]):
        secrets = {
            label: unseal(secret) if isinstance(secret, Sealed) else secret
            for label, secret in Vault.objects.values_list("label", "secret")
        }
    assert secrets == {
        **{str(n): f"secret {n}" for n in range(5)},
        "new": "secret new",
        "empty": "",
        "null": None,
    }
    assert stored_secret(new.pk) is not None


def test_column_rotate_reports_values_no_key_can_read(vault_table):
    lost = Vault.objects.create(label="lost", secret="under A only")
    with override_settings(ENCRYPTION_KEYS=[KEY_B]):
        Vault.objects.create(label="fine", secret="under B")
        result = column_rotate(Vault, Vault._meta.get_field("secret"))
    assert (result.rotated, result.current, result.unreadable) == (0, 1, 1)
    assert result.unreadable_pks == (lost.pk,)


def test_encryption_rotate_command_prints_counts_and_is_idempotent(vault_table, monkeypatch):
    # Only the test model: other apps' tables are covered by their own migrations' tests.
    field = Vault._meta.get_field("secret")
    monkeypatch.setattr(encryption_rotate, "encrypted_columns", lambda: [(Vault, field)])
    for n in range(3):
        Vault.objects.create(label=str(n), secret=f"secret {n}")
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        out = StringIO()
        call_command("encryption_rotate", "--batch-size", "2", stdout=out)
        assert out.getvalue().splitlines() == [
            "privacy.Vault.secret: 3 rotated, 0 already current, 0 unreadable",
            "sealed files: 0 rotated, 0 already current, 0 unreadable",
            "Re-encrypted 3 values in 1 column and 0 files; 0 were already under the newest key.",
        ]
        out = StringIO()
        call_command("encryption_rotate", stdout=out)
        assert out.getvalue().splitlines()[0] == (
            "privacy.Vault.secret: 0 rotated, 3 already current, 0 unreadable"
        )
    with override_settings(ENCRYPTION_KEYS=[KEY_B]):
        assert sorted(unseal(v) for v in Vault.objects.values_list("secret", flat=True)) == [
            "secret 0",
            "secret 1",
            "secret 2",
        ]


def test_encryption_rotate_command_fails_when_a_key_is_missing(vault_table, monkeypatch):
    field = Vault._meta.get_field("secret")
    monkeypatch.setattr(encryption_rotate, "encrypted_columns", lambda: [(Vault, field)])
    lost = Vault.objects.create(secret="under A only")
    with (
        override_settings(ENCRYPTION_KEYS=[KEY_B]),
        pytest.raises(CommandError, match=rf"1 value cannot be decrypted.*include {lost.pk}\b"),
    ):
        call_command("encryption_rotate", stdout=StringIO())


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "visible", "expected"),
    [
        ("FR76 3000 6000 0112 3456 7890 189", 4, "•••• •••• •••• •••• •••• •••0 189"),
        ("FR7630006000011234567890189", 4, "•" * 23 + "0189"),
        ("123-45-6789", 4, "•••-••-6789"),
        ("123456789", 0, "•••••••••"),
        ("12345678", 4, "••••5678"),
        ("1234", 4, "••34"),  # never more than half shown
        ("", 4, ""),
    ],
)
def test_mask_keeps_the_last_characters_and_the_grouping(value, visible, expected):
    assert mask(value, visible=visible) == expected


def test_mask_refuses_a_negative_count():
    with pytest.raises(ValueError, match="visible"):
        mask("123", visible=-1)
