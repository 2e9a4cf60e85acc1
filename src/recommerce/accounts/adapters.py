"""How sign-up, sign-in and social login fit the marketplace's rules."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

# What a social provider may leave with us (COLLECT-6): the email and, when given, the name.
SOCIAL_KEPT_CLAIMS = ("email", "email_verified", "name")


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # (untyped base)
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """Keep the email and the name from the provider, and nothing else (COLLECT-6).

        This runs before the login is matched to a stored account, so the claims are cut
        down before any of them can be written.
        """
        account = sociallogin.account
        claims = account.extra_data or {}
        account.extra_data = {key: claims[key] for key in SOCIAL_KEPT_CLAIMS if key in claims}
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "").strip()[:150]
        return user
