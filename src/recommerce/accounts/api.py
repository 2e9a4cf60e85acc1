"""Account endpoints for the mobile app and the web: profile, addresses, company, seller file.

Sign-up, sign-in, email verification, password reset and two-factor run through allauth's
app API under ``/_allauth/app/v1/`` (its OpenAPI document at ``/_allauth/openapi.json``);
the session token it returns authenticates these endpoints. The rules are the services',
the same as on the web pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt

from recommerce.accounts import selectors
from recommerce.accounts.api_auth import PERSON
from recommerce.accounts.models import Address, CompanyMembership, Seller, SellerMembership, User
from recommerce.accounts.services import companies, sellers, users
from recommerce.platform.api import BAD_INPUT, DENIED, NOT_FOUND, MultiLineText, RowId, one_of

router = Router(tags=["accounts"], auth=PERSON)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class ProfileOut(Schema):
    email: str
    full_name: str
    title: str
    phone: str
    country: str
    language: str
    notify_by_email: bool
    notify_by_sms: bool
    may_transact: bool


class ProfileIn(Schema):
    full_name: str | None = None
    title: User.Title | None = None
    phone: str | None = None
    country: str | None = None
    language: str | None = one_of([*(code for code, _ in settings.LANGUAGES), None], default=None)
    notify_by_email: StrictBool | None = None
    notify_by_sms: StrictBool | None = None


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "title": user.title,
        "phone": user.phone,
        "country": str(user.country or ""),
        "language": user.language,
        "notify_by_email": user.notify_by_email,
        "notify_by_sms": user.notify_by_sms,
        "may_transact": users.user_may_transact(user=user),
    }


@router.get("/me", response={200: ProfileOut, **DENIED}, summary="My profile")
def me(request: HttpRequest) -> dict[str, Any]:
    return _profile(_user(request))


@router.patch("/me", response={200: ProfileOut, **BAD_INPUT, **DENIED}, summary="Correct it")
def me_update(request: HttpRequest, payload: ProfileIn) -> dict[str, Any]:
    user = _user(request)
    changes = payload.dict(exclude_none=True)
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    users.user_profile_update(user=user, actor=user, **changes)
    return _profile(user)


class AddressIn(Schema):
    kind: Address.Kind
    full_name: str
    line1: str
    postal_code: str
    city: str
    country: str
    company_name: str = ""
    line2: str = ""
    region: str = ""
    phone: str = ""
    is_default: StrictBool = False


class AddressPatch(Schema):
    full_name: str | None = None
    line1: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    company_name: str | None = None
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    is_default: StrictBool | None = None


class AddressOut(Schema):
    id: int
    kind: str
    is_default: bool
    shared_by_company: bool
    full_name: str
    company_name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    region: str
    country: str
    phone: str


def _address(address: Address) -> dict[str, Any]:
    return {
        "id": address.pk,
        "kind": address.kind,
        "is_default": address.is_default,
        "shared_by_company": address.company_id is not None,
        **{name: str(getattr(address, name) or "") for name in users.ADDRESS_FIELDS},
    }


@router.get("/me/addresses", response={200: list[AddressOut], **DENIED})
def address_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_address(a) for a in selectors.address_list_for(user=_user(request))]


@router.post("/me/addresses", response={201: AddressOut, **BAD_INPUT, **DENIED})
def address_create(request: HttpRequest, payload: AddressIn) -> Status[dict[str, Any]]:
    data = payload.dict()
    data["country"] = data["country"].upper()
    address = users.address_create(actor=_user(request), user=_user(request), **data)
    return Status(201, _address(address))


def _my_address(request: HttpRequest, address_id: int) -> Address:
    address = selectors.address_get_for(user=_user(request), address_id=address_id)
    if address is None:
        raise HttpError(404, "No such address in your address book.")
    return address


@router.patch(
    "/me/addresses/{address_id}", response={200: AddressOut, **BAD_INPUT, **NOT_FOUND, **DENIED}
)
def address_update(
    request: HttpRequest, address_id: RowId, payload: AddressPatch
) -> dict[str, Any]:
    address = _my_address(request, address_id)
    changes = payload.dict(exclude_none=True)
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    users.address_update(address=address, actor=_user(request), **changes)
    return _address(address)


@router.delete("/me/addresses/{address_id}", response={204: None, **NOT_FOUND, **DENIED})
def address_delete(request: HttpRequest, address_id: RowId) -> Status[None]:
    users.address_delete(address=_my_address(request, address_id), actor=_user(request))
    return Status(204, None)


class CompanyIn(Schema):
    legal_name: str
    country: str
    vat_number: str = ""
    registration_number: str = ""


class MemberOut(Schema):
    email: str
    full_name: str
    role: str


class CompanyOut(Schema):
    id: int
    legal_name: str
    country: str
    vat_number: str
    vat_verified: bool
    registration_number: str
    my_role: str
    members: list[MemberOut]


class InvitationIn(Schema):
    email: str
    role: str = one_of(CompanyMembership.Role)


def _company(request: HttpRequest) -> dict[str, Any]:
    membership = selectors.company_membership_for(user=_user(request))
    if membership is None:
        raise HttpError(404, "You belong to no company account.")
    company = membership.company
    return {
        "id": company.pk,
        "legal_name": company.legal_name,
        "country": str(company.country),
        "vat_number": company.vat_number,
        "vat_verified": company.vat_verified_at is not None,
        "registration_number": company.registration_number,
        "my_role": membership.role,
        "members": [
            {"email": m.user.email, "full_name": m.user.full_name, "role": m.role}
            for m in selectors.company_members(company=company)
        ],
    }


@router.get("/me/company", response={200: CompanyOut, **NOT_FOUND, **DENIED})
def company_get(request: HttpRequest) -> dict[str, Any]:
    return _company(request)


@router.post("/me/company", response={201: CompanyOut, **BAD_INPUT, **NOT_FOUND, **DENIED})
def company_create(request: HttpRequest, payload: CompanyIn) -> Status[dict[str, Any]]:
    companies.company_create(owner=_user(request), **payload.dict())
    return Status(201, _company(request))


@router.post("/me/company/invitations", response={202: None, **BAD_INPUT, **NOT_FOUND, **DENIED})
def company_invite(request: HttpRequest, payload: InvitationIn) -> Status[None]:
    membership = selectors.company_membership_for(user=_user(request))
    if membership is None:
        raise HttpError(404, "You belong to no company account.")
    companies.company_invitation_create(
        company=membership.company,
        actor=_user(request),
        email=payload.email,
        role=payload.role,
        accept_url_base=request.build_absolute_uri("/")[:-1],
    )
    return Status(202, None)


@router.post(
    "/company-invitations/{token}/accept", response={200: CompanyOut, **BAD_INPUT, **DENIED}
)
def company_join(request: HttpRequest, token: str) -> dict[str, Any]:
    companies.company_invitation_accept(token=token, user=_user(request))
    return _company(request)


class SellerStartIn(Schema):
    name: str
    legal_name: str
    country: str


class SellerFileIn(Schema):
    name: str | None = None
    legal_name: str | None = None
    city: str | None = None
    description: MultiLineText | None = None
    vat_number: str | None = None
    registration_number: str | None = None
    return_line1: str | None = None
    return_postal_code: str | None = None
    return_city: str | None = None
    return_country: str | None = None
    warranty_months: StrictInt | None = None
    return_days: StrictInt | None = None


class BankAccountIn(Schema):
    iban: str
    account_holder: str


class SellerOut(Schema):
    id: int
    name: str
    legal_name: str
    country: str
    status: str
    rejection_reason: str
    vat_number: str
    registration_number: str
    warranty_months: int
    return_days: int
    bank_account: str
    my_role: str
    missing: list[str]
    submitted_at: dt.datetime | None


def _membership(request: HttpRequest) -> SellerMembership:
    membership = selectors.seller_membership_for(user=_user(request))
    if membership is None:
        raise HttpError(404, "You work for no seller account.")
    return membership


def _owned(request: HttpRequest) -> Seller:
    membership = _membership(request)
    if membership.role != SellerMembership.Role.OWNER:
        raise HttpError(403, "Only the seller account's owner can change its file.")
    return membership.seller


def _seller(request: HttpRequest) -> dict[str, Any]:
    membership = _membership(request)  # read afresh: the file may have just changed
    seller = membership.seller
    is_owner = membership.role == SellerMembership.Role.OWNER
    return {
        "id": seller.pk,
        "name": seller.name,
        "legal_name": seller.legal_name,
        "country": seller.country,
        "status": seller.status,
        "rejection_reason": seller.rejection_reason,
        "vat_number": seller.vat_number,
        "registration_number": seller.registration_number,
        "warranty_months": seller.warranty_months,
        "return_days": seller.return_days,
        "bank_account": seller.bank_account_display if is_owner else "",
        "my_role": membership.role,
        "missing": sellers.seller_missing_items(seller=seller),
        "submitted_at": seller.submitted_at,
    }


@router.get("/me/seller", response={200: SellerOut, **NOT_FOUND, **DENIED})
def seller_get(request: HttpRequest) -> dict[str, Any]:
    return _seller(request)


@router.post("/me/seller", response={201: SellerOut, **BAD_INPUT, **NOT_FOUND, **DENIED})
def seller_start(request: HttpRequest, payload: SellerStartIn) -> Status[dict[str, Any]]:
    if selectors.seller_membership_for(user=_user(request)) is not None:
        raise HttpError(400, "You already work for a seller account.")
    sellers.seller_onboarding_start(user=_user(request), **payload.dict())
    return Status(201, _seller(request))


@router.patch("/me/seller", response={200: SellerOut, **BAD_INPUT, **NOT_FOUND, **DENIED})
def seller_update(request: HttpRequest, payload: SellerFileIn) -> dict[str, Any]:
    changes = payload.dict(exclude_none=True)
    sellers.seller_onboarding_update(seller=_owned(request), actor=_user(request), **changes)
    return _seller(request)


@router.put(
    "/me/seller/bank-account", response={200: SellerOut, **BAD_INPUT, **NOT_FOUND, **DENIED}
)
def seller_bank_account(request: HttpRequest, payload: BankAccountIn) -> dict[str, Any]:
    sellers.seller_bank_account_set(seller=_owned(request), actor=_user(request), **payload.dict())
    return _seller(request)


@router.post("/me/seller/submit", response={200: SellerOut, **BAD_INPUT, **NOT_FOUND, **DENIED})
def seller_submit(request: HttpRequest) -> dict[str, Any]:
    sellers.seller_submit(seller=_owned(request), actor=_user(request))
    return _seller(request)
