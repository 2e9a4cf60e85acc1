"""Writes about sellers: creation, the onboarding workflow, members, track record."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from recommerce.accounts.models import (
    Seller,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
    User,
)
from recommerce.accounts.quality import seller_quality_bp
from recommerce.accounts.services import invitations
from recommerce.platform import clock, identifiers
from recommerce.privacy.services import audit_event_record

EDITABLE = (Seller.Status.DRAFT, Seller.Status.REJECTED)
ONBOARDING_FIELDS = (
    "name",
    "legal_name",
    "country",
    "city",
    "description",
    "vat_number",
    "registration_number",
    "return_line1",
    "return_postal_code",
    "return_city",
    "return_country",
    "warranty_months",
    "return_days",
)
REQUIRED_TO_SUBMIT = {
    "legal_name": "the company's legal name",
    "vat_number": "a VAT number",
    "registration_number": "a registration number",
    "return_line1": "a return address",
    "return_postal_code": "the return address's postal code",
    "return_city": "the return address's city",
    "return_country": "the return address's country",
    "iban": "a bank account",
}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Accepted by their first bytes, never by the name or the browser's word.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


def seller_quality_refresh(*, seller: Seller) -> Seller:
    """Recompute the stored quality score from the seller's track record."""
    seller.quality_bp = seller_quality_bp(
        rating_count=seller.rating_count,
        rating_sum=seller.rating_sum,
        orders_shipped=seller.orders_shipped,
        orders_late=seller.orders_late,
        orders_defective=seller.orders_defective,
        answer_median_minutes=seller.answer_median_minutes,
    )
    seller.save(update_fields=["quality_bp", "updated_at"])
    return seller


def seller_shipment_record(*, seller_id: int, late: bool) -> Seller:
    """Count a shipped order in the seller's track record (late or not) and rescore it."""
    Seller.objects.filter(pk=seller_id).update(
        orders_shipped=F("orders_shipped") + 1, orders_late=F("orders_late") + int(late)
    )
    return seller_quality_refresh(seller=Seller.objects.get(pk=seller_id))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "seller"
    slug, n = base, 1
    while Seller.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def seller_create(
    *,
    name: str,
    legal_name: str,
    country: str,
    city: str = "",
    description: str = "",
    slug: str | None = None,
    status: str = Seller.Status.ACTIVE,
) -> Seller:
    """Create a seller with an empty track record (active: an established, vetted company)."""
    seller = Seller(
        name=name,
        slug=slug or slugify(name),
        legal_name=legal_name,
        country=country.upper(),
        city=city,
        description=description,
        status=status,
    )
    seller.full_clean()
    seller.save()
    return seller_quality_refresh(seller=seller)


@transaction.atomic
def seller_onboarding_start(*, user: User, name: str, legal_name: str, country: str) -> Seller:
    """Open a draft seller file; the person who opens it becomes its owner."""
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ValidationError("Verify your email address before opening a seller account.")
    seller = seller_create(
        name=name,
        legal_name=legal_name,
        country=country,
        slug=_unique_slug(name),
        status=Seller.Status.DRAFT,
    )
    SellerMembership.objects.create(seller=seller, user=user, role=SellerMembership.Role.OWNER)
    audit_event_record(
        actor=user, subject=user, action="seller.start", target=seller, fields=["owner"]
    )
    return seller


def _require_editable(seller: Seller) -> None:
    if seller.status not in EDITABLE:
        raise ValidationError(
            f"The seller file is {seller.get_status_display().lower()} and cannot be changed."
        )


@transaction.atomic
def seller_onboarding_update(*, seller: Seller, actor: User, **changes: Any) -> Seller:
    """Change the onboarding file while it is a draft (or after a rejection)."""
    _require_editable(seller)
    unknown = set(changes) - set(ONBOARDING_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}.")
    country = str(changes.get("country") or seller.country).upper()
    errors: dict[str, list[str]] = {}
    if changes.get("vat_number"):
        try:
            changes["vat_number"] = identifiers.vat_number(
                changes["vat_number"], country=country
            ).number
        except ValidationError as error:
            errors["vat_number"] = error.messages
    if changes.get("registration_number"):
        try:
            changes["registration_number"] = identifiers.company_registration(
                changes["registration_number"], country=country
            )
        except ValidationError as error:
            errors["registration_number"] = error.messages
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in changes.items() if getattr(seller, name) != value]
    for name in changed:
        setattr(seller, name, changes[name])
    seller.country = country
    seller.full_clean()
    seller.save()
    audit_event_record(
        actor=actor, subject=None, action="seller.update", target=seller, fields=changed
    )
    return seller


@transaction.atomic
def seller_bank_account_set(
    *, seller: Seller, actor: User, iban: str, account_holder: str
) -> Seller:
    """Store the payout account: validated, encrypted at rest, shown only masked (SEC-1)."""
    _require_editable(seller)
    errors: dict[str, list[str]] = {}
    try:
        compact = identifiers.iban(iban)
    except ValidationError as error:
        errors["iban"] = error.messages
    if not account_holder.strip():
        errors["account_holder"] = ["Give the name of the account holder."]
    if errors:
        raise ValidationError(errors)
    seller.iban = compact
    seller.iban_last4 = compact[-4:]
    seller.account_holder = account_holder.strip()
    seller.save(update_fields=["iban", "iban_last4", "account_holder", "updated_at"])
    audit_event_record(
        actor=actor,
        subject=None,
        action="seller.bank_account",
        target=seller,
        fields=["iban", "account_holder"],
    )
    return seller


@transaction.atomic
def seller_document_add(
    *, seller: Seller, actor: User, kind: str, upload: UploadedFile
) -> SellerDocument:
    """Keep a document of the file after checking what it really is (PDF, PNG or JPEG)."""
    _require_editable(seller)
    if kind not in SellerDocument.Kind.values:
        raise ValidationError({"kind": "Choose what kind of document this is."})
    if not upload.size or upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": "The file must be between 1 byte and 10 MB."})
    head = upload.read(16)
    upload.seek(0)
    found = next((v for sig, v in DOCUMENT_SIGNATURES.items() if head.startswith(sig)), None)
    if found is None:
        raise ValidationError({"file": "Upload a PDF, PNG or JPEG file."})
    extension, content_type = found
    document = SellerDocument(
        seller=seller,
        kind=kind,
        token=secrets.token_hex(16),
        extension=extension,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    document.file.save(f"{document.token}.{extension}", upload, save=False)
    document.save()
    audit_event_record(
        actor=actor, subject=None, action="seller.document", target=document, fields=["file"]
    )
    return document


def seller_missing_items(*, seller: Seller) -> list[str]:
    """Return what the file still lacks before it can be submitted, in words."""
    missing = [label for name, label in REQUIRED_TO_SUBMIT.items() if not getattr(seller, name)]
    if not seller.documents.filter(kind=SellerDocument.Kind.REGISTRATION).exists():
        missing.append("a company registration extract")
    return missing


@transaction.atomic
def seller_submit(*, seller: Seller, actor: User) -> Seller:
    """Send a complete file to staff for review."""
    seller = Seller.objects.select_for_update().get(pk=seller.pk)
    _require_editable(seller)
    missing = seller_missing_items(seller=seller)
    if missing:
        raise ValidationError("Before submitting, add " + ", ".join(missing) + ".")
    seller.status = Seller.Status.SUBMITTED
    seller.submitted_at = clock.now()
    seller.rejection_reason = ""
    seller.save(update_fields=["status", "submitted_at", "rejection_reason", "updated_at"])
    audit_event_record(
        actor=actor, subject=None, action="seller.submit", target=seller, fields=["status"]
    )
    return seller


def _review(seller: Seller, staff: User, status: str, reason: str) -> Seller:
    if not staff.has_perm("accounts.review_seller"):
        raise PermissionError("Reviewing sellers needs the review permission.")
    locked = Seller.objects.select_for_update().get(pk=seller.pk)
    if locked.status != Seller.Status.SUBMITTED:
        raise ValidationError("Only a submitted file can be reviewed.")
    locked.status = status
    locked.reviewed_at = clock.now()
    locked.reviewed_by = staff
    locked.rejection_reason = reason
    locked.save(
        update_fields=["status", "reviewed_at", "reviewed_by", "rejection_reason", "updated_at"]
    )
    audit_event_record(
        actor=staff, subject=None, action=f"seller.{status}", target=locked, fields=["status"]
    )
    return locked


@transaction.atomic
def seller_approve(*, seller: Seller, staff: User) -> Seller:
    """Approve a submitted file: the seller may publish offers from now on."""
    return _review(seller, staff, Seller.Status.ACTIVE, "")


@transaction.atomic
def seller_reject(*, seller: Seller, staff: User, reason: str) -> Seller:
    """Send a submitted file back with the reason; the seller may correct and resubmit."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the file is rejected."})
    return _review(seller, staff, Seller.Status.REJECTED, reason.strip())


def require_seller_owner(seller: Seller, actor: User) -> None:
    """Refuse anyone but an owner of the seller (people, API keys)."""
    if not SellerMembership.objects.filter(
        seller=seller, user=actor, role=SellerMembership.Role.OWNER
    ).exists():
        raise PermissionError("Only an owner of the seller account can do this.")


@transaction.atomic
def seller_member_add(*, seller: Seller, actor: User, user: User, role: str) -> SellerMembership:
    """Give a known user a role at the seller (owners only; the web invites by email)."""
    require_seller_owner(seller, actor)
    if role not in SellerMembership.Role.values:
        raise ValidationError({"role": "Choose a role."})
    membership, _ = SellerMembership.objects.update_or_create(
        seller=seller, user=user, defaults={"role": role}
    )
    audit_event_record(
        actor=actor, subject=user, action="seller.member", target=membership, fields=["role"]
    )
    return membership


@transaction.atomic
def seller_invitation_create(
    *, seller: Seller, actor: User, email: str, role: str, accept_url_base: str = ""
) -> invitations.Issued[SellerInvitation]:
    """Invite someone by email to work for the seller in one role (owners only)."""
    require_seller_owner(seller, actor)
    label = (
        SellerMembership.Role(role).label.lower() if role in SellerMembership.Role.values else ""
    )
    return invitations.invite(
        SellerInvitation,
        actor=actor,
        email=email,
        role=role,
        roles=SellerMembership.Role.values,
        url_name="accounts:seller_invitation",
        accept_url_base=accept_url_base,
        joining=seller.name,
        what=f"work for {seller.name} as {label}",
        seller=seller,
    )


def seller_invitation_find(*, token: str, email: str) -> SellerInvitation | None:
    """Return the open invitation behind ``token`` sent to ``email``, else None."""
    found = SellerInvitation.objects.select_related("seller")
    return invitations.open_invitation(found, token=token, email=email)


@transaction.atomic
def seller_invitation_accept(*, token: str, user: User) -> SellerMembership:
    """Join the seller in the invited role; one seller account per person."""
    invitation = seller_invitation_find(token=token, email=user.email)
    if invitation is None:
        raise ValidationError(invitations.INVALID_INVITATION)
    if SellerMembership.objects.filter(user=user).exists():
        raise ValidationError("You already work for a seller account.")
    membership = SellerMembership.objects.create(
        seller=invitation.seller, user=user, role=invitation.role
    )
    invitations.mark_accepted(invitation, user=user)
    audit_event_record(
        actor=user, subject=user, action="seller.join", target=membership, fields=["role"]
    )
    return membership


@transaction.atomic
def seller_member_remove(*, seller: Seller, actor: User, user: User) -> None:
    """Remove someone from the seller; the last owner stays."""
    require_seller_owner(seller, actor)
    membership = SellerMembership.objects.filter(seller=seller, user=user).first()
    if membership is None:
        return
    owners = seller.memberships.filter(role=SellerMembership.Role.OWNER)
    if membership.role == SellerMembership.Role.OWNER and owners.count() == 1:
        raise ValidationError("A seller account keeps at least one owner.")
    audit_event_record(actor=actor, subject=user, action="seller.leave", target=membership)
    membership.delete()
