"""Advertising audiences (SHARE-4): hashed addresses for an ad partner's customer match.

Only people who consented to advertising and did not opt out (Global Privacy Control, the
Do Not Sell page, an objection or a restriction) are included, and each one's disclosure
is recorded under the export's reference, so their data page names the partner and an
erasure tells the marketing team to replace the audience.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import User
from recommerce.marketing import conf, rules, selectors
from recommerce.marketing.models import AudienceExport
from recommerce.platform.mail import send_templated
from recommerce.privacy import purposes
from recommerce.privacy.services.logs import disclosure_record

AD_PARTNER = "ad_partner"
FIELDS = ("email_sha256",)


@dataclass(frozen=True, slots=True)
class AudienceFile:
    """An export's record and its lines: SHA-256 of normalised addresses, sorted."""

    export: AudienceExport
    hashes: list[str]


@transaction.atomic
def audience_export(*, partner: str, actor: User | None = None) -> AudienceFile:
    """Build the audience for ``partner`` and record one disclosure per person in it."""
    if partner not in conf.ad_partners():
        raise ValidationError({"partner": "Choose one of the listed advertising partners."})
    people = selectors.advertising_audience()
    export = AudienceExport.objects.create(partner=partner, people=len(people), created_by=actor)
    accounts = User._base_manager.in_bulk([user_id for user_id, _ in people])
    for user_id, _ in people:
        disclosure_record(
            subject=accounts[user_id],
            recipient_kind=AD_PARTNER,
            recipient=partner,
            fields=FIELDS,
            purpose=purposes.MARKETING_AUDIENCES,
            reference=export.reference,
        )
    # Sorted, so the file's order says nothing about account numbers.
    return AudienceFile(export=export, hashes=sorted(rules.email_sha256(e) for _, e in people))


def audience_erasure_notify(partner: str, references: Sequence[str]) -> None:
    """Ask the marketing team to replace ``partner``'s audiences named by ``references``.

    Audiences are uploaded by hand from the CSV, so the partner is reached through the
    team: a fresh export leaves the erased person out. The email waits in the outbox until
    the mail server takes it; an email that cannot even be written there raises, which
    keeps the erasure's notice pending, to be retried.
    """
    send_templated(
        to=[conf.team_email()],
        subject=f"replace the advertising audience sent to {partner}",
        template="marketing/email/audience_erasure",
        context={"partner": partner, "references": sorted(references)},
    )
