import re, time
import pytest
from django.core import mail
from django.test import Client
from django.contrib.sessions.models import Session
from recommerce.accounts.models import User
from tests.accounts.conftest import make_user, PASSWORD
from allauth.mfa.totp.internal.auth import hotp_value, format_hotp_value, SECRET_SESSION_KEY
from allauth.mfa.models import Authenticator

pytestmark = pytest.mark.django_db

def test_probe(client):
    u = make_user("a@example.com")
    for i in range(6):
        r = client.post("/account/login/", {"login": "a@example.com", "password": "wrong"})
        print(i, r.status_code, r.get("Location"), "Too many" in r.content.decode())
    r = client.post("/account/login/", {"login": "a@example.com", "password": PASSWORD})
    print("right", r.status_code, r.get("Location"), "Too many" in r.content.decode(), "_auth_user_id" in client.session)

def test_probe_dup(client):
    make_user("a@example.com")
    data = {"email": "a@example.com", "password1": PASSWORD, "password2": PASSWORD,
            "full_name": "New Person", "country": "FR", "birth_date": "1990-05-01"}
    r = client.post("/account/signup/", data)
    print("dup", r.status_code, r.get("Location"), [(m.subject, m.to) for m in mail.outbox], dict(client.session))

def test_probe_logout(client):
    make_user("a@example.com")
    r = client.post("/account/login/", {"login": "a@example.com", "password": PASSWORD})
    key = client.session.session_key
    cookie = client.cookies["sessionid"].value
    print(key == cookie, Session.objects.filter(session_key=key).exists())
    r = client.post("/account/logout/")
    print("logout", r.status_code, r.get("Location"), Session.objects.filter(session_key=key).exists())
    c = Client()
    c.cookies["sessionid"] = cookie
    r = c.get("/account/profile/")
    print("old cookie", r.status_code, r.get("Location"))

def test_probe_totp(client):
    u = make_user("a@example.com")
    r = client.post("/account/login/", {"login": "a@example.com", "password": PASSWORD})
    r = client.get("/account/2fa/totp/activate/")
    print("get act", r.status_code, r.get("Location"))
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    r = client.post("/account/2fa/totp/activate/", {"code": "000000" if code != "000000" else "111111"})
    print("bad act", r.status_code, Authenticator.objects.count())
    r = client.post("/account/2fa/totp/activate/", {"code": code})
    print("act", r.status_code, r.get("Location"), list(Authenticator.objects.values_list("type", flat=True)))
    print([(m.subject, m.to) for m in mail.outbox])
    client.post("/account/logout/")
    r = client.post("/account/login/", {"login": "a@example.com", "password": PASSWORD})
    print("login", r.status_code, r.get("Location"), "_auth_user_id" in client.session)
    r = client.post("/account/2fa/authenticate/", {"code": "123456"})
    print("bad code", r.status_code, r.get("Location"), "_auth_user_id" in client.session)
    r = client.post("/account/2fa/authenticate/", {"code": code})
    print("good code", r.status_code, r.get("Location"), "_auth_user_id" in client.session)
