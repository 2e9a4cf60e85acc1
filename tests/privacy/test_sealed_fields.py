"""Hardening 2.4: an encrypted field loads sealed; only ``sensitive_read`` opens it, for a
declared purpose (PURP-2), and nothing else can show its plain text (SEC-1)."""

from __future__ import annotations

import ast
import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.forms.models import model_to_dict
from django.template import Context, Template
from django.test import Client

import recommerce
from recommerce.accounts.models import Seller, SellerMembership
from recommerce.accounts.services.sellers import (
    seller_bank_account_set,
    seller_onboarding_start,
    seller_onboarding_update,
)
from recommerce.privacy import purposes
from recommerce.privacy.checks import encrypted_errors
from recommerce.privacy.encryption import Sealed
from recommerce.privacy.models import StaffAccess
from recommerce.privacy.registry import Erasure, Registry, Retention, personal
from recommerce.privacy.rights.export import export_archive_bytes, export_sections
from recommerce.privacy.rights.values import erased_value
from recommerce.privacy.services.sensitive import PurposeNotDeclared, sensitive_read
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
PIECES = (IBAN, IBAN[4:], IBAN[-10:], "3000 6000 0112")


@pytest.fixture
def owner():
    return make_user("selma.seller@example.test", full_name="Selma Seller")


@pytest.fixture
def seller(owner) -> Seller:
    draft = seller_onboarding_start(
        user=owner, name="Sealed Phones", legal_name="Sealed Phones SAS", country="FR"
    )
    seller_bank_account_set(seller=draft, actor=owner, iban=IBAN, account_holder="Selma Seller")
    return Seller.objects.get(pk=draft.pk)


def shows_plain_text(text: str) -> bool:
    return any(piece in text for piece in PIECES)


def stored_token(seller: Seller) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM accounts_seller WHERE id = %s", [seller.pk])
        return str(cursor.fetchone()[0])


def test_p_purp_2_a_plain_attribute_read_gives_no_plain_text(seller):
    """Hardening 2.4: loading the row yields a sealed value, whatever is done with it."""
    value = seller.iban

    assert isinstance(value, Sealed) and not isinstance(value, str)
    shown = [
        str(value),
        repr(value),
        f"{value}",
        f"{value!r:>40}",
        "%s" % value,  # noqa: UP031 - the old formatting path too
        repr(seller.__dict__),
        Template("{{ seller.iban }} {{ seller.iban|upper }}").render(Context({"seller": seller})),
        repr(model_to_dict(seller)),
        serializers.serialize("json", [seller]),
        repr(Seller.objects.values_list("iban", flat=True).get(pk=seller.pk)),
        pickle.dumps(value).decode("latin-1"),
    ]
    for text in shown:
        assert not shows_plain_text(text), text
    assert str(value) == "[encrypted]"
    for encode in (json.dumps, lambda v: json.dumps(v, cls=DjangoJSONEncoder)):
        with pytest.raises(TypeError):
            encode({"iban": value})
    with pytest.raises(TypeError):
        len(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        value + ""  # type: ignore[operator]


def test_p_purp_2_only_sensitive_read_opens_it_for_a_declared_purpose(seller):
    """Hardening 2.4: the payout's purpose opens it; an undeclared purpose does not."""
    assert (
        sensitive_read(model=Seller, pk=seller.pk, field="iban", purpose=purposes.SERVICE_PAYMENTS)
        == IBAN
    )
    with pytest.raises(PurposeNotDeclared):
        sensitive_read(model=Seller, pk=seller.pk, field="iban", purpose=purposes.ANALYTICS)


def test_p_sec_1_a_staff_read_needs_the_role_and_is_logged(seller):
    """Hardening 2.4: a staff reader without the permission gets nothing and leaves no row."""
    with pytest.raises(PermissionDenied):
        sensitive_read(
            model=Seller,
            pk=seller.pk,
            field="iban",
            purpose=purposes.LEGAL_ACCOUNTING,
            reader=make_staff(None),
        )
    assert not StaffAccess.objects.exists()


def test_p_sec_1_writes_still_encrypt_and_a_loaded_value_is_saved_unchanged(seller, owner):
    """Hardening 2.4: a full save of a loaded seller (full_clean included) keeps the token."""
    token = stored_token(seller)
    assert token.startswith("gAAAAA") and not shows_plain_text(token)

    seller_onboarding_update(seller=seller, actor=owner, city="Lyon")  # full_clean + save()
    Seller.objects.get(pk=seller.pk).save()

    assert stored_token(seller) == token
    assert (
        sensitive_read(model=Seller, pk=seller.pk, field="iban", purpose=purposes.SERVICE_PAYMENTS)
        == IBAN
    )


def test_p_sec_1_pages_show_the_iban_masked_never_sealed_or_plain(seller, owner):
    """Hardening 2.4: the seller's page shows the masked ending, from its plain column."""
    client = Client()
    client.force_login(owner)

    page = client.get("/account/seller/").content.decode()

    assert "•••• 0189" in page
    assert "[encrypted]" not in page
    assert not shows_plain_text(page)


def own_iban_registry(*, declare_data_protection: bool) -> Registry:
    """A data map where the seller's IBAN is its owner's data, exported to them."""
    reg = Registry()
    declared = [purposes.SERVICE_PAYMENTS]
    if declare_data_protection:
        declared.append(purposes.LEGAL_DATA_PROTECTION)
    reg.register(
        Seller,
        personal(
            "iban",
            category="user.financial.iban",
            subject="memberships__user",
            purposes=declared,
            retention=Retention(days=None, starts="the account's closure"),
            erasure=Erasure.DELETE,
            export_label="Payout bank account",
            sensitive=True,
        ),
    )
    return reg


def test_p_right_1_the_export_holds_the_persons_own_value_through_a_declared_purpose(seller, owner):
    """Hardening 2.4: the person's own export opens their value, for data protection."""
    reg = own_iban_registry(declare_data_protection=True)

    (section,) = export_sections(owner, reg=reg)
    archive = export_archive_bytes(owner, schema_url="https://example.test/s.json", reg=reg)

    assert section.records == [{"id": seller.pk, "iban": IBAN}]
    with __import__("zipfile").ZipFile(io.BytesIO(archive)) as zipped:
        data = zipped.read("data.json").decode()
    assert IBAN in data and "[encrypted]" not in data
    assert SellerMembership.objects.filter(user=owner, seller=seller).exists()


def test_p_purp_2_an_export_without_the_declared_purpose_opens_nothing(seller, owner):
    """Hardening 2.4: undeclared, the export stops; the system check names the field."""
    reg = own_iban_registry(declare_data_protection=False)

    with pytest.raises(PurposeNotDeclared):
        export_sections(owner, reg=reg)
    assert [error.id for error in encrypted_errors([Seller], reg)] == ["privacy.E012"]
    assert encrypted_errors([Seller], own_iban_registry(declare_data_protection=True)) == []


def test_an_encrypted_value_is_never_pseudonymised(seller):
    """Hardening 2.4: a keyed hash of a sealed value would join every row; it is refused."""
    field = Seller._meta.get_field("iban")
    with pytest.raises(ValueError, match="cannot be pseudonymised"):
        erased_value(field, Erasure.PSEUDONYMISE, seller.iban, seller.pk)
    assert erased_value(field, Erasure.DELETE, seller.iban, seller.pk) == ""


SOURCES = Path(recommerce.__file__).resolve().parent
# The modules that may turn ciphertext into plain text: the sealed type, the one service
# that opens it, the cipher, the sealed files (opened by their access-checked views), and
# the data migrations that converted stored values.
MAY_OPEN = {
    "privacy/encryption/__init__.py",
    "privacy/encryption/sealed.py",
    "privacy/encryption/cipher.py",
    "privacy/encryption/fields.py",
    "privacy/encryption/files.py",
    "privacy/encryption/rotation.py",
    "privacy/services/sensitive.py",
}
OPENERS = {"unseal", "sealed_token", "decrypt"}


def test_p_purp_2_no_module_but_the_sensitive_read_service_opens_a_sealed_value():
    """Hardening 2.4: the sources reach the plain text only through ``sensitive_read``."""
    found = []
    for path in sorted(SOURCES.rglob("*.py")):
        relative = path.relative_to(SOURCES).as_posix()
        if relative in MAY_OPEN or "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else None
            )
            imported: list[Any] = (
                [alias.name for alias in node.names] if isinstance(node, ast.ImportFrom) else []
            )
            for candidate in [name, *imported]:
                if candidate in OPENERS:
                    found.append(f"{relative}:{node.lineno} {candidate}")
    assert not found, "plain text reached outside sensitive_read:\n" + "\n".join(found)
