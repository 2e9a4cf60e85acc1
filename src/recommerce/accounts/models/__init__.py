"""Models of accounts: people, companies (B2B) and sellers."""

from recommerce.accounts.models.companies import Company, CompanyInvitation, CompanyMembership
from recommerce.accounts.models.sellers import (
    Seller,
    SellerApiKey,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
)
from recommerce.accounts.models.users import Address, ParentalConsent, User, UserManager

__all__ = [
    "Address",
    "Company",
    "CompanyInvitation",
    "CompanyMembership",
    "ParentalConsent",
    "Seller",
    "SellerApiKey",
    "SellerDocument",
    "SellerInvitation",
    "SellerMembership",
    "User",
    "UserManager",
]
