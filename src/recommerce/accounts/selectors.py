"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from recommerce.accounts.models import Seller


def seller_list_active() -> QuerySet[Seller]:
    return Seller.objects.filter(status=Seller.Status.ACTIVE)


def seller_get_by_slug(*, slug: str) -> Seller | None:
    return seller_list_active().filter(slug=slug).first()
