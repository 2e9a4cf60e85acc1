"""Company accounts of business buyers (PLAT-2): VAT checks, invitations, members."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from recommerce.accounts.models import Company, CompanyInvitation, CompanyMembership, User
from recommerce.accounts.services.companies import (
    INVALID_INVITATION,
    company_create,
    company_invitation_accept,
    company_invitation_create,
    company_member_remove,
)
from recommerce.platform.providers import clear_provider_cache, get_provider
from recommerce.privacy.models import AuditEvent
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_provider():
    """A new sandbox register per test, so its call log holds only this test's calls."""
    clear_provider_cache()
    yield
    clear_provider_cache()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin(db: None) -> User:
    return make_user("admin@acme.example", full_name="Ada Admin")


@pytest.fixture
def company(admin: User) -> Company:
    return company_create(
        owner=admin, legal_name="Acme Refurb SAS", country="FR", vat_number="FR40303265045"
    )


def register_calls() -> list[str]:
    return [call.number.number for call in get_provider("vat_lookup").calls]


def invite(company: Company, actor: User, email: str = "carol@acme.example", role: str = "buyer"):
    return company_invitation_create(company=company, actor=actor, email=email, role=role)


def test_p_plat_2_company_with_valid_vat_number_is_verified_by_the_register(admin, frozen):
    company = company_create(
        owner=admin,
        legal_name="  Acme Refurb SAS ",
        country="fr",
        vat_number="fr 40 303 265 045",
        registration_number="303265045",
    )

    stored = Company.objects.get()
    assert stored.pk == company.pk
    assert (stored.legal_name, stored.country.code, stored.vat_number) == (
        "Acme Refurb SAS",
        "FR",
        "FR40303265045",
    )
    assert stored.registration_number == "303265045"
    assert stored.vat_verified_at == NOW
    assert (stored.vat_registered_name, stored.vat_check_reference) == ("SANDBOX GRANITE SAS", "")
    assert register_calls() == ["FR40303265045"]
    membership = CompanyMembership.objects.get()
    assert (membership.user, membership.role) == (admin, CompanyMembership.Role.ADMIN)
    assert AuditEvent.objects.get().action == "company.create"


def test_p_plat_2_malformed_vat_number_is_refused_before_asking_the_register(admin):
    with pytest.raises(ValidationError) as refused:
        company_create(
            owner=admin, legal_name="Acme Refurb SAS", country="FR", vat_number="FR41303265045"
        )

    assert refused.value.message_dict == {
        "vat_number": ["The check digits of FR41303265045 do not match: look for a typing mistake."]
    }
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()
    assert register_calls() == []
    assert not AuditEvent.objects.exists()


def test_p_plat_2_vat_number_not_registered_is_refused_and_no_company_remains(admin):
    with pytest.raises(ValidationError) as refused:
        company_create(
            owner=admin, legal_name="Acme Refurb SAS", country="FR", vat_number="FR22303276000"
        )

    assert refused.value.message_dict == {
        "vat_number": ["This VAT number is not registered for intra-EU trade."]
    }
    assert register_calls() == ["FR22303276000"]
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()
    assert not AuditEvent.objects.exists()


def test_p_plat_2_register_down_leaves_the_number_stored_but_unverified(admin):
    company_create(
        owner=admin, legal_name="Acme Refurb SAS", country="FR", vat_number="FR68303268999"
    )

    stored = Company.objects.get()
    assert (stored.vat_number, stored.vat_verified_at, stored.vat_registered_name) == (
        "FR68303268999",
        None,
        "",
    )
    assert register_calls() == ["FR68303268999"]


def test_p_plat_2_vat_number_outside_the_eu_register_is_stored_unverified(admin):
    company_create(owner=admin, legal_name="Acme UK Ltd", country="GB", vat_number="GB980780684")

    stored = Company.objects.get()
    assert (stored.country.code, stored.vat_number, stored.vat_verified_at) == (
        "GB",
        "GB980780684",
        None,
    )
    assert register_calls() == []


def test_p_plat_2_a_person_belongs_to_one_company_only(company, admin):
    with pytest.raises(ValidationError) as refused:
        company_create(owner=admin, legal_name="Second SARL", country="FR")

    assert refused.value.messages == ["You already belong to a company account."]
    assert list(Company.objects.values_list("legal_name", flat=True)) == ["Acme Refurb SAS"]


def test_p_plat_2_invitation_emails_a_link_and_stores_only_the_token_hash(company, admin, frozen):
    issued = invite(company, admin, email=" Carol@Acme.example ")

    invitation = CompanyInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "carol@acme.example",
        "buyer",
        admin,
    )
    assert invitation.expires_at == NOW + dt.timedelta(days=14)
    assert invitation.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (
        ["carol@acme.example"],
        "Recommerce: join Acme Refurb SAS",
    )
    assert f"/account/company/join/{issued.token}/" in message.body
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_companyinvitation")
        rows = cursor.fetchall()
        cursor.execute("SELECT * FROM privacy_auditevent")
        rows += cursor.fetchall()
    assert issued.token not in repr(rows)


def test_p_plat_2_invited_person_joins_with_the_invited_role(company, admin, frozen):
    issued = invite(company, admin)
    carol = make_user("carol@acme.example")

    membership = company_invitation_accept(token=issued.token, user=carol)

    assert (membership.company, membership.user, membership.role) == (company, carol, "buyer")
    invitation = CompanyInvitation.objects.get()
    assert (invitation.accepted_at, invitation.accepted_by) == (NOW, carol)
    assert AuditEvent.objects.filter(action="company.join", subject=carol).count() == 1


def test_p_plat_2_invitation_for_another_email_is_refused(company, admin):
    issued = invite(company, admin)
    dave = make_user("dave@elsewhere.example")

    with pytest.raises(ValidationError) as refused:
        company_invitation_accept(token=issued.token, user=dave)

    assert refused.value.messages == [INVALID_INVITATION]
    assert "carol@acme.example" not in INVALID_INVITATION
    assert not CompanyMembership.objects.filter(user=dave).exists()
    assert CompanyInvitation.objects.get().accepted_at is None


def test_p_plat_2_forwarded_invitation_link_reveals_nothing_and_joins_nobody(
    client, company, admin
):
    issued = invite(company, admin)
    dave = make_user("dave@elsewhere.example")
    client.force_login(dave)
    link = f"/account/company/join/{issued.token}/"

    shown = client.get(link)
    posted = client.post(link)

    assert (shown.status_code, posted.status_code) == (404, 400)
    for page in (shown, posted):
        assert "Acme Refurb SAS" not in page.content.decode()
        assert "carol@acme.example" not in page.content.decode()
    assert not CompanyMembership.objects.filter(user=dave).exists()
    assert CompanyInvitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("later", "accepted"),
    [(dt.timedelta(days=13, hours=23), True), (dt.timedelta(days=14), False)],
)
def test_p_plat_2_invitation_expires_after_14_days(company, admin, frozen, later, accepted):
    issued = invite(company, admin)
    carol = make_user("carol@acme.example")
    frozen.move_to(NOW + later)

    if accepted:
        company_invitation_accept(token=issued.token, user=carol)
    else:
        with pytest.raises(ValidationError) as refused:
            company_invitation_accept(token=issued.token, user=carol)
        assert refused.value.messages == [INVALID_INVITATION]

    assert CompanyMembership.objects.filter(user=carol).exists() is accepted


def test_p_plat_2_invitation_token_cannot_be_used_twice(company, admin):
    issued = invite(company, admin)
    carol = make_user("carol@acme.example")
    company_invitation_accept(token=issued.token, user=carol)
    company_member_remove(company=company, actor=admin, user=carol)

    with pytest.raises(ValidationError) as refused:
        company_invitation_accept(token=issued.token, user=carol)

    assert refused.value.messages == [INVALID_INVITATION]
    assert not CompanyMembership.objects.filter(user=carol).exists()


def test_p_plat_2_a_member_who_is_not_admin_cannot_invite(company, admin):
    issued = invite(company, admin, email="buyer@acme.example")
    buyer = make_user("buyer@acme.example")
    company_invitation_accept(token=issued.token, user=buyer)
    mail.outbox.clear()

    with pytest.raises(PermissionError, match=r"Only a company admin can do this\."):
        invite(company, buyer, email="friend@elsewhere.example", role="admin")

    assert list(CompanyInvitation.objects.values_list("email", flat=True)) == ["buyer@acme.example"]
    assert mail.outbox == []


def test_p_plat_2_the_last_admin_cannot_be_removed(company, admin):
    with pytest.raises(ValidationError) as refused:
        company_member_remove(company=company, actor=admin, user=admin)

    assert refused.value.messages == ["A company keeps at least one admin."]
    assert CompanyMembership.objects.get().user == admin
    assert not AuditEvent.objects.filter(action="company.leave").exists()


def test_p_plat_2_an_admin_can_go_once_another_admin_remains(company, admin):
    issued = invite(company, admin, email="second@acme.example", role="admin")
    second = make_user("second@acme.example")
    company_invitation_accept(token=issued.token, user=second)

    company_member_remove(company=company, actor=second, user=admin)

    assert list(CompanyMembership.objects.values_list("user__email", "role")) == [
        ("second@acme.example", "admin")
    ]
    assert AuditEvent.objects.get(action="company.leave").subject == admin


# --- Through the pages ----------------------------------------------------------------------


def test_p_plat_2_admin_invites_from_the_company_page_and_the_link_joins(client, company, admin):
    client.force_login(admin)

    sent = client.post("/account/company/", {"email": "carol@acme.example", "role": "buyer"})

    assert (sent.status_code, sent["Location"]) == (302, "/account/company/")
    path = re.search(r"https?://[^/]+(/account/company/join/[^/\s]+/)", mail.outbox[0].body)
    assert path is not None
    carol = make_user("carol@acme.example")
    client.force_login(carol)
    assert client.get(path.group(1)).status_code == 200
    joined = client.post(path.group(1))
    assert (joined.status_code, joined["Location"]) == (302, "/account/company/")
    assert CompanyMembership.objects.get(user=carol).role == "buyer"
    assert client.get(path.group(1)).status_code == 404


def test_p_plat_2_company_page_of_a_buyer_has_no_invitation_form(client, company, admin):
    issued = invite(company, admin, email="buyer@acme.example")
    buyer = make_user("buyer@acme.example")
    company_invitation_accept(token=issued.token, user=buyer)
    mail.outbox.clear()
    client.force_login(buyer)

    response = client.post("/account/company/", {"email": "x@elsewhere.example", "role": "admin"})

    assert response.status_code == 200
    assert CompanyInvitation.objects.count() == 1
    assert mail.outbox == []


def test_p_plat_2_a_company_member_sees_prices_without_vat(client, admin):
    from tests import factories

    variant = factories.variant(factories.device_model("iPhone 13"))
    factories.offer(variant, grade="good", price_minor=45_900)
    consumer = make_user("consumer@example.com")
    company_create(owner=admin, legal_name="Acme Refurb SAS", country="FR")

    client.force_login(consumer)
    consumer_page = client.get(variant.get_absolute_url()).content.decode()
    client.force_login(admin)
    business_page = client.get(variant.get_absolute_url()).content.decode()
    business_category = client.get("/c/smartphones/").content.decode()

    assert "€459.00" in consumer_page and "excl. VAT" not in consumer_page
    assert "€382.50" in business_page and "€459.00" not in business_page
    assert "excl. VAT" in business_page
    assert "€382.50" in business_category  # the cached card is per VAT display


def test_p_plat_2_company_addresses_are_added_by_admins_and_shared_with_members(client, company):
    admin = company.memberships.get(role="admin").user
    buyer = make_user("buyer@acme.example")
    CompanyMembership.objects.create(company=company, user=buyer, role="buyer")
    form = {
        "kind": "billing",
        "full_name": "Accounts payable",
        "company_name": "Acme Refurb SAS",
        "line1": "12 Rue du Commerce",
        "postal_code": "75015",
        "city": "Paris",
        "country": "FR",
    }

    client.force_login(buyer)
    refused = client.post("/account/addresses/new/?for=company", form)
    assert refused.status_code == 404
    assert not company.addresses.exists()

    client.force_login(admin)
    added = client.post("/account/addresses/new/?for=company", form)
    assert (added.status_code, added["Location"]) == (302, "/account/company/")
    address = company.addresses.get()
    assert (address.user, address.line1, address.is_default) == (None, "12 Rue du Commerce", True)

    client.force_login(buyer)
    assert "12 Rue du Commerce" in client.get("/account/profile/").content.decode()
    assert client.get(f"/account/addresses/{address.pk}/").status_code == 404  # admins edit
