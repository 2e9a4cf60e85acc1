"""Sign-up, email verification, sign-in, throttling, logout and TOTP (COLLECT-1, SEC-2).

Everything goes through django-allauth's real views, as a browser would.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from recommerce.accounts.models import User
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/account/signup/"
LOGIN_URL = "/account/login/"
VERIFICATION_SENT_URL = "/account/confirm-email/"
BAD_CREDENTIALS = "The email address and/or password you specified are not correct."
THROTTLED = "Too many failed login attempts. Try again later."


def signup_data(email: str, **extra: str) -> dict[str, str]:
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Camille Petit",
        "country": "FR",
        "birth_date": "1990-05-01",
        **extra,
    }


def login(client: Client, email: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def totp_code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def wrong_totp_code(secret: str) -> str:
    valid = {totp_code(secret, offset) for offset in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


def test_p_collect_1_signup_stores_argon2_hash_and_sends_verification_link(client):
    response = client.post(SIGNUP_URL, signup_data("camille@example.com"))

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    user = User.objects.get()
    assert (user.email, user.full_name, user.country.code, user.birth_date) == (
        "camille@example.com",
        "Camille Petit",
        "FR",
        dt.date(1990, 5, 1),
    )
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (
        "camille@example.com",
        False,
        True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@example.com"]
    assert message.subject == "Recommerce: Please Confirm Your Email Address"
    assert signed_in_as(client) is None


def test_p_sec_2_sign_in_before_verification_does_not_log_in(client):
    client.post(SIGNUP_URL, signup_data("camille@example.com"))
    user = User.objects.get()

    other = Client()
    response = login(other, "camille@example.com")

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    assert signed_in_as(other) is None
    profile = other.get("/account/profile/")
    assert profile.status_code == 302
    assert profile["Location"] == "/account/login/?next=/account/profile/"
    assert EmailAddress.objects.get(user=user).verified is False


def test_p_sec_2_following_the_email_link_verifies_then_sign_in_works(client):
    client.post(SIGNUP_URL, signup_data("camille@example.com"))
    user = User.objects.get()
    link = re.search(r"https?://testserver(/account/confirm-email/\S+/)", mail.outbox[0].body)
    assert link is not None
    path = link.group(1)

    browser = Client()
    assert browser.get(path).status_code == 200
    assert EmailAddress.objects.get(user=user).verified is False  # a GET changes nothing
    confirmed = browser.post(path)

    assert confirmed.status_code == 302
    assert confirmed["Location"] == LOGIN_URL
    assert EmailAddress.objects.get(user=user).verified is True
    response = login(browser, "camille@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/account/profile/"
    assert signed_in_as(browser) == str(user.pk)
    assert browser.get("/account/profile/").status_code == 200


@pytest.mark.parametrize("typed", ["taken@example.com", "Taken@Example.COM"])
def test_p_sec_2_signup_with_used_email_answers_like_a_fresh_one_and_creates_no_user(typed):
    owner = make_user("taken@example.com", full_name="First Owner")
    password_before = owner.password

    fresh = Client().post(SIGNUP_URL, signup_data("fresh@example.com"))
    taken = Client().post(SIGNUP_URL, signup_data(typed, full_name="Intruder"))

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert (taken.status_code, taken["Location"]) == (302, VERIFICATION_SENT_URL)
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert User.objects.count() == 2
    owner.refresh_from_db()
    assert (owner.full_name, owner.password) == ("First Owner", password_before)
    assert EmailAddress.objects.filter(email__iexact="taken@example.com").count() == 1
    # The owner is told by email; the person signing up learns nothing on the page.
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert sent == [
        (["fresh@example.com"], "Recommerce: Please Confirm Your Email Address"),
        (["taken@example.com"], "Recommerce: Account Already Exists"),
    ]
    assert "/account/confirm-email/" not in mail.outbox[1].body


def test_p_sec_2_password_reset_answers_the_same_for_known_and_unknown_email():
    make_user("known@example.com")

    known = Client().post("/account/password/reset/", {"email": "known@example.com"})
    unknown = Client().post("/account/password/reset/", {"email": "nobody@example.com"})

    assert (known.status_code, known["Location"]) == (302, "/account/password/reset/done/")
    assert (unknown.status_code, unknown["Location"]) == (302, "/account/password/reset/done/")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["known@example.com"], "Recommerce: Password Reset Email"),
        (["nobody@example.com"], "Recommerce: Unknown Account"),
    ]
    assert "/account/password/reset/key/" in mail.outbox[0].body
    assert "/account/password/reset/key/" not in mail.outbox[1].body


def test_p_sec_2_repeated_failed_logins_block_even_the_right_password(client):
    user = make_user("target@example.com")
    bystander = make_user("bystander@example.com")

    for _ in range(5):
        failed = login(client, "target@example.com", "not-the-password")
        assert failed.status_code == 200
        assert BAD_CREDENTIALS in failed.content.decode()
    throttled = login(client, "target@example.com")

    assert throttled.status_code == 200
    assert THROTTLED in throttled.content.decode()
    assert signed_in_as(client) is None
    # The limit is per account: another person on the same network still signs in.
    other = Client()
    assert login(other, "bystander@example.com").status_code == 302
    assert signed_in_as(other) == str(bystander.pk)
    # It is a throttle, not a lock-out: five minutes later the right password works.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=301)):
        later = Client()
        response = login(later, "target@example.com")
        assert (response.status_code, response["Location"]) == (302, "/account/profile/")
        assert signed_in_as(later) == str(user.pk)


def test_p_sec_2_logout_by_post_ends_the_session_on_the_server(client):
    make_user("leaving@example.com")
    login(client, "leaving@example.com")
    session_key = client.session.session_key
    stolen_cookie = client.cookies["sessionid"].value
    assert stolen_cookie == session_key
    assert Session.objects.filter(session_key=session_key).exists()

    # A GET only asks for confirmation; it must not end the session.
    assert client.get("/account/logout/").status_code == 200
    assert Session.objects.filter(session_key=session_key).exists()
    response = client.post("/account/logout/")

    assert (response.status_code, response["Location"]) == (302, "/")
    assert not Session.objects.filter(session_key=session_key).exists()
    replay = Client()
    replay.cookies["sessionid"] = stolen_cookie
    profile = replay.get("/account/profile/")
    assert (profile.status_code, profile["Location"]) == (
        302,
        "/account/login/?next=/account/profile/",
    )
    assert replay.session.get("_auth_user_id") is None


def test_p_sec_2_totp_activation_then_login_asks_for_a_valid_code(client):
    user = make_user("mfa@example.com")
    login(client, "mfa@example.com")
    # Activating a second factor asks for the password again first.
    first = client.get("/account/2fa/totp/activate/")
    assert (
        first["Location"] == "/account/reauthenticate/?next=%2Faccount%2F2fa%2Ftotp%2Factivate%2F"
    )
    client.post("/account/reauthenticate/", {"password": PASSWORD})
    assert client.get("/account/2fa/totp/activate/").status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    refused = client.post("/account/2fa/totp/activate/", {"code": wrong_totp_code(secret)})
    assert refused.status_code == 200
    assert "Incorrect code." in refused.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    activated = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})

    assert (activated.status_code, activated["Location"]) == (302, "/account/2fa/recovery-codes/")
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert decrypt(totp.data["secret"]) == secret
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) == 10

    client.post("/account/logout/")
    browser = Client()
    password_step = login(browser, "mfa@example.com")
    assert (password_step.status_code, password_step["Location"]) == (
        302,
        "/account/2fa/authenticate/",
    )
    assert signed_in_as(browser) is None
    wrong = browser.post("/account/2fa/authenticate/", {"code": wrong_totp_code(secret)})
    assert wrong.status_code == 200
    assert signed_in_as(browser) is None
    right = browser.post("/account/2fa/authenticate/", {"code": totp_code(secret)})
    assert (right.status_code, right["Location"]) == (302, "/account/profile/")
    assert signed_in_as(browser) == str(user.pk)


def test_p_sec_2_a_recovery_code_replaces_the_totp_code_once():
    user = make_user("lost-phone@example.com")
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    first = Client()
    login(first, "lost-phone@example.com")
    response = first.post("/account/2fa/authenticate/", {"code": code})
    assert (response.status_code, response["Location"]) == (302, "/account/profile/")
    assert signed_in_as(first) == str(user.pk)

    second = Client()
    login(second, "lost-phone@example.com")
    reused = second.post("/account/2fa/authenticate/", {"code": code})
    assert reused.status_code == 200
    assert signed_in_as(second) is None
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert code not in RecoveryCodes(recovery).get_unused_codes()
    assert len(RecoveryCodes(recovery).get_unused_codes()) == 9


def test_signing_up_from_a_page_returns_there_after_the_email_link(client):
    """Hardening 5.8: after sign-up and the verification link, the person landed on their
    profile; now the link carries the page they came from, through the sign-in."""
    came_from = "/c/smartphones/?grade=excellent"
    client.post(f"{SIGNUP_URL}?next=/x", {**signup_data("camille@example.com"), "next": came_from})
    link = re.search(r"https?://testserver(/account/confirm-email/\S+)", mail.outbox[0].body)
    assert link is not None

    browser = Client()
    page = browser.get(link.group(1))
    confirmed = browser.post(link.group(1), {"next": page.context["redirect_field_value"]})

    assert EmailAddress.objects.get(email="camille@example.com").verified is True
    assert confirmed["Location"] == "/account/login/?next=%2Fc%2Fsmartphones%2F%3Fgrade%3Dexcellent"
    signed_in = browser.post(
        confirmed["Location"],
        {"login": "camille@example.com", "password": PASSWORD, "next": came_from},
    )
    assert signed_in["Location"] == came_from


def test_a_verification_link_never_carries_another_site(client):
    """Hardening 5.8: a ``next`` pointing off the site is dropped from the emailed link."""
    client.post(SIGNUP_URL, {**signup_data("camille@example.com"), "next": "https://evil.example/"})
    assert "evil" not in mail.outbox[0].body
    assert "next=" not in mail.outbox[0].body
