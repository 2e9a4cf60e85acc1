"""A minor asks a parent to authorise purchases and trade-ins; the parent confirms by email."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from recommerce.accounts.age import AgeBand
from recommerce.accounts.models import ParentalConsent, User
from recommerce.accounts.services.users import (
    user_age_band,
    user_parental_authorisation_record,
)
from recommerce.platform import clock

CONSENT_DAYS = 7


@dataclass(frozen=True)
class ConsentRequest:
    consent: ParentalConsent
    token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def parental_consent_request(
    *, user: User, guardian_email: str, accept_url_base: str = ""
) -> ConsentRequest:
    """Email a parent a link to authorise the minor's purchases and trade-ins."""
    guardian_email = guardian_email.strip().lower()
    if user_age_band(user=user) is not AgeBand.MINOR:
        raise ValidationError("Only a minor's account needs a parental authorisation.")
    if not guardian_email or "@" not in guardian_email:
        raise ValidationError({"guardian_email": "Enter your parent's email address."})
    if guardian_email == user.email.lower():
        raise ValidationError(
            {"guardian_email": "Enter your parent's own address, not your account's."}
        )
    token = secrets.token_urlsafe(32)
    consent = ParentalConsent.objects.create(
        user=user,
        guardian_email=guardian_email,
        token_hash=_hash(token),
        expires_at=clock.now() + dt.timedelta(days=CONSENT_DAYS),
    )
    link = accept_url_base + reverse("accounts:parental_consent", kwargs={"token": token})
    first_name = (user.full_name or "Your child").split()[0]
    send_mail(
        subject="Recommerce: your authorisation is requested",
        message=(
            f"{first_name} has an account on Recommerce, a marketplace for refurbished "
            "electronics, and asks you, as parent or guardian, to authorise purchases and "
            f"trade-ins on it.\n\nTo authorise, open: {link}\n\nThe link works for "
            f"{CONSENT_DAYS} days. If you do not agree, ignore this message: nothing will "
            "change."
        ),
        from_email=None,
        recipient_list=[guardian_email],
    )
    return ConsentRequest(consent=consent, token=token)


def parental_consent_find(*, token: str) -> ParentalConsent | None:
    """Return the open request behind ``token`` (not confirmed, not expired)."""
    return (
        ParentalConsent.objects.select_related("user")
        .filter(token_hash=_hash(token), confirmed_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )


@transaction.atomic
def parental_consent_confirm(*, token: str, guardian_name: str) -> User:
    """Record the parent's authorisation, given through the emailed link."""
    consent = parental_consent_find(token=token)
    if consent is None:
        raise ValidationError("This link is no longer valid. Ask for a new one.")
    user = user_parental_authorisation_record(
        user=consent.user, actor=None, guardian_name=guardian_name
    )
    consent.guardian_name = guardian_name.strip()
    consent.confirmed_at = clock.now()
    consent.save(update_fields=["guardian_name", "confirmed_at", "updated_at"])
    return user
