"""Sensitive fields: encrypted at rest, read only for a declared purpose by a role that may,
and every staff read logged (SEC-1, PURP-2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection

from recommerce.accounts.models import Seller
from recommerce.privacy import purposes
from recommerce.privacy.models import StaffAccess
from recommerce.privacy.services.sensitive import PurposeNotDeclared, sensitive_read
from tests import factories

IBAN = "FR7630006000011234567890189"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_with_iban():
    seller = factories.seller()
    seller.iban = IBAN
    seller.save(update_fields=["iban"])
    return seller


def test_sec_1_the_iban_is_not_stored_in_clear(seller_with_iban):
    with connection.cursor() as cursor:
        cursor.execute("SELECT iban FROM accounts_seller WHERE id = %s", [seller_with_iban.pk])
        (stored,) = cursor.fetchone()
    assert IBAN not in stored
    assert IBAN[-8:] not in stored


def test_purp_2_the_platform_reads_the_iban_to_pay_the_seller(seller_with_iban):
    value = sensitive_read(
        model=Seller, pk=seller_with_iban.pk, field="iban", purpose=purposes.SERVICE_PAYMENTS
    )
    assert value == IBAN
    assert StaffAccess.objects.count() == 0  # the platform's own read is not a staff look


def test_purp_2_a_purpose_not_declared_for_the_field_gets_nothing(seller_with_iban):
    with pytest.raises(PurposeNotDeclared):
        sensitive_read(
            model=Seller, pk=seller_with_iban.pk, field="iban", purpose=purposes.MARKETING_EMAIL
        )


def test_sec_1_staff_without_the_role_cannot_read_and_nothing_is_logged(
    seller_with_iban, django_user_model
):
    staff = django_user_model.objects.create_user(email="cs@example.org", is_staff=True)
    with pytest.raises(PermissionDenied):
        sensitive_read(
            model=Seller,
            pk=seller_with_iban.pk,
            field="iban",
            purpose=purposes.LEGAL_ACCOUNTING,
            reader=staff,
        )
    assert StaffAccess.objects.count() == 0


def test_sec_1_a_staff_read_with_the_role_is_logged(seller_with_iban, django_user_model):
    staff = django_user_model.objects.create_user(email="audit@example.org", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="read_sensitive_data"))
    staff = django_user_model.objects.get(pk=staff.pk)  # fresh permission cache
    value = sensitive_read(
        model=Seller,
        pk=seller_with_iban.pk,
        field="iban",
        purpose=purposes.LEGAL_ACCOUNTING,
        reader=staff,
    )
    assert value == IBAN
    (access,) = StaffAccess.objects.all()
    assert access.staff == staff
    assert access.what == "seller iban"


def test_a_field_that_is_not_sensitive_is_not_read_this_way(seller_with_iban):
    with pytest.raises(ValueError, match="not a registered sensitive field"):
        sensitive_read(
            model=Seller, pk=seller_with_iban.pk, field="name", purpose=purposes.SERVICE_PAYMENTS
        )
