"""Reads for accounts. Every object read on behalf of a person is scoped to what that
person may see (SEC-2): the ``*_for`` selectors return nothing rather than another's data."""

from __future__ import annotations

from django.db.models import QuerySet

from recommerce.accounts.models import (
    Address,
    Company,
    CompanyInvitation,
    CompanyMembership,
    Seller,
    SellerApiKey,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
    User,
)


def seller_list_active() -> QuerySet[Seller]:
    return Seller.objects.filter(status=Seller.Status.ACTIVE)


def seller_get_by_slug(*, slug: str) -> Seller | None:
    return seller_list_active().filter(slug=slug).first()


def address_list_for(*, user: User) -> QuerySet[Address]:
    """Return the person's own addresses, then their company's, which members share."""
    membership = company_membership_for(user=user)
    own = Address.objects.filter(user=user)
    if membership is None:
        return own
    return own | Address.objects.filter(company_id=membership.company_id)


def address_get_for(*, user: User, address_id: int) -> Address | None:
    """Return an address the person may edit: their own, or their company's as its admin."""
    address = Address.objects.filter(pk=address_id).first()
    if address is None:
        return None
    if address.user_id == user.pk:
        return address
    membership = company_membership_for(user=user)
    if (
        membership is not None
        and address.company_id == membership.company_id
        and membership.role == CompanyMembership.Role.ADMIN
    ):
        return address
    return None


def company_membership_for(*, user: User) -> CompanyMembership | None:
    if not user.is_authenticated:
        return None
    return CompanyMembership.objects.select_related("company").filter(user=user).first()


def company_members(*, company: Company) -> QuerySet[CompanyMembership]:
    return company.memberships.select_related("user").order_by("user__email")


def company_addresses(*, company: Company) -> QuerySet[Address]:
    return company.addresses.all()


def company_open_invitations(*, company: Company) -> QuerySet[CompanyInvitation]:
    return company.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def seller_membership_for(*, user: User) -> SellerMembership | None:
    if not user.is_authenticated:
        return None
    return SellerMembership.objects.select_related("seller").filter(user=user).first()


def seller_members(*, seller: Seller) -> QuerySet[SellerMembership]:
    return seller.memberships.select_related("user").order_by("user__email")


def seller_open_invitations(*, seller: Seller) -> QuerySet[SellerInvitation]:
    return seller.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)


def seller_documents(*, seller: Seller) -> QuerySet[SellerDocument]:
    return seller.documents.order_by("-created_at")


def seller_document_get_for(*, user: User, token: str) -> SellerDocument | None:
    """Return a document to its seller's members, or to staff who review sellers."""
    document = SellerDocument.objects.select_related("seller").filter(token=token).first()
    if document is None:
        return None
    if user.has_perm("accounts.review_seller"):
        return document
    if SellerMembership.objects.filter(seller_id=document.seller_id, user=user).exists():
        return document
    return None


def seller_api_keys(*, seller: Seller) -> QuerySet[SellerApiKey]:
    return seller.api_keys.all()


def seller_api_key_get_for(*, seller: Seller, key_id: int) -> SellerApiKey | None:
    """Return the seller's own key with that id (never another seller's)."""
    return seller.api_keys.filter(pk=key_id).first()


def seller_get(*, seller_id: int) -> Seller | None:
    return Seller.objects.filter(pk=seller_id).first()


def user_get(*, user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


def seller_review_queue() -> QuerySet[Seller]:
    return Seller.objects.filter(status=Seller.Status.SUBMITTED).order_by("submitted_at")


def user_search(*, text: str) -> QuerySet[User]:
    """Find people by email or name (staff tools)."""
    text = text.strip()
    if not text:
        return User.objects.none()
    return User.objects.filter(email__icontains=text) | User.objects.filter(
        full_name__icontains=text
    )
