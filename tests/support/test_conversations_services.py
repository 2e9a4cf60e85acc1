"""Order conversations through their services: who may write, masking before storage,
files checked by their content, emails without the message, customer service joining."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from recommerce.accounts.models import SellerApiKey
from recommerce.orders.models import Order
from recommerce.privacy.encryption.files import MAGIC
from recommerce.support.models import Attachment, Conversation, Message
from recommerce.support.services import conversations as services
from tests.orders.conftest import make_order
from tests.support.conversations_fixtures import (
    EXE,
    PDF,
    PHONE_MASKED,
    PHONE_TEXT,
    Talk,
    jpeg,
    stored_files,
    talk_build,
)

NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def talk(db: None, settings: Any, tmp_path: Path) -> Talk:
    return talk_build(settings, tmp_path)


def _conversation(talk: Talk) -> Conversation:
    return services.conversation_for_order(order=talk.order)


def _key(talk: Talk) -> SellerApiKey:
    return SellerApiKey.objects.get(seller=talk.side.seller)


# --- The order's conversation ------------------------------------------------------------------


def test_one_conversation_per_order_between_its_buyer_and_seller(talk: Talk) -> None:
    first = _conversation(talk)
    again = services.conversation_for_order(order=talk.order)

    assert again.pk == first.pk
    assert Conversation.objects.count() == 1
    assert (first.kind, first.person_id, first.seller_id, first.order_id) == (
        "order",
        talk.buyer.pk,
        talk.side.seller.pk,
        talk.order.pk,
    )


def test_an_order_held_for_review_has_no_conversation_yet(talk: Talk) -> None:
    held = make_order(talk.buyer, talk.side, status=Order.Status.HELD)

    with pytest.raises(ValidationError) as refused:
        services.conversation_for_order(order=held)

    assert refused.value.messages == [
        "This order is being checked: you can write to the seller once it is passed to them."
    ]
    assert Conversation.objects.count() == 0


# --- Who may write ---------------------------------------------------------------------------


def test_buyer_seller_member_and_api_key_write_with_their_side(talk: Talk) -> None:
    conversation = _conversation(talk)
    with time_machine.travel(NOW, tick=False):
        by_buyer = services.message_post(conversation=conversation, actor=talk.buyer, body=" Hi ")
    by_owner = services.message_post(conversation=conversation, actor=talk.side.owner, body="Hello")
    by_key = services.message_post(conversation=conversation, actor=_key(talk), body="Shipped")

    assert [(m.side, m.author_id, m.body) for m in (by_buyer, by_owner, by_key)] == [
        ("buyer", talk.buyer.pk, "Hi"),
        ("seller", talk.side.owner.pk, "Hello"),
        ("seller", None, "Shipped"),
    ]
    conversation.refresh_from_db()
    assert conversation.last_message_at == by_key.created_at


@pytest.mark.parametrize(
    "who", ["other_buyer", "other_owner", "catalog_member", "plain_staff", "agent_not_joined"]
)
def test_outsiders_cannot_write(talk: Talk, who: str) -> None:
    conversation = _conversation(talk)
    actor = {
        "other_buyer": talk.other_buyer,
        "other_owner": talk.other_side.owner,
        "catalog_member": talk.catalog_member,
        "plain_staff": talk.plain_staff,
        "agent_not_joined": talk.agent,
    }[who]

    with pytest.raises(PermissionError):
        services.message_post(conversation=conversation, actor=actor, body="Let me in")

    assert Message.objects.count() == 0
    assert mail.outbox == []


def test_another_sellers_api_key_cannot_write(talk: Talk) -> None:
    conversation = _conversation(talk)
    other_key = SellerApiKey.objects.get(seller=talk.other_side.seller)

    with pytest.raises(PermissionError):
        services.message_post(conversation=conversation, actor=other_key, body="Hi")

    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Write your message."),
        ("x" * 5001, "Keep your message to 5000 characters (this one has 5001)."),
        (
            "Evil\u202eliv",
            "Remove the invisible control or formatting character U+202E RIGHT-TO-LEFT "
            "OVERRIDE: this field takes plain text.",
        ),
    ],
)
def test_text_rules(talk: Talk, body: str, error: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.message_post(conversation=_conversation(talk), actor=talk.buyer, body=body)

    assert refused.value.message_dict == {"body": [error]}
    assert Message.objects.count() == 0


def test_five_thousand_characters_and_line_breaks_are_accepted(talk: Talk) -> None:
    body = "a\nb\t" + "x" * 4996
    message = services.message_post(conversation=_conversation(talk), actor=talk.buyer, body=body)

    assert message.body == body


def test_a_closed_conversation_takes_no_message(talk: Talk) -> None:
    conversation = _conversation(talk)
    Conversation.objects.filter(pk=conversation.pk).update(closed_at=NOW)

    with pytest.raises(ValidationError) as refused:
        services.message_post(conversation=conversation, actor=talk.buyer, body="Hello?")

    assert refused.value.messages == [
        "This conversation is closed: start a new chat to write again."
    ]
    assert Message.objects.count() == 0


# --- Masking -----------------------------------------------------------------------------------


def test_contact_details_are_masked_before_storage_and_the_writer_is_told(talk: Talk) -> None:
    message = services.message_post(
        conversation=_conversation(talk), actor=talk.buyer, body=PHONE_TEXT
    )

    stored = Message.objects.values_list("body", "masked").get(pk=message.pk)
    assert stored == (PHONE_MASKED, ["phone_number"])
    assert not Message.objects.filter(body__contains="56 78").exists()
    assert services.masked_note(message) == (
        "We hid a phone number: keep the conversation here, it protects you both."
    )


def test_the_note_lists_every_kind_hidden(talk: Talk) -> None:
    message = services.message_post(
        conversation=_conversation(talk),
        actor=talk.side.owner,
        body="write to alice@example.com or +33 6 12 34 56 78",
    )

    assert message.body == "write to [email address hidden] or [phone number hidden]"
    assert services.masked_note(message) == (
        "We hid an email address and a phone number: keep the conversation here, "
        "it protects you both."
    )


def test_a_clean_message_has_no_note(talk: Talk) -> None:
    message = services.message_post(
        conversation=_conversation(talk), actor=talk.buyer, body="Order R2612070001, 129,00 €"
    )

    assert (message.masked, services.masked_note(message)) == ([], "")


# --- Attachments -------------------------------------------------------------------------------


def test_a_pdf_named_jpg_is_stored_as_a_pdf_sealed(talk: Talk) -> None:
    message = services.message_post(
        conversation=_conversation(talk),
        actor=talk.buyer,
        body="The invoice",
        files=[("scan.jpg", PDF)],
    )

    attachment = Attachment.objects.get(message=message)
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "scan.pdf",
        "application/pdf",
        len(PDF),
    )
    assert attachment.file.name.endswith(".pdf")
    assert attachment.file.name.startswith(f"support/attachments/{message.conversation_id}/")
    [path] = stored_files(talk.storage)
    assert path.read_bytes().startswith(MAGIC)
    assert PDF not in path.read_bytes()
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


def test_an_executable_is_refused_with_nothing_written(talk: Talk) -> None:
    with pytest.raises(ValidationError) as refused:
        services.message_post(
            conversation=_conversation(talk),
            actor=talk.buyer,
            body="See attached",
            files=[("photo.jpg", jpeg()), ("setup.exe", EXE)],
        )

    assert refused.value.messages == ["setup.exe is not a JPEG, PNG or PDF file."]
    assert (Message.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(talk.storage) == []
    assert mail.outbox == []


def test_more_files_than_allowed_are_refused(talk: Talk, settings: Any) -> None:
    files = [(f"p{n}.jpg", jpeg()) for n in range(settings.SUPPORT_ATTACHMENTS_PER_MESSAGE + 1)]

    with pytest.raises(ValidationError) as refused:
        services.message_post(
            conversation=_conversation(talk), actor=talk.buyer, body="x", files=files
        )

    assert refused.value.message_dict == {"files": ["Send at most 5 files with one message."]}
    assert Attachment.objects.count() == 0


def test_a_message_may_be_only_a_file(talk: Talk) -> None:
    message = services.message_post(
        conversation=_conversation(talk), actor=talk.buyer, body="", files=[("a.png", jpeg())]
    )

    assert message.body == ""
    assert list(message.attachments.values_list("name", "content_type")) == [
        ("a.jpg", "image/jpeg")
    ]


# --- Emails ------------------------------------------------------------------------------------


def test_the_other_side_is_emailed_once_a_quarter_hour_without_the_message(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(talk)
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        services.message_post(conversation=conversation, actor=talk.buyer, body=PHONE_TEXT)
        services.message_post(conversation=conversation, actor=talk.buyer, body="Secret words")
    with (
        time_machine.travel(NOW + dt.timedelta(minutes=14), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.message_post(conversation=conversation, actor=talk.buyer, body="Again")

    assert [m.to for m in mail.outbox] == [[talk.side.owner.email]]
    email = mail.outbox[0]
    assert email.subject == f"Recommerce: New message about order {talk.order.number}"
    assert f"/account/seller/support/messages/{conversation.pk}/" in email.body
    assert "The buyer wrote to you about order" in email.body
    for secret in ("Secret words", "Call me", "hidden", "Again"):
        assert secret not in email.body


def test_after_a_quarter_hour_the_next_message_is_emailed_again(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(talk)
    for minutes in (0, 16):
        with (
            time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.message_post(conversation=conversation, actor=talk.side.owner, body="Hi")

    assert [m.to for m in mail.outbox] == [[talk.buyer.email], [talk.buyer.email]]
    assert f"/account/support/messages/{conversation.pk}/" in mail.outbox[0].body


# --- Customer service joins ----------------------------------------------------------------------


def test_customer_service_joins_then_writes_and_both_sides_are_told(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    conversation = _conversation(talk)
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_staff_join(conversation=conversation, actor=talk.agent)
        services.conversation_staff_join(conversation=conversation, actor=talk.agent)
    staff_message = services.message_post(
        conversation=conversation, actor=talk.agent, body="Looking into it"
    )

    assert list(Message.objects.values_list("side", "body")) == [
        ("system", "Customer service joined the conversation."),
        ("staff", "Looking into it"),
    ]
    assert staff_message.author_id == talk.agent.pk
    assert sorted(m.to[0] for m in mail.outbox) == [talk.buyer.email, talk.side.owner.email]
    assert all("Customer service joined" in m.body for m in mail.outbox)
