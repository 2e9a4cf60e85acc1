"""The account API as the mobile app uses it: allauth's app sign-in, then /api/v1/me…"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from recommerce.accounts.models import Address, Seller, User
from recommerce.accounts.services.api_keys import seller_api_key_issue, seller_api_key_revoke
from recommerce.accounts.services.sellers import seller_onboarding_start
from recommerce.offers.models import Offer
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


def person(email: str) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name="Ada Lovelace")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def app_token(client, email: str) -> str:
    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": email, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_p_plat_3_app_signs_in_and_reads_its_profile_with_the_session_token(client):
    """Hardening item 1: with django-allauth 65.22 every X-Session-Token call answered 500.

    A stale or unknown token is refused with 401, never a server error.
    """
    person("ada@example.com")
    token = app_token(client, "ada@example.com")
    client.cookies.clear()
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    response = client.get("/api/v1/me", headers={"X-Session-Token": token})
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.com"
    assert response.json()["may_transact"] is False  # no age declaration yet
    stale = client.get("/api/v1/me", headers={"X-Session-Token": "no-such-session"})
    assert stale.status_code == 401


def test_p_right_2_profile_correction_through_the_api_validates_like_the_web(client):
    user = person("ada@example.com")
    token = app_token(client, "ada@example.com")
    headers = {"X-Session-Token": token}
    bad = client.patch(
        "/api/v1/me", {"phone": "12"}, content_type="application/json", headers=headers
    )
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["loc"] == ["body", "phone"]
    user.refresh_from_db()
    assert user.phone == ""
    good = client.patch(
        "/api/v1/me",
        {"phone": "06 12 34 56 78", "country": "fr", "full_name": "Ada King"},
        content_type="application/json",
        headers=headers,
    )
    assert good.status_code == 200
    assert good.json()["phone"] == "+33612345678"
    assert good.json()["full_name"] == "Ada King"


def test_p_sec_2_addresses_of_another_person_are_out_of_reach(client):
    person("ada@example.com")
    other = person("bob@example.com")
    theirs = Address.objects.create(
        user=other,
        kind="delivery",
        full_name="Bob",
        line1="1 Rue Secrète",
        postal_code="75001",
        city="Paris",
        country="FR",
    )
    headers = {"X-Session-Token": app_token(client, "ada@example.com")}
    created = client.post(
        "/api/v1/me/addresses",
        {
            "kind": "delivery",
            "full_name": "Ada",
            "line1": "2 Rue Ouverte",
            "postal_code": "69001",
            "city": "Lyon",
            "country": "fr",
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    assert created.json()["is_default"] is True
    listed = client.get("/api/v1/me/addresses", headers=headers).json()
    assert [a["line1"] for a in listed] == ["2 Rue Ouverte"]
    patched = client.patch(
        f"/api/v1/me/addresses/{theirs.pk}",
        {"city": "Nowhere"},
        content_type="application/json",
        headers=headers,
    )
    deleted = client.delete(f"/api/v1/me/addresses/{theirs.pk}", headers=headers)
    assert (patched.status_code, deleted.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.city == "Paris"


def issued_key(seller: Seller, owner: User, *scopes: str) -> str:
    return seller_api_key_issue(seller=seller, actor=owner, name="Stock sync", scopes=scopes).secret


def test_seller_key_publishes_offers_only_for_an_approved_seller_with_the_scope(client):
    owner = person("owner@example.com")
    seller = seller_onboarding_start(
        user=owner, name="Fresh Phones", legal_name="Fresh Phones SAS", country="FR"
    )
    variant = factories.variant()
    body = {"variant_id": variant.pk, "grade": "good", "price": 19900, "stock": 3}
    write = issued_key(seller, owner, "offers:write")
    draft = client.post(
        "/api/v1/seller/offers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {write}"},
    )
    assert draft.status_code == 400
    assert "approved" in draft.json()["detail"][0]["msg"]
    assert not Offer.objects.filter(seller=seller).exists()

    Seller.objects.filter(pk=seller.pk).update(status=Seller.Status.ACTIVE)
    read_only = issued_key(seller, owner, "offers:read")
    refused = client.post(
        "/api/v1/seller/offers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {read_only}"},
    )
    assert refused.status_code == 403
    published = client.post(
        "/api/v1/seller/offers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {write}"},
    )
    assert published.status_code == 201
    assert published.json()["price"] == 19900
    listed = client.get("/api/v1/seller/offers", headers={"Authorization": f"Bearer {read_only}"})
    assert [o["id"] for o in listed.json()] == [published.json()["id"]]

    key = seller.api_keys.get(scopes=["offers:write"])
    seller_api_key_revoke(key=key, actor=owner)
    revoked = client.post(
        "/api/v1/seller/offers",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {write}"},
    )
    assert revoked.status_code == 401
    assert Offer.objects.filter(seller=seller).count() == 1
