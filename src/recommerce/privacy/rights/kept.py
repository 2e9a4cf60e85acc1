"""What an erasure keeps under a legal hold, and until when: the person is told (RIGHT-3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone

from recommerce.privacy.purposes import LegalBasis
from recommerce.privacy.registry import Erasure, PersonalField
from recommerce.privacy.rights.rows import Holding


def kept_under_hold(holdings: list[Holding]) -> list[dict[str, Any]]:
    """Return, per kind of record kept, why and the last day it is kept (JSON-ready).

    Read before the erasure detaches the rows: ``until`` is the latest end of the legal
    period over the person's rows (``None`` when it starts with an event still to come, such
    as a request's closing; ``period`` then says how long it runs).
    """
    kept: dict[str, dict[str, Any]] = {}
    for holding in holdings:
        groups: dict[str, list[PersonalField]] = {}
        for item in holding.fields:
            if item.erasure is Erasure.LEGAL_HOLD:
                groups.setdefault(item.export_label, []).append(item)
        for label, fields in groups.items():
            until = _last_day(holding, fields[0])
            entry = kept.setdefault(
                label,
                {
                    "what": label,
                    "why": _why(fields[0]),
                    "period": fields[0].retention.describe(),
                    "until": None,
                },
            )
            if until is not None and (entry["until"] is None or until > entry["until"]):
                entry["until"] = until
    return [
        {**entry, "until": entry["until"].isoformat() if entry["until"] else None}
        for entry in sorted(kept.values(), key=lambda e: str(e["what"]))
    ]


def kept_lines(kept: list[dict[str, Any]]) -> list[str]:
    """Return the kept records as the sentences the person reads, one per kind."""
    lines = []
    for entry in kept:
        if entry.get("until"):
            day = dateformat.format(dt.date.fromisoformat(entry["until"]), "j F Y")
            when = f"until {day}"
        else:
            when = str(entry["period"])
        lines.append(f"{entry['what']} ({entry['why'].lower()}): kept {when}.")
    return lines


def _why(item: PersonalField) -> str:
    legal = [p for p in item.purposes if p.basis is LegalBasis.LEGAL_OBLIGATION]
    return (legal or list(item.purposes))[0].description


def _last_day(holding: Holding, item: PersonalField) -> dt.date | None:
    retention = item.retention
    if retention.days is None or not retention.clock:
        return None
    model = holding.model
    clock: Any = (
        Coalesce(*retention.clock) if len(retention.clock) > 1 else models.F(retention.clock[0])
    )
    latest = model._base_manager.filter(pk__in=holding.pks).aggregate(latest=Max(clock))["latest"]
    if latest is None:
        return None
    if isinstance(latest, dt.datetime):
        latest = timezone.localdate(latest)
    return latest + dt.timedelta(days=retention.days)  # type: ignore[no-any-return]
