"""Unsubscribe by an email whose subject says so (CONSENT-4); bad input never answers 500."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail

from recommerce.marketing import services
from recommerce.marketing.models import (
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.platform.mail import send_templated
from tests.marketing.conftest import (
    SECRET,
    make_user,
    marketing_messages,
    opted_in,
    staff_with,
    subscriber,
)

pytestmark = pytest.mark.django_db

URL = "/marketing/inbound-email/"


def _raw(sender="Noémie Petit <noemie@example.com>", subject="Please UNSUBSCRIBE me", extra=""):
    return (
        f"From: {sender}\r\nTo: unsubscribe@shop.example\r\nSubject: {subject}\r\n"
        f"Message-ID: <1@mail.example>\r\n{extra}\r\nPlease stop.\r\n"
    ).encode()


def _post(client, raw, secret=SECRET):
    headers = {"X-Inbound-Secret": secret} if secret is not None else {}
    return client.post(URL, raw, content_type="message/rfc822", headers=headers)


def test_consent_4_an_unsubscribe_email_stops_campaigns_but_not_order_messages(
    client, django_capture_on_commit_callbacks
):
    person = opted_in(make_user("noemie@example.com"), topics=("offers", "tips"))
    sub = subscriber("noemie@example.com", topics=("offers",), user=person)

    response = _post(client, _raw())
    assert response.status_code == 200
    assert response.json() == {
        "result": "unsubscribed",
        "detail": "The sender no longer receives marketing emails.",
    }
    sub.refresh_from_db()
    assert sub.status == "unsubscribed"
    assert MarketingPreference.objects.get(user=person).email is False
    event = UnsubscribeEvent.objects.get()
    assert (event.email, event.user_id, event.method, event.channel, event.topics) == (
        "noemie@example.com",
        person.pk,
        "inbound_email",
        "email",
        [],
    )
    [reply] = mail.outbox
    assert reply.to == ["noemie@example.com"]
    assert reply.subject == "Recommerce: you are unsubscribed from marketing emails"
    assert reply.extra_headers == {
        "Auto-Submitted": "auto-replied",
        "X-Recommerce-Category": "transactional",
    }

    author = staff_with("marketing.send_campaign")
    campaign = services.campaign_create(actor=author, subject="Deals", body="Hi", topic="offers")
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_queue(campaign=campaign)
    campaign.refresh_from_db()
    assert (campaign.sent_count, campaign.skipped) == (0, {"unsubscribed": 1, "not_subscribed": 1})
    assert marketing_messages() == []

    order = SimpleNamespace(
        number="RC-7", delivery_name="Noémie Petit", carrier="Sandbox Parcel",
        tracking_number="SP1", delivery_estimate_from=None, delivery_estimate_to=None,
    )  # fmt: skip
    send_templated(
        to=[person.email],
        subject="Your order RC-7 is on its way",
        template="orders/emails/shipped",
        context={"order": order, "seller_name": "Green Cell", "url": "https://shop.example/o/"},
        transactional=True,
    )
    assert [m.to for m in mail.outbox] == [["noemie@example.com"], ["noemie@example.com"]]
    assert mail.outbox[-1].subject == "Recommerce: Your order RC-7 is on its way"
    assert "Your order RC-7 from Green Cell is on its way." in mail.outbox[-1].body


@pytest.mark.parametrize("subject", ["unsubscribe", "Re: Unsubscribe please", "UNSUBSCRIBE"])
def test_consent_4_the_keyword_counts_in_any_case(client, subject):
    subscriber("noemie@example.com")
    assert _post(client, _raw(subject=subject)).status_code == 200
    assert NewsletterSubscription.objects.get().status == "unsubscribed"


def test_other_messages_are_ignored_with_202(client):
    sub = subscriber("noemie@example.com")
    response = _post(client, _raw(subject="Where is my order?"))
    assert response.status_code == 202
    assert response.json() == {
        "result": "ignored",
        "detail": "The subject does not ask to unsubscribe.",
    }
    sub.refresh_from_db()
    assert sub.status == "confirmed"
    assert mail.outbox == []


def test_an_unknown_sender_gets_no_reply(client):
    response = _post(client, _raw(sender="stranger@example.com"))
    assert response.status_code == 202
    assert response.json()["detail"] == "The sender's address receives no marketing."
    assert mail.outbox == []
    assert not UnsubscribeEvent.objects.exists()


def test_automatic_messages_are_not_answered(client):
    sub = subscriber("noemie@example.com")
    response = _post(client, _raw(extra="Auto-Submitted: auto-replied\r\n"))
    assert response.status_code == 202
    sub.refresh_from_db()
    assert sub.status == "confirmed"
    assert mail.outbox == []


def test_one_reply_a_day_per_address(client):
    subscriber("noemie@example.com")
    assert _post(client, _raw()).status_code == 200
    assert _post(client, _raw()).status_code == 200
    assert len(mail.outbox) == 1
    assert UnsubscribeEvent.objects.count() == 1  # the second changed nothing


def test_the_shared_secret_is_required(client, settings):
    sub = subscriber("noemie@example.com")
    assert _post(client, _raw(), secret=None).status_code == 403
    wrong = _post(client, _raw(), secret="guess")
    assert wrong.status_code == 403
    assert wrong.json() == {"detail": "The X-Inbound-Secret header is wrong."}
    settings.INBOUND_EMAIL_SECRET = ""
    off = _post(client, _raw(), secret="")
    assert off.status_code == 503
    assert off.json() == {"detail": "Inbound email is not configured."}
    sub.refresh_from_db()
    assert sub.status == "confirmed"


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"", "The body is empty: post the raw message (RFC 5322)."),
        (b"   \r\n", "The body is empty: post the raw message (RFC 5322)."),
        (b"Subject: unsubscribe\r\n\r\nhi", "The message has no From header."),
        (b"just some text without headers", "The message has no From header."),
        (
            b"From: a@example.com, b@example.com\r\nSubject: unsubscribe\r\n\r\n",
            "The From header must hold exactly one email address.",
        ),
        (
            b"From: Nobody <>\r\nSubject: unsubscribe\r\n\r\n",
            "The From header does not hold a valid email address.",
        ),
        (
            b"From: not an address\r\nSubject: unsubscribe\r\n\r\n",
            "The From header does not hold a valid email address.",
        ),
        (
            b"From: \xff\xfe@\x00\x01\r\nSubject: unsubscribe\r\n\r\n",
            "The From header does not hold a valid email address.",
        ),
    ],
)
def test_malformed_messages_get_400_with_a_clear_message(client, raw, detail):
    subscriber("a@example.com")
    response = _post(client, raw)
    assert response.status_code == 400
    assert response.json() == {"detail": detail}
    assert NewsletterSubscription.objects.get().status == "confirmed"
    assert mail.outbox == []


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405
