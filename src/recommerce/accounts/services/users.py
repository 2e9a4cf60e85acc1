"""Writes about people: profile, age declaration, address book. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts import age
from recommerce.accounts.models import Address, User
from recommerce.platform import clock, identifiers
from recommerce.privacy.services import audit_event_record

PROFILE_FIELDS = (
    "full_name",
    "title",
    "phone",
    "country",
    "language",
    "notify_by_email",
    "notify_by_sms",
)
ADDRESS_FIELDS = (
    "full_name",
    "company_name",
    "line1",
    "line2",
    "postal_code",
    "city",
    "region",
    "country",
    "phone",
)


def _normalised_phone(phone: str, country: str) -> str:
    if not phone:
        return ""
    try:
        return identifiers.phone_number(phone, region=country or None)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error


def _apply(instance: Any, changes: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}.")
    changed = [name for name, value in changes.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, changes[name])
    return changed


@transaction.atomic
def user_profile_update(*, user: User, actor: User, **changes: Any) -> User:
    """Change the person's profile fields (RIGHT-2) and audit which ones changed."""
    if "phone" in changes:
        country = str(changes.get("country", user.country) or "")
        changes["phone"] = _normalised_phone(changes["phone"], country)
    changed = _apply(user, changes, PROFILE_FIELDS)
    if not changed:
        return user
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=changed)
    audit_event_record(
        actor=actor, subject=user, action="profile.update", target=user, fields=changed
    )
    return user


def age_declaration_check(
    *, country: str, birth_date: dt.date | None, adult_attested: bool
) -> age.AgeBand:
    """Validate an age declaration before anything about the person is stored (AGE-1).

    Raise ``ValidationError`` for a child under the minimum age, for a date in the future,
    and for a declaration that does not answer what the country asks.
    """
    today = clock.today()
    if birth_date is not None and birth_date > today:
        raise ValidationError({"birth_date": "The date of birth cannot be in the future."})
    if age.declaration_mode(country) == "birth_date" and birth_date is None:
        raise ValidationError({"birth_date": "Please give your date of birth."})
    if birth_date is None and not adult_attested:
        raise ValidationError(
            {"birth_date": "Confirm that you are 18 or older, or give your date of birth."}
        )
    band = age.age_band(birth_date=birth_date, adult_attested=adult_attested, today=today)
    if band is age.AgeBand.CHILD:
        raise ValidationError(
            "Sorry, you must be at least 13 years old to open an account.", code="too_young"
        )
    return band


def user_age_declare(
    *, user: User, country: str, birth_date: dt.date | None, adult_attested: bool
) -> User:
    """Store a checked age declaration on a new account (no audit: it is part of sign-up)."""
    age_declaration_check(country=country, birth_date=birth_date, adult_attested=adult_attested)
    user.country = country.upper()
    user.birth_date = birth_date
    user.adult_attested_at = clock.now() if adult_attested and birth_date is None else None
    user.save(update_fields=["country", "birth_date", "adult_attested_at"])
    return user


@transaction.atomic
def user_parental_authorisation_record(
    *, user: User, actor: User | None, guardian_name: str
) -> User:
    """Record a parent's or guardian's authorisation for a minor to buy and trade in.

    ``actor`` is the staff member who recorded a written authorisation, or None when the
    parent confirmed it themselves by email (``parental.parental_consent_confirm``).
    """
    guardian_name = guardian_name.strip()
    if not guardian_name:
        raise ValidationError({"guardian_name": "Give the parent's or guardian's full name."})
    if user_age_band(user=user) is not age.AgeBand.MINOR:
        raise ValidationError("Only a minor's account needs a parental authorisation.")
    user.parental_authorisation_at = clock.now()
    user.parental_authorisation_by = guardian_name
    user.save(update_fields=["parental_authorisation_at", "parental_authorisation_by"])
    audit_event_record(
        actor=actor,
        subject=user,
        action="age.parental_authorisation",
        target=user,
        fields=["parental_authorisation_at", "parental_authorisation_by"],
    )
    return user


def user_age_band(*, user: User) -> age.AgeBand:
    return age.age_band(
        birth_date=user.birth_date,
        adult_attested=user.adult_attested_at is not None,
        today=clock.today(),
    )


def user_may_transact(*, user: User) -> bool:
    """Return whether the person may buy or trade in (AGE-1); checkout and trade-in ask."""
    return age.may_transact(
        band=user_age_band(user=user),
        parental_authorisation=user.parental_authorisation_at is not None,
    )


def _address_owner_filter(address: Address) -> dict[str, Any]:
    if address.user_id:
        return {"user_id": address.user_id}
    return {"company_id": address.company_id}


def _clean_address(address: Address) -> None:
    address.phone = _normalised_phone(address.phone, str(address.country or ""))
    address.full_clean(exclude=["user", "company"])


def _make_default(address: Address) -> None:
    others = Address.objects.filter(kind=address.kind, **_address_owner_filter(address))
    others.exclude(pk=address.pk).filter(is_default=True).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def address_create(
    *,
    actor: User,
    kind: str,
    user: User | None = None,
    company: Any = None,
    is_default: bool = False,
    **fields: Any,
) -> Address:
    """Add an address to a person's or a company's book; the first of a kind is the default."""
    address = Address(user=user, company=company, kind=kind)
    _apply(address, fields, ADDRESS_FIELDS)
    _clean_address(address)
    owner = _address_owner_filter(address)
    first = not Address.objects.filter(kind=kind, **owner).exists()
    address.save()
    if is_default or first:
        _make_default(address)
    audit_event_record(
        actor=actor,
        subject=user or actor,
        action="address.create",
        target=address,
        fields=[name for name in ADDRESS_FIELDS if getattr(address, name)],
    )
    return address


@transaction.atomic
def address_update(
    *, address: Address, actor: User, is_default: bool | None = None, **changes: Any
) -> Address:
    """Correct an address (RIGHT-2); audit which fields changed."""
    changed = _apply(address, changes, ADDRESS_FIELDS)
    if changed:
        _clean_address(address)
        address.save()
    if is_default and not address.is_default:
        _make_default(address)
        changed.append("is_default")
    if changed:
        audit_event_record(
            actor=actor,
            subject=address.user or actor,
            action="address.update",
            target=address,
            fields=changed,
        )
    return address


@transaction.atomic
def address_delete(*, address: Address, actor: User) -> None:
    """Remove an address; another of the same kind becomes the default."""
    owner = _address_owner_filter(address)
    was_default = address.is_default
    audit_event_record(
        actor=actor, subject=address.user or actor, action="address.delete", target=address
    )
    address.delete()
    if was_default:
        successor = Address.objects.filter(kind=address.kind, **owner).order_by("id").first()
        if successor is not None:
            _make_default(successor)
