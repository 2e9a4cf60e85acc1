"""Social login with Google and Apple keeps only the email and, when given, the name.

(COLLECT-6, AGE-1.) The full OAuth2/OpenID flow runs against a local fake identity provider
over HTTP (``tests/accounts/fake_idp.py``): allauth's real views, token exchange, ID-token
checks and ``sociallogin_from_response`` all run; only the providers' endpoint addresses
are pointed at the fake.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from allauth.socialaccount.providers.apple.views import AppleOAuth2Adapter
from allauth.socialaccount.providers.google import views as google_views
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from django.contrib.sessions.models import Session
from django.test import Client

from recommerce.accounts.models import User
from recommerce.platform import clock
from tests.accounts.fake_idp import (
    APPLE_EXTRA_CLAIMS,
    GOOGLE_EXTRA_CLAIMS,
    GOOGLE_ISSUER,
    FakeIdP,
    FakeIdPServer,
    Person,
    ec_key,
    parse_form,
    path_of,
    pem,
    rsa_key,
)

pytestmark = pytest.mark.django_db

GOOGLE_CLIENT = ("recommerce-test.apps.googleusercontent.com", "google-test-secret")
APPLE_CLIENT = ("com.example.recommerce.web", "TEAM123456", "KEY1234567")  # id, team, key id
SIGNUP_URL = "/account/3rdparty/signup/"
KEPT = {"email", "email_verified", "name"}
# Claims and token fields that reach allauth and must never be kept (COLLECT-6).
NEVER_KEPT = {
    *GOOGLE_EXTRA_CLAIMS,
    *APPLE_EXTRA_CLAIMS,
    *("given_name", "family_name", "azp", "at_hash", "auth_time", "sub", "iss", "aud"),
    *("access_token", "refresh_token", "id_token", "token_type", "expires_in"),
}

EXCHANGE = {
    "google": ["/google/auth", "/google/token"],
    "apple": ["/apple/auth/authorize", "/apple/auth/token", "/apple/auth/keys"],
}


def providers_settings() -> dict[str, Any]:
    """The apps as settings.py builds them from the environment."""
    client_id, team_id, key_id = APPLE_CLIENT
    return {
        "google": {
            "APP": {"client_id": GOOGLE_CLIENT[0], "secret": GOOGLE_CLIENT[1]},
            "SCOPE": ["openid", "email", "profile"],
        },
        "apple": {
            "APPS": [
                {
                    "client_id": client_id,
                    "secret": key_id,
                    "key": team_id,
                    "settings": {"certificate_key": pem(ec_key())},
                }
            ]
        },
    }


@pytest.fixture
def idp(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIdP]:
    """A running fake IdP, with allauth's Google and Apple endpoints pointed at it."""
    fake = FakeIdP(
        person=Person(
            sub="108234567890123456789",
            email="hanako@example.com",
            first_name="Hanako",
            last_name="Yamada",
            display_name="Yamada Hanako",
        ),
        google_client=GOOGLE_CLIENT,
        apple_client=APPLE_CLIENT,
        apple_client_public_key=ec_key().public_key(),
    )
    with FakeIdPServer(fake) as running:
        url = running.url
        monkeypatch.setattr(GoogleOAuth2Adapter, "authorize_url", url("/google/auth"))
        monkeypatch.setattr(GoogleOAuth2Adapter, "access_token_url", url("/google/token"))
        monkeypatch.setattr(google_views, "CERTS_URL", url("/google/certs"))
        monkeypatch.setattr(AppleOAuth2Adapter, "authorize_url", url("/apple/auth/authorize"))
        monkeypatch.setattr(AppleOAuth2Adapter, "access_token_url", url("/apple/auth/token"))
        monkeypatch.setattr(AppleOAuth2Adapter, "public_key_url", url("/apple/auth/keys"))
        settings.SOCIALACCOUNT_PROVIDERS = providers_settings()
        yield running


def sign_in(client: Client, idp: FakeIdP, provider: str) -> Any:
    """Start a login on our site, pass through the IdP as a browser would, come back."""
    start = client.post(f"/account/{provider}/login/")
    assert start.status_code == 302
    assert start["Location"].startswith(idp.url(f"/{provider}/"))
    at_idp = requests.get(start["Location"], allow_redirects=False, timeout=5)
    if provider == "google":
        assert at_idp.status_code == 302
        return client.get(path_of(at_idp.headers["Location"]))
    # Apple answers with a self-submitting form (response_mode=form_post) to our callback,
    # which parks the answer and redirects to the "finish" view.
    action, fields = parse_form(at_idp.text)
    posted = client.post(path_of(action), fields)
    assert posted.status_code == 302
    return client.get(path_of(posted["Location"]))


def signup_page_values(client: Client) -> dict[str, str]:
    response = client.get(SIGNUP_URL)
    assert response.status_code == 200
    _, fields = parse_form(response.content.decode())
    return fields


def submit_signup(client: Client, **details: str) -> Any:
    """Submit the social sign-up form as a browser would: its pre-filled values, plus ours."""
    fields = signup_page_values(client)
    data = {"email": fields["email"], "full_name": fields["full_name"], **details}
    return client.post(SIGNUP_URL, data)


def only_kept(extra_data: dict[str, Any]) -> None:
    assert set(extra_data) <= KEPT, extra_data
    assert not set(extra_data) & NEVER_KEPT


def stored_sessions_text() -> str:
    return " ".join(json.dumps(s.get_decoded()) for s in Session.objects.all())


def assert_pending_signup_holds_only_kept_data() -> None:
    """A social sign-up waiting for its form is parked in the session table: it must hold
    neither extra claims nor the provider's tokens (tokens are not kept)."""
    (pending,) = [
        data["socialaccount_sociallogin"]
        for data in (s.get_decoded() for s in Session.objects.all())
        if "socialaccount_sociallogin" in data
    ]
    only_kept(pending["account"]["extra_data"])
    assert "token" not in pending
    held = stored_sessions_text()
    for value in ("lh3.googleusercontent.com", "+33612345678", "real_user_status"):
        assert value not in held


def assert_nothing_stored() -> None:
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not SocialToken.objects.exists()
    assert "socialaccount_sociallogin" not in stored_sessions_text()


def test_p_collect_6_google_sign_up_keeps_only_email_and_name(client, idp):
    response = sign_in(client, idp, "google")

    assert response.status_code == 302
    assert response["Location"] == SIGNUP_URL
    # The pending sign-up (held in the session) already carries none of the extra claims.
    assert_pending_signup_holds_only_kept_data()
    fields = signup_page_values(client)
    assert (fields["email"], fields["full_name"]) == ("hanako@example.com", "Yamada Hanako")

    response = submit_signup(client, country="FR", birth_date="1990-05-01")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.full_name, user.birth_date) == (
        "hanako@example.com",
        "Yamada Hanako",
        dt.date(1990, 5, 1),
    )
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("google", idp.person.sub)
    assert account.extra_data == {
        "email": "hanako@example.com",
        "email_verified": True,
        "name": "Yamada Hanako",
    }
    assert not SocialToken.objects.exists()
    # The flow really went through the IdP: authorize, then the code exchange.
    assert idp.paths() == EXCHANGE["google"]
    token_request = idp.requests[1].form
    assert token_request["client_id"] == GOOGLE_CLIENT[0]
    assert token_request["client_secret"] == GOOGLE_CLIENT[1]
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["code"] and not idp.codes  # the code was redeemed, once


def test_p_collect_6_apple_sign_up_keeps_the_name_apple_sends_once(client, idp):
    response = sign_in(client, idp, "apple")

    assert response.status_code == 302
    assert response["Location"] == SIGNUP_URL
    # The name came in the form post's `user` field only; Apple's ID token has none.
    (posted,) = idp.form_posts
    assert json.loads(posted["user"])["name"] == {"firstName": "Hanako", "lastName": "Yamada"}
    assert "name" not in jwt.decode(posted["id_token"], options={"verify_signature": False})
    assert_pending_signup_holds_only_kept_data()
    fields = signup_page_values(client)
    assert (fields["email"], fields["full_name"]) == ("hanako@example.com", "Hanako Yamada")
    response = submit_signup(client, country="US", adult_attested="on")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.full_name) == ("hanako@example.com", "Hanako Yamada")
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("apple", idp.person.sub)
    assert account.extra_data == {
        "email": "hanako@example.com",
        "email_verified": "true",
        "name": {"firstName": "Hanako", "lastName": "Yamada"},
    }
    assert not SocialToken.objects.exists()
    assert idp.paths() == EXCHANGE["apple"]
    # The fake checked the client secret, an ES256 JWT signed with the app's private key.
    token_request = idp.requests[1].form
    assert token_request["client_id"] == APPLE_CLIENT[0]
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["code"] and not idp.codes
    # The temporary Apple session that carried the form post is gone.
    assert not [s for s in Session.objects.all() if "id_token" in s.get_decoded()]


def test_p_collect_6_second_google_login_signs_in_and_keeps_extra_data_trimmed(client, idp):
    sign_in(client, idp, "google")
    submit_signup(client, country="FR", birth_date="1990-05-01")
    user = User.objects.get()
    client.logout()
    idp.person.display_name = "Hanako YAMADA"  # changed at Google since

    response = sign_in(client, idp, "google")

    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert User.objects.get().full_name == "Yamada Hanako"  # the person's own, unchanged
    account = SocialAccount.objects.get()
    # allauth rewrote extra_data from the new ID token, and it is still trimmed.
    assert account.extra_data == {
        "email": "hanako@example.com",
        "email_verified": True,
        "name": "Hanako YAMADA",
    }
    assert not SocialToken.objects.exists()
    assert idp.paths().count("/google/token") == 2


def test_p_collect_6_second_apple_login_gets_no_name_and_keeps_the_stored_one(client, idp):
    sign_in(client, idp, "apple")
    submit_signup(client, country="US", adult_attested="on")
    client.logout()

    response = sign_in(client, idp, "apple")

    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    user = User.objects.get()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.full_name == "Hanako Yamada"
    # Apple sent no `user` field this time: only the ID token's email claims remain.
    assert "user" in idp.form_posts[0] and "user" not in idp.form_posts[1]
    assert SocialAccount.objects.get().extra_data == {
        "email": "hanako@example.com",
        "email_verified": "true",
    }
    assert not SocialToken.objects.exists()


@pytest.mark.parametrize(
    ("provider", "tamper"),
    [
        ("google", "audience"),
        ("google", "expired"),
        ("apple", "audience"),
        ("apple", "foreign_key"),
    ],
)
def test_p_collect_6_tampered_id_token_is_refused(client, idp, provider, tamper):
    """A token for another client, an expired one, or one not signed by Apple is refused.

    Google's code flow is not tried with a foreign signature: allauth trusts an ID token it
    fetched itself from Google's token endpoint over TLS and skips its signature (OpenID
    Connect Core 3.1.3.7), which is why the next test keeps that endpoint on HTTPS.
    """
    if tamper == "audience":
        idp.claim_overrides = {"aud": "someone-else"}
    elif tamper == "expired":
        idp.claim_overrides = {"exp": int(time.time()) - 120}
    else:
        idp.sign_with = rsa_key("intruder")  # same kid as the published key, other key

    response = sign_in(client, idp, provider)

    assert response.status_code == 401
    assert "Third-Party Login Failure" in response.content.decode()
    assert_nothing_stored()
    assert not [s for s in Session.objects.all() if "id_token" in s.get_decoded()]
    # Refused by the checks after a real code exchange (Apple: after fetching its keys).
    assert idp.paths() == EXCHANGE[provider]


def test_p_collect_6_google_id_tokens_come_from_https_endpoints():
    assert GoogleOAuth2Adapter.access_token_url == "https://oauth2.googleapis.com/token"
    assert google_views.CERTS_URL.startswith("https://www.googleapis.com/")
    assert AppleOAuth2Adapter.access_token_url.startswith("https://appleid.apple.com/")
    assert AppleOAuth2Adapter.public_key_url.startswith("https://appleid.apple.com/")


@pytest.mark.parametrize("signer", ["google", "intruder"])
def test_p_collect_6_google_one_tap_token_must_be_signed_by_google(client, idp, signer):
    """Google's "login by token" endpoint checks the signature against the published certs."""
    idp.sign_with = None if signer == "google" else rsa_key("intruder")
    credential = idp.id_token(GOOGLE_ISSUER, GOOGLE_CLIENT[0], **idp.google_claims())
    client.cookies["g_csrf_token"] = "double-submit"

    response = client.post(
        "/account/google/login/token/",
        {"credential": credential, "g_csrf_token": "double-submit"},
    )

    assert "/google/certs" in idp.paths()
    if signer == "google":
        assert response.status_code == 302
        assert response["Location"] == SIGNUP_URL
        assert_pending_signup_holds_only_kept_data()
    else:
        assert response.status_code == 401
        assert "Third-Party Login Failure" in response.content.decode()
        assert_nothing_stored()


@pytest.mark.parametrize("provider", ["google", "apple"])
def test_p_age_1_under_13_on_social_signup_is_refused_and_nothing_stored(client, idp, provider):
    sign_in(client, idp, provider)
    # Ten years old whatever the day the suite runs (no real-date arithmetic that can fail).
    ten_years_ago = clock.today() - dt.timedelta(days=10 * 365)

    response = submit_signup(client, country="FR", birth_date=ten_years_ago.isoformat())

    assert response.status_code == 200
    assert "at least 13 years old" in response.content.decode()
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.exists()


def test_p_collect_6_without_credentials_no_social_login_is_offered(client, idp, settings):
    page = client.get("/account/login/").content.decode()
    assert "/account/google/login/" in page and "/account/apple/login/" in page  # control

    settings.SOCIALACCOUNT_PROVIDERS = {}

    page = client.get("/account/login/").content.decode()
    assert "/account/google/login/" not in page
    assert "/account/apple/login/" not in page
    for provider, callback in [("google", "callback/"), ("apple", "callback/finish/")]:
        assert client.post(f"/account/{provider}/login/").status_code == 404
        assert client.get(f"/account/{provider}/login/{callback}?code=x&state=y").status_code == 404
    assert idp.requests == []
    assert not client.session.get("socialaccount_states")
