"""Writes about business buyers: companies, VAT checks, members and invitations (PLAT-2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recommerce.accounts.models import Company, CompanyInvitation, CompanyMembership, User
from recommerce.accounts.providers.vat import VIES_PREFIXES, get_vat_lookup
from recommerce.accounts.services import invitations
from recommerce.accounts.services.invitations import INVALID_INVITATION
from recommerce.platform import identifiers
from recommerce.platform.providers import ProviderUnavailable
from recommerce.privacy.services import audit_event_record


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


@transaction.atomic
def company_invitation_create(
    *, company: Company, actor: User, email: str, role: str, accept_url_base: str = ""
) -> invitations.Issued[CompanyInvitation]:
    """Invite a colleague by email to buy for the company, as buyer or admin."""
    _require_admin(company, actor)
    return invitations.invite(
        CompanyInvitation,
        actor=actor,
        email=email,
        role=role,
        roles=CompanyMembership.Role.values,
        url_name="accounts:invitation",
        accept_url_base=accept_url_base,
        joining=company.legal_name,
        what=f"buy for {company.legal_name}",
        company=company,
    )


def company_invitation_find(*, token: str, email: str) -> CompanyInvitation | None:
    """Return the open invitation behind ``token`` sent to ``email``, else None."""
    found = CompanyInvitation.objects.select_related("company")
    return invitations.open_invitation(found, token=token, email=email)


@transaction.atomic
def company_invitation_accept(*, token: str, user: User) -> CompanyMembership:
    """Join the company as the invited role; the signed-in email must be the invited one."""
    invitation = company_invitation_find(token=token, email=user.email)
    if invitation is None:
        raise ValidationError(INVALID_INVITATION)
    try:
        with transaction.atomic():
            membership = CompanyMembership.objects.create(
                company=invitation.company, user=user, role=invitation.role
            )
    except IntegrityError as error:
        raise ValidationError("You already belong to a company account.") from error
    invitations.mark_accepted(invitation, user=user)
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
