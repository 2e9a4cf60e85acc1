"""Seller API keys (hash only, revocable) and the staff tools' access rules (SEC-1, SEC-2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, SellerApiKey, User
from recommerce.accounts.services.api_keys import (
    seller_api_key_authenticate,
    seller_api_key_issue,
    seller_api_key_revoke,
)
from recommerce.accounts.services.sellers import seller_member_add, seller_onboarding_start
from recommerce.accounts.services.users import address_create
from recommerce.privacy.models import AuditEvent, StaffAccess
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 5, 5, 12, 0, tzinfo=dt.UTC)
SECRET_PATTERN = re.compile(r"rk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


@pytest.fixture
def owner(db: None) -> User:
    return make_user("owner@refurb.example")


@pytest.fixture
def seller(owner: User) -> Seller:
    return seller_onboarding_start(
        user=owner, name="Refurb Nantes", legal_name="Refurb Nantes SAS", country="FR"
    )


def issue(seller: Seller, actor: User, scopes=("offers:write", "offers:read", "offers:read")):
    return seller_api_key_issue(seller=seller, actor=actor, name=" Stock sync ", scopes=scopes)


def all_rows(*tables: str) -> str:
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            found += cursor.fetchall()
    return repr(found)


# --- API keys -------------------------------------------------------------------------------


def test_p_sec_2_api_key_secret_is_returned_once_and_only_its_sha256_is_stored(seller, owner):
    issued = issue(seller, owner)

    assert SECRET_PATTERN.fullmatch(issued.secret)
    key = SellerApiKey.objects.get()
    assert (key.pk, key.name, key.scopes, key.created_by) == (
        issued.key.pk,
        "Stock sync",
        ["offers:read", "offers:write"],
        owner,
    )
    assert key.prefix == issued.secret[3:11]
    assert key.key_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert key.key_hash != issued.secret
    stored = all_rows("accounts_sellerapikey", "privacy_auditevent")
    assert issued.secret not in stored
    assert issued.secret[12:] not in stored  # not even the random part on its own
    assert AuditEvent.objects.get(action="seller.api_key.issue").fields == ["scopes"]


def test_p_sec_2_api_key_authenticates_with_its_secret_only(seller, owner):
    issued = issue(seller, owner)
    tampered = issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B")

    with time_machine.travel(NOW, tick=False):
        found = seller_api_key_authenticate(secret=issued.secret)

    assert found is not None
    assert (found.pk, found.seller) == (issued.key.pk, seller)
    assert SellerApiKey.objects.get().last_used_at == NOW
    for wrong in (tampered, issued.secret[3:], "rk_deadbeef_" + issued.secret[12:], ""):
        assert seller_api_key_authenticate(secret=wrong) is None


def test_p_sec_2_revoked_key_no_longer_authenticates(seller, owner):
    issued = issue(seller, owner)

    with time_machine.travel(NOW, tick=False):
        seller_api_key_revoke(key=issued.key, actor=owner)

    assert SellerApiKey.objects.get().revoked_at == NOW
    assert seller_api_key_authenticate(secret=issued.secret) is None
    assert SellerApiKey.objects.get().last_used_at is None


def test_p_sec_2_suspended_seller_key_no_longer_authenticates(seller, owner):
    issued = issue(seller, owner)
    Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.SUSPENDED)

    assert seller_api_key_authenticate(secret=issued.secret) is None


@pytest.mark.parametrize("role", ["catalog", "orders", "finance", None])
def test_p_sec_2_only_an_owner_issues_or_revokes_keys(seller, owner, role):
    issued = issue(seller, owner)
    person = make_user("someone@refurb.example")
    if role is not None:
        seller_member_add(seller=seller, actor=owner, user=person, role=role)

    with pytest.raises(PermissionError, match="Only an owner of the seller account"):
        issue(seller, person)
    with pytest.raises(PermissionError, match="Only an owner of the seller account"):
        seller_api_key_revoke(key=issued.key, actor=person)

    assert list(SellerApiKey.objects.values_list("pk", "revoked_at")) == [(issued.key.pk, None)]


@pytest.mark.parametrize(
    ("name", "scopes", "errors"),
    [
        ("Sync", [], {"scopes": ["Choose at least one of the listed scopes."]}),
        ("Sync", ["admin:all"], {"scopes": ["Choose at least one of the listed scopes."]}),
        ("  ", ["offers:read"], {"name": ["Name the key after the system that will use it."]}),
    ],
)
def test_p_sec_2_key_needs_a_name_and_known_scopes(seller, owner, name, scopes, errors):
    with pytest.raises(ValidationError) as refused:
        seller_api_key_issue(seller=seller, actor=owner, name=name, scopes=scopes)

    assert refused.value.message_dict == errors
    assert not SellerApiKey.objects.exists()


def test_p_sec_2_api_key_page_shows_the_secret_once(client, seller, owner):
    client.force_login(owner)

    shown = client.post("/account/seller/api-keys/", {"name": "ERP", "scopes": ["orders:read"]})

    assert shown.status_code == 200
    secrets = SECRET_PATTERN.findall(shown.content.decode())
    assert len(secrets) == 1
    key = seller_api_key_authenticate(secret=secrets[0])
    assert key is not None
    assert (key.name, key.scopes) == ("ERP", ["orders:read"])
    later = client.get("/account/seller/")
    assert later.status_code == 200
    assert secrets[0] not in later.content.decode()
    assert SECRET_PATTERN.search(later.content.decode()) is None


# --- Staff tools ----------------------------------------------------------------------------


@pytest.fixture
def subject(db: None) -> User:
    person = make_user("dana@example.com", full_name="Dana Subject", phone="+33612345678")
    address_create(
        actor=person,
        user=person,
        kind="delivery",
        full_name="Dana Subject",
        line1="8 rue Oberkampf",
        postal_code="75011",
        city="Paris",
        country="FR",
    )
    return person


def test_p_sec_1_customer_service_view_of_a_person_is_logged_and_the_dpo_reads_it(client, subject):
    agent = make_staff(roles.CUSTOMER_SERVICE, "agent@recommerce.example")
    client.force_login(agent)

    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/staff/people/{subject.pk}/")

    assert page.status_code == 200
    assert "8 rue Oberkampf" in page.content.decode()
    access = StaffAccess.objects.get()
    assert (access.staff, access.subject, access.what, access.path, access.created_at) == (
        agent,
        subject,
        "profile and addresses",
        f"/staff/people/{subject.pk}/",
        NOW,
    )
    dpo = make_staff(roles.DPO, "dpo@recommerce.example")
    client.force_login(dpo)
    log = client.get("/staff/access-log/")
    assert log.status_code == 200
    row = re.search(r"<tbody>.*</tbody>", log.content.decode(), re.S).group(0)
    assert "agent@recommerce.example" in row
    assert "dana@example.com" in row
    assert "profile and addresses" in row
    assert StaffAccess.objects.count() == 1  # reading the log is not itself a person view


@pytest.mark.parametrize("role", [roles.FINANCE, None])
def test_p_sec_1_staff_without_the_permission_get_403_and_nothing_is_logged(client, subject, role):
    client.force_login(make_staff(role))

    person = client.get(f"/staff/people/{subject.pk}/")
    search = client.get("/staff/people/", {"q": "dana"})

    assert (person.status_code, search.status_code) == (403, 403)
    assert "dana@example.com" not in person.content.decode() + search.content.decode()
    assert not StaffAccess.objects.exists()


@pytest.mark.parametrize("role", [roles.CUSTOMER_SERVICE, roles.ANTI_FRAUD, roles.FINANCE])
def test_p_sec_1_only_the_dpo_and_admin_read_the_access_log(client, subject, role):
    client.force_login(make_staff(role))

    assert client.get("/staff/access-log/").status_code == 403


@pytest.mark.parametrize(
    "path", ["/staff/", "/staff/people/", "/staff/people/{pk}/", "/staff/access-log/"]
)
def test_p_sec_2_staff_tools_are_404_for_people_who_are_not_staff(client, subject, path):
    client.force_login(make_user("customer@example.com"))

    response = client.get(path.format(pk=subject.pk))

    assert response.status_code == 404
    assert not StaffAccess.objects.exists()


def test_p_sec_2_staff_tools_send_anonymous_visitors_to_sign_in(client, subject):
    response = client.get(f"/staff/people/{subject.pk}/")

    assert (response.status_code, response["Location"]) == (
        302,
        f"/account/login/?next=/staff/people/{subject.pk}/",
    )
    assert not StaffAccess.objects.exists()


def test_p_sec_1_viewing_a_missing_person_logs_nothing(client, subject):
    client.force_login(make_staff(roles.CUSTOMER_SERVICE))

    assert client.get("/staff/people/999999/").status_code == 404
    assert not StaffAccess.objects.exists()


def test_p_sec_1_people_search_results_are_logged(client, subject):
    agent = make_staff(roles.CUSTOMER_SERVICE)
    client.force_login(agent)

    page = client.get("/staff/people/", {"q": "dana"})

    assert page.status_code == 200
    assert "dana@example.com" in page.content.decode()
    assert StaffAccess.objects.filter(staff=agent).exists()


def test_p_sec_1_the_admin_site_is_no_way_around_the_access_log(client, subject):
    client.force_login(make_staff(roles.CUSTOMER_SERVICE))

    response = client.get(f"/admin/accounts/user/{subject.pk}/change/")

    shown = response.status_code == 200 and "dana@example.com" in response.content.decode()
    assert not shown or StaffAccess.objects.filter(subject=subject).exists()
