"""How sign-up, sign-in and social login fit the marketplace's rules."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.socialaccount import app_settings as socialaccount_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.apple.apple_session import get_apple_session
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

# What a social provider may leave with us (COLLECT-6): the email and, when given, the name.
SOCIAL_KEPT_CLAIMS = ("email", "email_verified", "name")


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # (untyped base)
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        if commit:
            user.save()
        return user

    def get_email_confirmation_url(
        self, request: HttpRequest | None, emailconfirmation: Any
    ) -> str:
        """The link in the verification email, carrying the page the person signed up from.

        After confirming, the person signs in (or, still signed in, passes straight
        through the sign-in page) and lands where they were, not on their profile.
        """
        url: str = super().get_email_confirmation_url(request, emailconfirmation)
        came_from = get_next_redirect_url(request) if request is not None else None
        if not came_from:
            return url
        sign_in = f"{reverse('account_login')}?{urlencode({'next': came_from})}"
        return f"{url}?{urlencode({'next': sign_in})}"


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):  # type: ignore[misc]
    """No credentials for a provider: its pages answer 404 (not 500), while allauth's own
    callers, which catch ``SocialApp.DoesNotExist``, see what they expect."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def get_app(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise ProviderNotConfigured(f"No {provider} app is configured.") from error

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        """Keep the email and the name from the provider, and nothing else (COLLECT-6).

        This runs before the login is matched to a stored account, so the claims are cut
        down before any of them can be written.
        """
        account = sociallogin.account
        claims = account.extra_data or {}
        account.extra_data = {key: claims[key] for key in SOCIAL_KEPT_CLAIMS if key in claims}
        user = super().populate_user(request, sociallogin, data)
        # The OpenID ``name`` claim is the full name as the person writes it (family name
        # first in some countries); Apple sends its parts instead (as first and last name).
        claimed = account.extra_data.get("name")
        name = (
            (claimed if isinstance(claimed, str) else "")
            or data.get("name")
            or " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        )
        user.full_name = (name or "").strip()[:150]
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Drop the provider's access and refresh tokens when tokens are not kept.

        Otherwise a pending social sign-up parks them in the session table until the form
        is sent, or for the session's lifetime when it never is.
        """
        super().pre_social_login(request, sociallogin)
        if not socialaccount_settings.STORE_TOKENS:
            sociallogin.token = None

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Forget what Apple posted (raw ID token, name) when its login fails.

        allauth parks Apple's form post in a separate session and deletes it only once the
        login succeeds; a refused login would otherwise leave every claim in the table.
        """
        if getattr(provider, "id", None) == "apple":
            get_apple_session(request).delete()
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def get_signup_form_initial_data(self, sociallogin: Any) -> dict[str, Any]:
        """Offer the provider's name on the sign-up form, so it is kept when given."""
        initial: dict[str, Any] = super().get_signup_form_initial_data(sociallogin)
        initial["full_name"] = getattr(sociallogin.user, "full_name", "") or ""
        return initial
