"""Fixtures of the accounts tests: people with a verified email, staff in a role group."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from recommerce.accounts.models import User

PASSWORD = "Plum-Harbour-Lantern-93"

_emails = itertools.count(1)


def make_user(
    email: str | None = None,
    *,
    verified: bool = True,
    password: str = PASSWORD,
    **extra: Any,
) -> User:
    """Create a person who can sign in (their address verified unless told otherwise)."""
    email = email or f"person{next(_emails)}@example.com"
    user = User.objects.create_user(email, password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_staff(role: str | None, email: str | None = None) -> User:
    """Create a staff member in the group of ``role`` (None: staff without any role)."""
    user = make_user(email, is_staff=True)
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def user_factory() -> Callable[..., User]:
    return make_user


@pytest.fixture
def staff_factory() -> Callable[..., User]:
    return make_staff


@pytest.fixture
def verified_user(db: None) -> User:
    return make_user("alice@example.com", full_name="Alice Martin")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("bob@example.com", full_name="Bob Durand")


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Send uploads, public and private, to throw-away folders, so a test can see exactly
    what was written (``private_root`` names the private one)."""
    root = tmp_path / "media"
    root.mkdir()
    (tmp_path / "private").mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return root


@pytest.fixture
def private_root(media_root: Any) -> Any:
    return media_root.parent / "private"
