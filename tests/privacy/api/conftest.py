"""What the privacy API tests share: the app as a client, signed in through allauth's app API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from recommerce.accounts.models import User
from tests.accounts.conftest import PASSWORD

API = "/api/v1/me/privacy"
APP_REAUTH = "/_allauth/app/v1/auth/reauthenticate"


@pytest.fixture(autouse=True)
def _fast_and_private(settings: Any, tmp_path: Any) -> None:
    """Cheap password hashing; exports written under the test's own folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


class App:
    """The mobile app: allauth's app sign-in, then its session token on every call."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        response = self.client.post(
            "/_allauth/app/v1/auth/login",
            {"email": user.email, "password": PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        self.token = response.json()["meta"]["session_token"]
        self.client.cookies.clear()  # the app keeps no cookie: only the token signs it in

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.generic(
            method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"X-Session-Token": self.token},
        )

    def reauthenticate(self) -> None:
        response = self.call("POST", APP_REAUTH, {"password": PASSWORD})
        assert response.status_code == 200, response.content
        self.client.cookies.clear()


def reauthenticated_app(user: User) -> App:
    app = App(user)
    app.reauthenticate()
    return app
