"""A seller's owner invites colleagues by email, each in one role."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.accounts.models import SellerInvitation, SellerMembership
from recommerce.accounts.services import sellers
from recommerce.accounts.services.invitations import INVALID_INVITATION, token_hash
from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user("owner@atelier.example", full_name="Nadia Owner")


@pytest.fixture
def seller(owner):
    return sellers.seller_onboarding_start(
        user=owner, name="Atelier Nadia", legal_name="Atelier Nadia SAS", country="FR"
    )


def test_the_owner_invites_a_catalog_manager_who_joins_through_the_emailed_link(
    client, owner, seller
):
    client.force_login(owner)
    sent = client.post(
        "/account/seller/people/", {"email": "Leo@Atelier.example", "role": "catalog"}
    )
    assert (sent.status_code, sent["Location"]) == (302, "/account/seller/")
    [message] = mail.outbox
    assert message.to == ["leo@atelier.example"]
    assert message.subject == "Recommerce: join Atelier Nadia"
    link = re.search(r"/account/seller/join/(\S+)/", message.body)
    assert link is not None
    assert SellerInvitation.objects.get().token_hash == token_hash(link.group(1))
    assert "leo@atelier.example" in client.get("/account/seller/").content.decode()

    leo = make_user("leo@atelier.example")
    client.force_login(leo)
    page = client.get(link.group(0))
    assert page.status_code == 200 and "Atelier Nadia" in page.content.decode()
    joined = client.post(link.group(0))

    assert (joined.status_code, joined["Location"]) == (302, "/account/seller/")
    membership = SellerMembership.objects.get(user=leo)
    assert (membership.seller, membership.role) == (seller, "catalog")
    assert client.post(link.group(0)).status_code == 400  # used once


def test_only_an_owner_invites_and_a_wrong_address_learns_nothing(client, owner, seller):
    manager = make_user("manager@atelier.example")
    sellers.seller_member_add(seller=seller, actor=owner, user=manager, role="catalog")
    with pytest.raises(PermissionError):
        sellers.seller_invitation_create(
            seller=seller, actor=manager, email="x@example.com", role="finance"
        )
    assert (SellerInvitation.objects.count(), mail.outbox) == (0, [])

    issued = sellers.seller_invitation_create(
        seller=seller, actor=owner, email="leo@atelier.example", role="orders"
    )
    stranger = make_user("stranger@example.com")
    with pytest.raises(ValidationError) as refused:
        sellers.seller_invitation_accept(token=issued.token, user=stranger)
    assert refused.value.messages == [INVALID_INVITATION]
    client.force_login(stranger)
    page = client.get(f"/account/seller/join/{issued.token}/")
    assert page.status_code == 404 and "Atelier Nadia" not in page.content.decode()
    assert not SellerMembership.objects.filter(user=stranger).exists()


def test_a_bad_role_or_address_is_refused_and_the_last_owner_stays(owner, seller):
    with pytest.raises(ValidationError):
        sellers.seller_invitation_create(seller=seller, actor=owner, email="a@b.c", role="boss")
    with pytest.raises(ValidationError):
        sellers.seller_invitation_create(seller=seller, actor=owner, email="nope", role="orders")
    assert SellerInvitation.objects.count() == 0
    with pytest.raises(ValidationError):
        sellers.seller_member_remove(seller=seller, actor=owner, user=owner)
    assert seller.memberships.filter(user=owner, role="owner").exists()
