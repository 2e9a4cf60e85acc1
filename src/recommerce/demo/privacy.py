"""The demo's data-protection desk: requests at each stage, for the DPO console."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from recommerce.accounts.models import User
from recommerce.privacy.models import DataRequest, NoticeVersion
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.notice import notice_publish
from recommerce.privacy.services.requests import data_request_submit


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


def demo_notice_publish(*, dpo_email: str) -> None:
    """Publish the first version of the privacy notice, once."""
    if not NoticeVersion.objects.exists():
        notice_publish(
            actor=User.objects.get(email=dpo_email),
            summary="First published version of the privacy notice.",
        )
