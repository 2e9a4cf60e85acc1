"""Unsubscribe by the link in every promotional email, in one click, signed out, and from the
profile (CONSENT-4); account and order messages are never affected."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.test import Client

from recommerce.marketing import selectors, services
from recommerce.marketing.models import (
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.platform.mail import send_templated
from tests.marketing.conftest import (
    SITE,
    link,
    make_user,
    marketing_messages,
    opted_in,
    staff_with,
    subscriber,
)

pytestmark = pytest.mark.django_db


def _send_offers(*addresses):
    author = staff_with("marketing.send_campaign")
    campaign = services.campaign_create(
        actor=author, subject="Spring deals", body="Up to 30% off iPhones.", topic="offers"
    )
    return campaign, services.marketing_send(campaign=campaign, addresses=addresses)


def test_consent_4_every_campaign_email_carries_the_one_click_headers_and_a_visible_link():
    sub = subscriber("lea@example.com")
    _, report = _send_offers("lea@example.com")
    assert (report.sent, report.skipped) == (1, {})
    [message] = mail.outbox
    token = signing.Signer(salt="recommerce.marketing.unsubscribe").sign(f"s{sub.pk}")
    url = f"{SITE}/marketing/unsubscribe/{token}/"
    assert message.extra_headers == {
        "List-Unsubscribe": f"<{url}>, <mailto:unsubscribe@shop.example?subject=unsubscribe>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Recommerce-Category": "marketing",
    }
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"] == message.extra_headers["List-Unsubscribe"]
    assert message.subject == "Recommerce: Spring deals"
    assert f"Unsubscribe in one click (no sign-in needed): {url}" in message.body
    html = message.alternatives[0][0]
    assert f'<a href="{url}">Unsubscribe in one click</a>' in html


def test_consent_4_the_account_link_names_the_account():
    person = opted_in(make_user("max@example.com"))
    _send_offers("max@example.com")
    token = signing.Signer(salt="recommerce.marketing.unsubscribe").sign(f"u{person.pk}")
    assert f"/marketing/unsubscribe/{token}/" in mail.outbox[0].extra_headers["List-Unsubscribe"]


def test_consent_4_a_marketing_message_without_one_click_unsubscribe_cannot_leave():
    context = {"body": "x", "topic": "offers", "unsubscribe_url": "", "preferences_url": ""}
    kwargs = {"to": ["a@example.com"], "subject": "s", "template": "marketing/email/campaign"}
    with pytest.raises(ValueError, match="List-Unsubscribe header with a link"):
        send_templated(**kwargs, context=context, transactional=False)
    with pytest.raises(ValueError, match="List-Unsubscribe-Post: List-Unsubscribe=One-Click"):
        send_templated(
            **kwargs,
            context=context,
            transactional=False,
            headers={"List-Unsubscribe": "<https://shop.example/u/1/>"},
        )
    with pytest.raises(ValueError, match="set by the platform"):
        send_templated(**kwargs, context=context, headers={"X-Recommerce-Category": "x"})
    with pytest.raises(ValueError, match="line break"):
        send_templated(**kwargs, context=context, headers={"X-Note": "a\r\nBcc: b@example.com"})
    assert mail.outbox == []


def test_consent_4_one_click_post_unsubscribes_without_signing_in_or_csrf_and_is_idempotent():
    sub = subscriber("lea@example.com")
    _send_offers("lea@example.com")
    path = link("unsubscribe", mail.outbox[0])
    mail_client = Client(enforce_csrf_checks=True)  # a mail provider's server: no cookie
    body = "List-Unsubscribe=One-Click"
    response = mail_client.post(path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    assert sub.unsubscribed_at is not None
    event = UnsubscribeEvent.objects.get()
    assert (event.email, event.method, event.channel, event.topics) == (
        "lea@example.com",
        "one_click",
        "email",
        [],
    )
    again = mail_client.post(path, body, content_type="application/x-www-form-urlencoded")
    assert again.status_code == 200
    assert UnsubscribeEvent.objects.count() == 1

    _, report = _send_offers("lea@example.com")
    assert (report.sent, report.skipped) == (0, {"unsubscribed": 1})
    assert len(marketing_messages()) == 1  # only the first campaign


def test_consent_4_the_visible_link_works_signed_out_and_opening_it_changes_nothing(client):
    sub = subscriber("lea@example.com")
    _send_offers("lea@example.com")
    path = link("unsubscribe", mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert b"Unsubscribe from marketing emails" in page.content
    sub.refresh_from_db()
    assert sub.status == "confirmed"  # a mail scanner opening the link unsubscribes nobody
    done = client.post(path)
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    assert UnsubscribeEvent.objects.get().method == "link"


def test_consent_4_the_account_link_stops_the_preferences_and_every_subscription(client):
    person = opted_in(make_user("max@example.com"))
    old = subscriber("max.old@example.com", user=person)
    _send_offers("max@example.com")
    client.post(link("unsubscribe", mail.outbox[0]))
    assert MarketingPreference.objects.get(user=person).email is False
    old.refresh_from_db()
    assert old.status == "unsubscribed"
    assert selectors.marketing_recipients(topic="offers") == []


@pytest.mark.parametrize(
    "token",
    ["u1", "u1:forged", "s1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%00", "x" * 600],
)
def test_consent_4_a_forged_or_cut_link_is_refused_clearly(client, token):
    sub = subscriber("lea@example.com")
    for method in (client.get, client.post):
        response = method(f"/marketing/unsubscribe/{token}/")
        assert response.status_code == 400
        assert b"This unsubscribe link is not valid" in response.content
        assert b"unsubscribe@shop.example" in response.content
    sub.refresh_from_db()
    assert sub.status == "confirmed"
    assert not UnsubscribeEvent.objects.exists()


def test_consent_4_a_link_to_someone_since_erased_is_no_error(client):
    sub = subscriber("lea@example.com")
    token = services.unsubscribe_token(user_id=None, subscription_id=sub.pk)
    sub.delete()
    assert client.post(f"/marketing/unsubscribe/{token}/").status_code == 200
    assert not UnsubscribeEvent.objects.exists()


def test_consent_4_unsubscribing_never_stops_account_and_order_messages():
    subscriber("lea@example.com")
    services.marketing_unsubscribe(address="lea@example.com", method="link")
    sent = send_templated(
        to=["lea@example.com"],
        subject="Your order RC-1 is on its way",
        template="orders/emails/shipped",
        context={"order": {"number": "RC-1"}, "seller_name": "Green Cell", "url": "x"},
    )
    assert sent == 1
    assert mail.outbox[0].extra_headers == {"X-Recommerce-Category": "transactional"}


# --- Profile preferences -------------------------------------------------------------------


def test_the_preferences_page_needs_signing_in(client):
    response = client.get("/marketing/preferences/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/marketing/preferences/"


def test_consent_4_preferences_per_channel_and_topic_and_unticking_unsubscribes(client):
    person = make_user("max@example.com", phone="+33612345678")
    sub = subscriber("max@example.com", topics=("offers",), user=person)
    client.force_login(person)
    page = client.get("/marketing/preferences/")
    assert page.status_code == 200
    assert page.context["form"].initial == {"email": True, "sms": False, "topics": ["offers"]}

    chosen = client.post(
        "/marketing/preferences/", {"email": "on", "sms": "on", "topics": ["tips", "trade_in"]}
    )
    assert chosen.status_code == 302
    pref = MarketingPreference.objects.get(user=person)
    assert (pref.email, pref.sms, pref.topics) == (True, True, ["trade_in", "tips"])
    sub.refresh_from_db()
    assert sub.topics == ["trade_in", "tips"]  # the subscription follows the profile
    assert [p.address for p in selectors.marketing_recipients(topic="offers")] == []
    assert [p.address for p in selectors.marketing_recipients(topic="tips")] == ["max@example.com"]
    assert [p.address for p in selectors.marketing_recipients(topic="tips", channel="sms")] == [
        "+33612345678"
    ]

    stopped = client.post("/marketing/preferences/", {"topics": ["tips"]})
    assert stopped.status_code == 302
    pref.refresh_from_db()
    sub.refresh_from_db()
    assert (pref.email, pref.sms, sub.status) == (False, False, "unsubscribed")
    events = list(UnsubscribeEvent.objects.order_by("id").values_list("channel", "method"))
    assert events == [("email", "profile"), ("sms", "profile")]
    assert selectors.marketing_recipients(topic="tips") == []


def test_consent_4_unticking_email_without_a_newsletter_is_recorded_too(client):
    person = opted_in(make_user("max@example.com"))
    client.force_login(person)
    assert client.post("/marketing/preferences/", {"topics": ["offers"]}).status_code == 302
    assert MarketingPreference.objects.get(user=person).email is False
    event = UnsubscribeEvent.objects.get()
    assert (event.email, event.user, event.channel, event.method) == (
        "max@example.com",
        person,
        "email",
        "profile",
    )


def test_preferences_need_a_topic_when_a_channel_is_on(client):
    person = make_user("max@example.com")
    client.force_login(person)
    response = client.post("/marketing/preferences/", {"email": "on"})
    assert response.status_code == 400
    assert b"Choose at least one topic, or untick the channels." in response.content
    assert not MarketingPreference.objects.exists()
    assert not NewsletterSubscription.objects.exists()
