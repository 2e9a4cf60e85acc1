"""Writes of accounts, one module per subject: users, companies, sellers, API keys."""

from recommerce.accounts.services.sellers import seller_create, seller_quality_refresh

__all__ = ["seller_create", "seller_quality_refresh"]
