"""Worker death (issue 14, section 3): the real worker is killed (SIGKILL) at a named step
of an export, an email batch of a campaign and of the notice announcement; another worker
and the sweeps finish the work. Tasks lost = 0, emails lost = 0, emails doubled = 0.

Before the fix each of these left work undone for good: the task had left the queue when
the worker took it, so nothing ran it again.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.platform.worker_world import World

pytestmark = pytest.mark.django_db(transaction=True)
READY = "Your data is ready to download"


def _recipients(world: World, subject: str = "") -> Counter[str]:
    """Count the messages the mailbox received per addressee (of ``subject`` if given)."""
    found: Counter[str] = Counter()
    for message in world.mails():
        lines = message.splitlines()
        if subject and f"Subject: Recommerce: {subject}" not in lines:
            continue
        for line in lines:
            if line.startswith("To: "):
                found[line.removeprefix("To: ").strip()] += 1
    return found


def test_faults_3_an_export_killed_mid_build_is_built_and_sent_once_by_the_sweep(
    world: World,
) -> None:
    """Faults 3: the worker is killed while it builds an export; the export stays pending
    and its request in progress until the sweep (its time come) builds it and sends one
    email, whose code opens the export."""
    archive_id = world.run(
        """
        from django.db import transaction
        from recommerce.accounts.models import User
        from recommerce.platform import clock
        from recommerce.privacy.models import DataRequest
        from recommerce.privacy.services.exports import export_request
        ana = User.objects.create_user("ana@example.com", "pw-ana-12345!")
        request = DataRequest.objects.create(
            reference="R-EXPORT-1", kind="access", status="in_progress", channel="account",
            jurisdiction="gdpr", user=ana, full_name="Ana", email=ana.email,
            received_at=clock.now(), due_on=clock.today(),
        )
        with transaction.atomic():
            result = export_request(user=ana, request=request).pk
        """
    )
    first = world.worker(pause="export.build")
    world.wait_for_step("export.build", first)
    world.kill(first)

    state = world.run(
        f"""
        from recommerce.privacy.models import ExportArchive
        archive = ExportArchive.objects.select_related("request").get(pk={archive_id})
        result = [archive.status, archive.request.status]
        """
    )
    assert state == ["pending", "in_progress"]
    assert world.mails() == []

    world.worker()  # a new worker: the killed one's task is gone from the queue
    world.run(
        f"""
        import datetime as dt
        from recommerce.privacy.models import ExportArchive
        from recommerce.privacy.tasks import exports_resume_task
        # The sweep's time comes: the export is older than RESUME_AFTER.
        ExportArchive.objects.filter(pk={archive_id}).update(
            created_at=ExportArchive.objects.get(pk={archive_id}).created_at
            - dt.timedelta(minutes=31)
        )
        exports_resume_task()
        """
    )
    state = world.wait_until(
        f"""
        from recommerce.platform.models import OutboundEmail
        from recommerce.privacy.models import ExportArchive
        archive = ExportArchive.objects.select_related("request").get(pk={archive_id})
        sent = OutboundEmail.objects.filter(key="export:{archive_id}", status="sent").exists()
        if sent and not archive.request.is_open:
            result = [archive.status, archive.request.status]
        """
    )
    assert state == ["ready", "completed"]
    assert _recipients(world, READY) == {"ana@example.com": 1}
    (message,) = [m for m in world.mails() if READY in m]
    code = message.split("one-time code:\n", 1)[1].split("\n", 1)[0].strip()
    assert (
        world.run(
            f"""
        from recommerce.privacy.models import ExportArchive
        from recommerce.privacy.services.exports import _code_hash
        archive = ExportArchive.objects.get(pk={archive_id})
        result = _code_hash(archive, {code!r}) == archive.code_hash
        """
        )
        is True
    )


def test_faults_3_an_export_killed_after_its_build_gets_one_email_whose_code_works(
    world: World,
) -> None:
    """Faults 3: the worker is killed between the build and the email; the sweep sends
    the email once and closes the request."""
    archive_id = world.run(
        """
        from django.db import transaction
        from recommerce.accounts.models import User
        from recommerce.privacy.services.exports import export_request
        ana = User.objects.create_user("ana@example.com", "pw-ana-12345!")
        with transaction.atomic():
            result = export_request(user=ana).pk
        """
    )
    first = world.worker(pause="export.built")
    world.wait_for_step("export.built", first)
    world.kill(first)
    assert (
        world.run(
            f"""
        from recommerce.privacy.models import ExportArchive
        result = ExportArchive.objects.get(pk={archive_id}).status
        """
        )
        == "ready"
    )
    assert world.mails() == []

    world.worker()
    world.run(
        f"""
        import datetime as dt
        from recommerce.privacy.models import ExportArchive
        from recommerce.privacy.tasks import exports_resume_task
        archive = ExportArchive.objects.get(pk={archive_id})
        ExportArchive.objects.filter(pk={archive_id}).update(
            ready_at=archive.ready_at - dt.timedelta(minutes=31)
        )
        exports_resume_task()
        exports_resume_task()  # twice: the second finds nothing to do
        """
    )
    world.wait_until(
        f"""
        from recommerce.platform.models import OutboundEmail
        result = OutboundEmail.objects.filter(key="export:{archive_id}", status="sent").count()
        """
    )
    assert _recipients(world) == {"ana@example.com": 1}


CAMPAIGN_SETUP = """
import datetime as dt
from recommerce.marketing.models import Campaign, NewsletterSubscription
from recommerce.marketing.tasks import campaign_send_task
from recommerce.platform import clock
now = clock.now()
for n in range(5):
    NewsletterSubscription.objects.create(
        email=f"reader{n}@example.com", country="FR", topics=["offers"], status="confirmed",
        consent_text_version="newsletter-2026-11", source="newsletter_page",
        confirmation_sent_at=now, confirmed_at=now,
    )
# Queued a while ago: the campaign is due for the sweep once its worker is gone.
campaign = Campaign.objects.create(
    subject="Deals", body="Hello", topic="offers", channel="email", status="sending",
    queued_at=now - dt.timedelta(minutes=10),
)
campaign_send_task(campaign.pk)
result = campaign.pk
"""


def test_faults_3_a_campaign_killed_after_two_of_five_emails_sends_the_other_three_once(
    world: World,
) -> None:
    """Faults 3: the worker is killed mid-batch, after 2 of 5 emails; the campaign's lock
    dies with it, the sweep resumes the campaign on a new worker: 5 emails, one each."""
    campaign_id = world.run(CAMPAIGN_SETUP)
    first = world.worker(pause="outbox.sent:2")
    world.wait_for_step("outbox.sent", first)
    world.kill(first)
    assert sum(_recipients(world).values()) == 2
    assert (
        world.run(
            f"""
        from recommerce.marketing.models import Campaign
        result = Campaign.objects.get(pk={campaign_id}).status
        """
        )
        == "sending"
    )

    world.worker()
    world.run(
        """
        from recommerce.marketing.tasks import campaigns_resume_task
        campaigns_resume_task()
        """
    )
    world.wait_until(
        f"""
        from recommerce.marketing.models import Campaign
        result = Campaign.objects.get(pk={campaign_id}).status == "sent"
        """
    )
    assert _recipients(world) == {f"reader{n}@example.com": 1 for n in range(5)}
    assert world.run(
        f"""
        from recommerce.marketing.models import Campaign
        from recommerce.platform.models import OutboundEmail
        rows = OutboundEmail.objects.filter(key__startswith="campaign:{campaign_id}:")
        result = [Campaign.objects.get(pk={campaign_id}).sent_count,
                  sorted(rows.values_list("status", flat=True))]
        """
    ) == [5, ["sent"] * 5]


def test_faults_3_a_notice_announcement_killed_mid_batch_reaches_everyone_once(
    world: World,
) -> None:
    """Faults 3: the worker is killed after 2 of 5 announcement emails; the batch's task is
    lost, and the announcement sweep queues the 3 people left: 5 emails, one each."""
    world.run(
        """
        import datetime as dt
        from recommerce.accounts.models import User
        from recommerce.platform import clock
        from recommerce.privacy.models import NoticeVersion
        from recommerce.privacy.services.notice import notice_announce
        now = clock.now()
        for n in range(5):
            User.objects.create_user(
                f"member{n}@example.com", "pw-member-12345!", date_joined=now - dt.timedelta(days=9)
            )
        for day, text in ((8, "first"), (0, "second")):
            version = NoticeVersion.objects.create(
                version=f"v-{text}", summary=f"The {text} version.", content_en=text,
                content_fr=text, content_hash=text * 8,
                published_at=now - dt.timedelta(days=day, minutes=40),
            )
        notice_announce(version=version)
        """
    )
    first = world.worker(pause="outbox.sent:2")
    world.wait_for_step("outbox.sent", first)
    world.kill(first)
    assert sum(_recipients(world).values()) == 2

    world.worker()
    world.run(
        """
        from recommerce.privacy.notice.tasks import notice_announce_resume_task
        notice_announce_resume_task()
        """
    )
    world.wait_until(
        """
        from recommerce.platform.models import OutboundEmail
        rows = OutboundEmail.objects.filter(key__startswith="notice:", status="sent")
        result = rows.count() == 5
        """
    )
    assert _recipients(world) == {f"member{n}@example.com": 1 for n in range(5)}
    # Run again, the sweep finds nobody left.
    assert (
        world.run(
            """
        from recommerce.privacy.services.notice import notice_announce_resume
        result = notice_announce_resume()
        """
        )
        == 0
    )
