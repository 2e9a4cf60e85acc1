"""The one marketing send: who is reached, why the others are not (CONSENT-7, PURP-2), and
the staff campaign screen."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.marketing import selectors, services
from recommerce.marketing.models import TOPICS, Campaign, CampaignDelivery
from recommerce.privacy import purposes
from recommerce.privacy.services.limits import processing_limit_lift, processing_limit_set
from tests.accounts.conftest import make_staff
from tests.marketing.conftest import (
    make_user,
    marketing_messages,
    opted_in,
    staff_with,
    subscriber,
)

pytestmark = pytest.mark.django_db


def _everyone() -> dict[str, object]:
    """One person per reason, and two who may be reached."""
    people = {
        "fine": subscriber("fine@example.com"),
        "member": opted_in(make_user("member@example.com"), topics=("offers", "tips")),
        "objected": opted_in(make_user("objected@example.com")),
        "restricted": subscriber(
            "restricted@example.com", user=make_user("restricted@example.com")
        ),
        "unsubscribed": subscriber("left@example.com", status="unsubscribed"),
        "pending": subscriber("pending@example.com", status="pending"),
        "other_topics": subscriber("tips@example.com", topics=("tips",)),
        "never": make_user("never@example.com"),
        "erased": opted_in(make_user("erased-9@erased.invalid", is_active=False)),
    }
    processing_limit_set(
        user=people["objected"], purpose=purposes.MARKETING_EMAIL, kind="objection"
    )
    processing_limit_set(
        user=people["restricted"].user, purpose=purposes.MARKETING_EMAIL, kind="restriction"
    )
    return people


def _campaign(author=None, topic="offers") -> Campaign:
    author = author or staff_with("marketing.send_campaign", email="author@example.com")
    return services.campaign_create(actor=author, subject="Deals", body="Hello", topic=topic)


def test_consent_7_objected_and_restricted_people_are_skipped_with_the_reason_counted(
    django_capture_on_commit_callbacks,
):
    _everyone()
    campaign = _campaign()
    assert selectors.reach_summary(topic="offers") == selectors.Reach(
        reachable=2,
        reasons={
            "erased": 1,
            "objected": 1,
            "restricted": 1,
            "other_topics": 1,
            "unsubscribed": 1,
            "pending": 1,
            "not_subscribed": 2,  # "never", and the campaign's author
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_queue(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == "sent"
    assert campaign.sent_count == 2
    assert campaign.skipped == {
        "erased": 1,
        "objected": 1,
        "restricted": 1,
        "other_topics": 1,
        "unsubscribed": 1,
        "pending": 1,
        "not_subscribed": 2,
    }
    assert sorted(m.to[0] for m in marketing_messages()) == [
        "fine@example.com",
        "member@example.com",
    ]
    assert sorted(CampaignDelivery.objects.values_list("email", flat=True)) == [
        "fine@example.com",
        "member@example.com",
    ]


def test_purp_2_the_only_recipient_selector_never_returns_an_objected_address():
    people = _everyone()
    for topic in TOPICS:
        addresses = {p.address for p in selectors.marketing_recipients(topic=topic)}
        assert "objected@example.com" not in addresses
        assert "restricted@example.com" not in addresses
        assert "erased-9@erased.invalid" not in addresses
    assert [p.address for p in selectors.marketing_recipients(topic="offers")] == [
        "fine@example.com",
        "member@example.com",
    ]
    # Code that already holds the address is still refused, and nothing is sent.
    campaign = _campaign()
    report = services.marketing_send(
        campaign=campaign, addresses=["Objected@Example.com", "restricted@example.com"]
    )
    assert (report.sent, report.skipped) == (0, {"objected": 1, "restricted": 1})
    assert mail.outbox == []
    assert not CampaignDelivery.objects.exists()

    processing_limit_lift(user=people["objected"], purpose=purposes.MARKETING_EMAIL)
    assert "objected@example.com" in {
        p.address for p in selectors.marketing_recipients(topic="offers")
    }


def test_consent_7_an_objection_made_after_counting_wins_at_sending_time():
    person = opted_in(make_user("late@example.com"))
    campaign = _campaign()
    chosen = [p.address for p in selectors.marketing_recipients(topic="offers")]
    assert chosen == ["late@example.com"]
    processing_limit_set(user=person, purpose=purposes.MARKETING_EMAIL, kind="objection")
    report = services.marketing_send(campaign=campaign, addresses=chosen)
    assert (report.sent, report.skipped) == (0, {"objected": 1})
    assert mail.outbox == []


def test_an_objection_to_advertising_audiences_does_not_stop_the_newsletter():
    person = opted_in(make_user("ads-only@example.com"))
    processing_limit_set(user=person, purpose=purposes.MARKETING_AUDIENCES, kind="objection")
    assert [p.address for p in selectors.marketing_recipients(topic="offers")] == [
        "ads-only@example.com"
    ]


def test_nobody_gets_a_campaign_twice_when_sending_is_retried():
    subscriber("fine@example.com")
    campaign = _campaign()
    first = services.marketing_send(campaign=campaign, addresses=["fine@example.com"])
    second = services.marketing_send(campaign=campaign, addresses=["fine@example.com"])
    assert (first.sent, second.sent) == (1, 0)
    assert len(mail.outbox) == 1
    campaign.refresh_from_db()
    assert campaign.sent_count == 1


def test_unknown_addresses_are_counted_as_never_subscribed():
    campaign = _campaign()
    report = services.marketing_send(campaign=campaign, addresses=["who@example.com", " "])
    assert (report.sent, report.skipped) == (0, {"not_subscribed": 1})
    assert mail.outbox == []


def test_text_message_campaigns_are_refused_until_an_sms_provider_exists():
    author = staff_with("marketing.send_campaign")
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            actor=author, subject="Deals", body="Hi", topic="offers", channel="sms"
        )
    assert refused.value.message_dict == {
        "channel": [
            "Text-message campaigns need an SMS provider, and none is configured: choose email."
        ]
    }
    assert not Campaign.objects.exists()


def test_a_campaign_is_queued_once(django_capture_on_commit_callbacks):
    campaign = _campaign()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_queue(campaign=campaign)
    with pytest.raises(ValidationError, match="already sent or is being sent"):
        services.campaign_queue(campaign=campaign)


# --- The staff screen ----------------------------------------------------------------------


def test_only_staff_with_the_permission_see_the_campaign_screen(client):
    client.force_login(make_user("buyer@example.com"))
    assert client.get("/staff/marketing/").status_code == 404
    client.force_login(make_staff(None, "plain.staff@example.com"))
    assert client.get("/staff/marketing/").status_code == 403
    client.force_login(staff_with("marketing.send_campaign"))
    assert client.get("/staff/marketing/").status_code == 200


def test_consent_7_the_screen_shows_the_reach_and_why_others_are_not_reached(
    client, django_capture_on_commit_callbacks
):
    _everyone()
    author = staff_with("marketing.send_campaign", email="author@example.com")
    client.force_login(author)
    created = client.post(
        "/staff/marketing/",
        {
            "subject": "Spring deals",
            "body": "Up to 30% off.",
            "topic": "offers",
            "channel": "email",
        },
    )
    campaign = Campaign.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/staff/marketing/campaigns/{campaign.pk}/"
    page = client.get(created["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span class="stat-value" data-testid="reachable">2</span>' in html
    for label, count in [
        ("Account erased or closed", 1),
        ("Objected to direct marketing", 1),
        ("Asked to restrict the use of their data", 1),
        ("Unsubscribed", 1),
        ("Has not confirmed their address yet", 1),
        ("Never subscribed", 2),
    ]:
        assert f'<tr><td>{label}</td><td class="num">{count}</td></tr>' in html
    assert "Send to 2 people" in html

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/staff/marketing/campaigns/{campaign.pk}/send/")
    assert sent.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent_count) == ("sent", 2)
    assert len(marketing_messages()) == 2
    again = client.post(f"/staff/marketing/campaigns/{campaign.pk}/send/", follow=True)
    assert "This campaign was already sent or is being sent." in again.content.decode()
    assert len(marketing_messages()) == 2


def test_small_groups_are_hidden_on_the_screen(client, settings):
    settings.PRIVACY_MIN_GROUP = 5
    _everyone()
    client.force_login(staff_with("marketing.send_campaign"))
    campaign = _campaign()
    html = client.get(f"/staff/marketing/campaigns/{campaign.pk}/").content.decode()
    assert '<tr><td>Objected to direct marketing</td><td class="num">fewer than 5</td></tr>' in html


def test_the_campaign_form_refuses_bad_input_clearly(client):
    client.force_login(staff_with("marketing.send_campaign"))
    response = client.post(
        "/staff/marketing/", {"subject": "", "body": "", "topic": "x", "channel": "sms"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice. x is not one of the available choices." in html
    assert "Select a valid choice. sms is not one of the available choices." in html
    assert not Campaign.objects.exists()
    assert client.get("/staff/marketing/campaigns/999/").status_code == 404
    assert client.post("/staff/marketing/campaigns/999/send/").status_code == 404
