"""The demo's data-protection desk: requests at each stage, for the DPO console, and a
year of answered requests behind them, so the figures page has numbers to show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from recommerce.accounts.models import User
from recommerce.demo.timeline import OPENED_DAYS_AGO, days_ago, travel
from recommerce.privacy.models import DataRequest, NoticeVersion
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.notice import notice_publish
from recommerce.privacy.services.requests import (
    data_request_submit,
    data_request_verify_by_staff,
)

Kind, Law = DataRequest.Kind, DataRequest.Jurisdiction
# Requests answered since the marketplace opened: (kind, law, how many, whether each person
# had an account, which the answer then erases). One group stays under the figures page's
# threshold, so the page also shows how a small group is hidden.
HISTORY = (
    (Kind.ACCESS, Law.GDPR, 8, False),
    (Kind.ACCESS, Law.CCPA, 5, False),
    (Kind.ERASURE, Law.GDPR, 6, True),
    (Kind.PORTABILITY, Law.GDPR, 2, False),
)
NAMES = (
    ("Alix", "Moreau"),
    ("Basile", "Fontaine"),
    ("Chloé", "Garnier"),
    ("Dylan", "Roussel"),
    ("Elsa", "Lambert"),
    ("Fabien", "Girard"),
    ("Gaëlle", "Bonnet"),
    ("Hugo", "Mercier"),
    ("Inès", "Faure"),
    ("Jules", "Blanc"),
    ("Katia", "Guerin"),
    ("Léo", "Muller"),
    ("Maëlle", "Henry"),
    ("Noah", "Rousseau"),
    ("Océane", "Perrin"),
    ("Paul", "Morin"),
    ("Quentin", "Mathieu"),
    ("Rose", "Clement"),
    ("Sacha", "Gauthier"),
    ("Thaïs", "Dumont"),
    ("Ulysse", "Lopez"),
)
FIRST_ANSWERED_DAYS_AGO, LAST_ANSWERED_DAYS_AGO = 100, 25


def demo_privacy_requests_create(*, buyer_email: str, dpo_email: str) -> int:
    """Create a written letter to handle, a web request waiting for its code, and an answered
    objection from the demo buyer."""
    if DataRequest.objects.exists():
        return 0
    dpo = User.objects.get(email=dpo_email)
    buyer = User.objects.get(email=buyer_email)
    today = timezone.localdate()
    data_request_submit(
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.WRITTEN,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name="Marion Leclerc",
        email="marion.leclerc@example.org",
        details="Letter received by post: asks for a copy of all the data held about her.",
        actor=dpo,
        received_on=today - dt.timedelta(days=20),
    )
    data_request_submit(
        kind=DataRequest.Kind.ERASURE,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction=DataRequest.Jurisdiction.CCPA,
        full_name="Jordan Reyes",
        email="jordan.reyes@example.org",
        details="Please delete everything about me.",
    )
    objection = data_request_submit(
        kind=DataRequest.Kind.OBJECTION,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=buyer.full_name,
        email=buyer.email,
        user=buyer,
        purpose="marketing.personalisation",
        details="No personalised offers, please.",
    )
    data_request_fulfil(request=objection, actor=dpo)
    return DataRequest.objects.count()


def demo_privacy_history_create(*, dpo_email: str) -> int:
    """Answer the requests of ``HISTORY``, each on its own day since the shops opened.

    Former customers who asked for erasure get an account first (in the marketplace's
    first days), which the answer erases, as the ledger then shows. Returns how many
    requests were answered (0 if the history exists).
    """
    if DataRequest.objects.filter(email__startswith="history.").exists():
        return 0
    dpo = User.objects.get(email=dpo_email)
    letters = [
        (kind, law, with_account) for kind, law, n, with_account in HISTORY for _ in range(n)
    ]
    span = FIRST_ANSWERED_DAYS_AGO - LAST_ANSWERED_DAYS_AGO
    for index, (kind, law, with_account) in enumerate(letters):
        first, last = NAMES[index % len(NAMES)]
        email = f"history.{slugify(first)}.{slugify(last)}@example.org"
        received = days_ago(FIRST_ANSWERED_DAYS_AGO - index * span // len(letters), hour=10)
        if with_account:
            joined = days_ago(OPENED_DAYS_AGO - 5, hour=12)
            with travel(joined):
                User.objects.create_user(
                    email, None, full_name=f"{first} {last}", date_joined=joined
                )
        with travel(received):
            request = data_request_submit(
                kind=kind,
                channel=DataRequest.Channel.WRITTEN,
                jurisdiction=law,
                full_name=f"{first} {last}",
                email=email,
                details="Letter received by post.",
                actor=dpo,
                received_on=timezone.localdate(),
            )
        with travel(received + dt.timedelta(days=3)):
            data_request_verify_by_staff(request=request, actor=dpo, method="signed letter")
            data_request_fulfil(request=request, actor=dpo)
    return len(letters)


def demo_notice_publish(*, dpo_email: str) -> None:
    """Publish the first version of the privacy notice, once."""
    if not NoticeVersion.objects.exists():
        notice_publish(
            actor=User.objects.get(email=dpo_email),
            summary="First published version of the privacy notice.",
        )
