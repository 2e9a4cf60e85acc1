"""Writes about business buyers: companies, VAT checks, members and invitations (PLAT-2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from recommerce.accounts.models import Company, CompanyInvitation, CompanyMembership, User
from recommerce.accounts.providers.vat import VIES_PREFIXES, get_vat_lookup
from recommerce.platform import clock, identifiers
from recommerce.platform.providers import ProviderUnavailable
from recommerce.privacy.services import audit_event_record

INVITATION_DAYS = 14
INVALID_INVITATION = (
    "This invitation is not valid for your account: it may have expired or been used. "
    "Sign in with the address it was sent to, or ask for a new one."
)


def _require_admin(company: Company, actor: User) -> None:
    if not CompanyMembership.objects.filter(
        company=company, user=actor, role=CompanyMembership.Role.ADMIN
    ).exists():
        raise PermissionError("Only a company admin can do this.")


def _validated_identity(
    *, country: str, vat_number: str, registration_number: str
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    found: dict[str, str] = {}
    if vat_number:
        try:
            found["vat_number"] = identifiers.vat_number(vat_number, country=country).number
        except ValidationError as error:
            errors["vat_number"] = error.messages
    if registration_number:
        try:
            found["registration_number"] = identifiers.company_registration(
                registration_number, country=country
            )
        except ValidationError as error:
            errors["registration_number"] = error.messages
    if errors:
        raise ValidationError(errors)
    return found


def company_vat_verify(*, company: Company) -> Company:
    """Ask the VAT register whether the company's number is registered (VIES-style).

    A register that is down leaves the number unverified; the check can be repeated.
    """
    if not company.vat_number:
        return company
    number = identifiers.vat_number(company.vat_number)
    if number.prefix not in VIES_PREFIXES:
        return company  # outside the EU register (GB, CH): checked by format only
    try:
        result = get_vat_lookup().check(number)
    except ProviderUnavailable:
        return company
    if not result.valid:
        raise ValidationError(
            {"vat_number": "This VAT number is not registered for intra-EU trade."}
        )
    company.vat_verified_at = result.checked_at
    company.vat_registered_name = result.name[:200]
    company.vat_check_reference = result.reference[:64]
    company.save(
        update_fields=[
            "vat_verified_at",
            "vat_registered_name",
            "vat_check_reference",
            "updated_at",
        ]
    )
    return company


@transaction.atomic
def company_create(
    *,
    owner: User,
    legal_name: str,
    country: str,
    vat_number: str = "",
    registration_number: str = "",
) -> Company:
    """Create a company account; its creator becomes its first admin."""
    if CompanyMembership.objects.filter(user=owner).exists():
        raise ValidationError("You already belong to a company account.")
    if not legal_name.strip():
        raise ValidationError({"legal_name": "Give the company's legal name."})
    company = Company(
        legal_name=legal_name.strip(),
        country=country.upper(),
        **_validated_identity(
            country=country, vat_number=vat_number, registration_number=registration_number
        ),
    )
    company.full_clean()
    company.save()
    CompanyMembership.objects.create(company=company, user=owner, role=CompanyMembership.Role.ADMIN)
    company_vat_verify(company=company)
    audit_event_record(
        actor=owner, subject=owner, action="company.create", target=company, fields=["admin"]
    )
    return company


@transaction.atomic
def company_update(
    *,
    company: Company,
    actor: User,
    legal_name: str,
    vat_number: str,
    registration_number: str,
) -> Company:
    """Correct the company's identity; a changed VAT number is checked again."""
    _require_admin(company, actor)
    found = _validated_identity(
        country=str(company.country),
        vat_number=vat_number,
        registration_number=registration_number,
    )
    vat_changed = found.get("vat_number", "") != company.vat_number
    company.legal_name = legal_name.strip()
    company.vat_number = found.get("vat_number", "")
    company.registration_number = found.get("registration_number", "")
    if vat_changed:
        company.vat_verified_at = None
        company.vat_registered_name = ""
        company.vat_check_reference = ""
    company.full_clean()
    company.save()
    if vat_changed:
        company_vat_verify(company=company)
    return company


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: CompanyInvitation
    token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def company_invitation_create(
    *, company: Company, actor: User, email: str, role: str, accept_url_base: str = ""
) -> IssuedInvitation:
    """Invite a colleague by email; the link carries a token stored only as a hash."""
    _require_admin(company, actor)
    email = email.strip().lower()
    if role not in CompanyMembership.Role.values:
        raise ValidationError({"role": "Choose a role."})
    if not email or "@" not in email:
        raise ValidationError({"email": "Enter a valid email address."})
    token = secrets.token_urlsafe(32)
    invitation = CompanyInvitation.objects.create(
        company=company,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=clock.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    link = accept_url_base + reverse("accounts:invitation", kwargs={"token": token})
    send_mail(
        subject=f"Recommerce: join {company.legal_name}",
        message=(
            f"{actor.full_name or actor.email} invites you to buy for {company.legal_name} "
            f"on Recommerce.\n\nAccept the invitation: {link}\n\n"
            f"The link works for {INVITATION_DAYS} days. If you did not expect it, ignore "
            "this message."
        ),
        from_email=None,
        recipient_list=[email],
    )
    return IssuedInvitation(invitation=invitation, token=token)


def company_invitation_find(*, token: str, email: str) -> CompanyInvitation | None:
    """Return the open invitation behind ``token`` sent to ``email``, else None."""
    return (
        CompanyInvitation.objects.select_related("company")
        .filter(
            token_hash=_token_hash(token),
            email=email.strip().lower(),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .first()
    )


@transaction.atomic
def company_invitation_accept(*, token: str, user: User) -> CompanyMembership:
    """Join the company as the invited role; the signed-in email must be the invited one."""
    invitation = company_invitation_find(token=token, email=user.email)
    if invitation is None:
        # The same answer for a wrong address as for a dead link: a forwarded link tells
        # its holder nothing about the company or the person invited.
        raise ValidationError(INVALID_INVITATION)
    try:
        with transaction.atomic():
            membership = CompanyMembership.objects.create(
                company=invitation.company, user=user, role=invitation.role
            )
    except IntegrityError as error:
        raise ValidationError("You already belong to a company account.") from error
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_event_record(
        actor=user, subject=user, action="company.join", target=membership, fields=["role"]
    )
    return membership


@transaction.atomic
def company_member_remove(*, company: Company, actor: User, user: User) -> None:
    """Remove a member; the last admin cannot leave the company without an admin."""
    _require_admin(company, actor)
    membership = CompanyMembership.objects.filter(company=company, user=user).first()
    if membership is None:
        return
    admins = company.memberships.filter(role=CompanyMembership.Role.ADMIN)
    if membership.role == CompanyMembership.Role.ADMIN and admins.count() == 1:
        raise ValidationError("A company keeps at least one admin.")
    audit_event_record(actor=actor, subject=user, action="company.leave", target=membership)
    membership.delete()
