"""allauth's pages look like the site, and signing in returns the person (Hardening 5.8)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, make_user
from tests.catalog.test_search import shop  # noqa: F401  # a category page with results

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = [
    "account_logout",
    "account_change_password",
    "account_email",
    "account_reauthenticate",
    "mfa_index",
    "mfa_activate_totp",
]


def _assert_site_page(html: str) -> None:
    # The site's header and footer, not allauth's stock layout ("Menu:", "Messages:").
    assert 'class="brand"' in html and 'class="site-footer' in html
    assert "<strong>Menu:</strong>" not in html
    # Labels without Django's colon suffix, above their inputs, as on the site's own forms.
    assert not re.search(r":</label>", html)
    assert "Remember Me" not in html
    assert len(re.findall(r"<h1\b", html)) == 1


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_entrance_pages_are_the_site_s_own(client, name):
    """Hardening 5.8: sign-in, sign-up, reset and verification use the site's layout."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    _assert_site_page(html)
    assert 'class="auth-card"' in html


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_are_the_site_s_own(name):
    """Hardening 5.8: sign-out, password, email, re-authentication and two-factor pages."""
    person = make_user("camille@example.com")
    client = Client()
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_site_page(response.content.decode())


def test_the_sign_in_form_reads_like_the_site():
    """Hardening 5.8: "Keep me signed in on this device", not "Remember Me:"."""
    html = Client().get(reverse("account_login")).content.decode()
    assert '<label for="id_remember">Keep me signed in on this device</label>' in html
    assert '<label for="id_login">Email</label>' in html
    assert ">Sign in</button>" in html


def test_the_header_s_sign_in_link_carries_the_page_shown(client, shop):  # noqa: F811
    """Hardening 5.8: the header links to the sign-in page with ``next`` = this page."""
    html = client.get("/c/smartphones/?brand=apple").content.decode()
    assert 'href="/account/login/?next=%2Fc%2Fsmartphones%2F%3Fbrand%3Dapple">Sign in<' in html
    login = client.get("/account/login/").content.decode()
    assert 'href="/account/login/">Sign in<' in login  # never back to the sign-in page


def test_signing_in_returns_to_the_page_the_person_came_from():
    """Hardening 5.8: after signing in, the person is back where they were."""
    make_user("camille@example.com")
    client = Client()
    response = client.post(
        "/account/login/?next=/c/smartphones/%3Fbrand%3Dapple",
        {
            "login": "camille@example.com",
            "password": PASSWORD,
            "next": "/c/smartphones/?brand=apple",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/c/smartphones/?brand=apple"


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_signing_in_never_follows_next_to_another_site(target):
    """Hardening 5.8: ``next`` outside the site is ignored; the profile is shown instead."""
    make_user("camille@example.com")
    client = Client()
    response = client.post(
        "/account/login/", {"login": "camille@example.com", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
