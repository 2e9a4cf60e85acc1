"""Who received my data (SHARE-5): the disclosure log of my data, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from recommerce.platform.api import DENIED, one_of
from recommerce.privacy.api.common import person, person_router
from recommerce.privacy.models import Disclosure
from recommerce.privacy.purposes import BY_CODE
from recommerce.privacy.selectors import disclosure_list

router = person_router()
LIST_LIMIT = 200  # as on the web page


class DisclosureOut(Schema):
    recipient: str
    recipient_kind: str = one_of(Disclosure.RecipientKind)
    recipient_kind_label: str
    fields: list[str]
    purpose: str
    purpose_label: str
    legal_basis: str
    reference: str
    created_at: dt.datetime


def _purpose_label(code: str) -> str:
    purpose = BY_CODE.get(code)
    return purpose.description if purpose else code


@router.get(
    "/me/privacy/disclosures",
    response={200: list[DisclosureOut], **DENIED},
    summary="Who received my data",
)
def disclosure_log(request: HttpRequest) -> list[dict[str, Any]]:
    """List each disclosure of my data: to whom, which fields (never values), why, when."""
    return [
        {
            "recipient": item.recipient,
            "recipient_kind": item.recipient_kind,
            "recipient_kind_label": item.get_recipient_kind_display(),
            "fields": list(item.fields),
            "purpose": item.purpose,
            "purpose_label": _purpose_label(item.purpose),
            "legal_basis": item.legal_basis,
            "reference": item.reference,
            "created_at": item.created_at,
        }
        for item in disclosure_list(subject=person(request))[:LIST_LIMIT]
    ]
