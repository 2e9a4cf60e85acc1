"""What inviting someone by email involves, for companies and sellers alike.

The link carries a random token; only its SHA-256 is stored, so a database reader cannot
use a pending invitation. An invitation is used once, by the invited address only, before
it expires; any other use gets the same answer as a dead link, so a forwarded link tells
its holder nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse

from recommerce.accounts.models import User
from recommerce.accounts.models.invitations import Invitation
from recommerce.platform import clock

INVITATION_DAYS = 14
INVALID_INVITATION = (
    "This invitation is not valid for your account: it may have expired or been used. "
    "Sign in with the address it was sent to, or ask for a new one."
)

InvitationT = TypeVar("InvitationT", bound=Invitation)


@dataclass(frozen=True)
class Issued(Generic[InvitationT]):
    """A new invitation and the token its link carries (never stored)."""

    invitation: InvitationT
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_email(email: str) -> str:
    email = email.strip().lower()
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter a valid email address."})
    return email


def new_token() -> tuple[str, str, dt.datetime]:
    """Return a fresh token, its stored hash and the expiry of an invitation made now."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token), clock.now() + dt.timedelta(days=INVITATION_DAYS)


def send(*, to: str, inviter: User, joining: str, what: str, link: str) -> None:
    """Email the invitation: who invites, to do what, and the link."""
    send_mail(
        subject=f"Recommerce: join {joining}",
        message=(
            f"{inviter.full_name or inviter.email} invites you to {what} on Recommerce.\n\n"
            f"Accept the invitation: {link}\n\nThe link works for {INVITATION_DAYS} days. "
            "If you did not expect it, ignore this message."
        ),
        from_email=None,
        recipient_list=[to],
    )


def invite(
    model: type[InvitationT],
    *,
    actor: User,
    email: str,
    role: str,
    roles: list[str],
    url_name: str,
    accept_url_base: str,
    joining: str,
    what: str,
    **target: Any,
) -> Issued[InvitationT]:
    """Store an invitation of ``model`` to ``target`` (company or seller) and email its link."""
    if role not in roles:
        raise ValidationError({"role": "Choose a role."})
    email = clean_email(email)
    token, digest, expires_at = new_token()
    invitation = model.objects.create(  # type: ignore[attr-defined]
        email=email,
        role=role,
        token_hash=digest,
        invited_by=actor,
        expires_at=expires_at,
        **target,
    )
    link = accept_url_base + reverse(url_name, kwargs={"token": token})
    send(to=email, inviter=actor, joining=joining, what=what, link=link)
    return Issued(invitation=invitation, token=token)


def open_invitation(
    invitations: QuerySet[InvitationT], *, token: str, email: str
) -> InvitationT | None:
    """Return the open invitation behind ``token`` sent to ``email``, else None."""
    return invitations.filter(
        token_hash=token_hash(token),
        email=email.strip().lower(),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=clock.now(),
    ).first()


def mark_accepted(invitation: Invitation, *, user: User) -> None:
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
