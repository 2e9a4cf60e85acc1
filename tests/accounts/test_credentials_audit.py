"""Changes made through allauth's own pages leave audit rows too (RIGHT-2)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from recommerce.accounts.models import User
from recommerce.privacy.models import AuditEvent
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Quartz-Lantern-Meadow-91"


def test_p_right_2_a_password_change_is_audited_without_the_password(client):
    user = make_user("ada@example.com")
    client.force_login(user)
    response = client.post(
        "/account/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="password.change")
    assert (event.actor, event.subject, event.fields) == (user, user, ["password"])
    assert NEW_PASSWORD not in repr(AuditEvent.objects.values())


def test_p_right_2_an_email_change_is_verified_then_audited(client):
    user = make_user("ada@example.com")
    client.force_login(user)
    first = client.post("/account/email/", {"email": "ada@new.example", "action_add": ""})
    assert first.status_code == 302 and "/reauthenticate/" in first["Location"]
    assert mail.outbox == []  # nothing happens before the password is asked again
    resumed = client.post(first["Location"], {"password": PASSWORD})  # the change goes on
    assert resumed.status_code == 302
    assert User.objects.get(pk=user.pk).email == "ada@example.com"  # not before verification
    assert not AuditEvent.objects.filter(action="email.change").exists()

    link = re.search(r"/account/confirm-email/\S+/", mail.outbox[-1].body)
    assert link is not None and mail.outbox[-1].to == ["ada@new.example"]
    client.post(link.group(0))

    assert User.objects.get(pk=user.pk).email == "ada@new.example"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "ada@new.example"
    ]
    event = AuditEvent.objects.get(action="email.change")
    assert (event.subject, event.fields) == (user, ["email"])
