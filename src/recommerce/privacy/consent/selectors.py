"""Reads of the consent records (the evidence of CONSENT-2)."""

from __future__ import annotations

from typing import Any

from recommerce.privacy.consent import ADVERTISING
from recommerce.privacy.models import ConsentRecord

# How far back to look for the record that settles whether a GPC signal is news.
GPC_LOOKBACK = 50


def consent_record_latest(*, user: Any) -> ConsentRecord | None:
    """Return ``user``'s latest cookie and tracking choice, if they ever made one."""
    return ConsentRecord.objects.filter(user=user).order_by("-created_at", "-id").first()


def consent_gpc_is_news(*, user: Any) -> bool:
    """Tell whether a GPC signal from ``user`` still has to be recorded.

    It has, unless a GPC record already follows the person's last choice that allowed
    advertising: one record per episode of the signal, not one per request.
    """
    rows = (
        ConsentRecord.objects.filter(user=user)
        .order_by("-created_at", "-id")
        .values_list("method", "categories")[:GPC_LOOKBACK]
    )
    for method, categories in rows:
        if method == ConsentRecord.Method.GPC:
            return False
        if ADVERTISING in categories:
            return True
    return True
