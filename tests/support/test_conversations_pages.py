"""Conversation pages: the person's, the seller's and customer service's; attachments; the
call note; a 50-message thread at a constant number of queries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommerce.privacy.models import StaffAccess
from recommerce.privacy.services.personal_consent import (
    METHOD_PROFILE,
    RECORDING_OBJECTION,
    personal_consent_record,
)
from recommerce.support.models import Attachment, CallNote, Conversation, Message
from recommerce.support.selectors import conversations as selectors
from recommerce.support.services import conversations as services
from tests.support.conversations_fixtures import (
    EXE,
    PDF,
    PHONE_TEXT,
    Talk,
    jpeg,
    signed_in,
    stored_files,
    talk_build,
)


@pytest.fixture
def talk(db: None, settings: Any, tmp_path: Path) -> Talk:
    return talk_build(settings, tmp_path)


def _thread(talk: Talk) -> tuple[Conversation, Attachment]:
    conversation = services.conversation_for_order(order=talk.order)
    message = services.message_post(
        conversation=conversation, actor=talk.buyer, body="Invoice", files=[("inv.pdf", PDF)]
    )
    return conversation, message.attachments.get()


# --- The person's pages ------------------------------------------------------------------------


def test_message_the_seller_opens_the_order_conversation_on_the_first_message(talk: Talk) -> None:
    client = signed_in(talk.buyer)
    url = f"/account/support/orders/{talk.order.number}/messages/"

    page = client.get(url)
    assert page.status_code == 200
    assert Conversation.objects.count() == 0  # a look writes nothing

    answer = client.post(url, {"body": PHONE_TEXT}, follow=True)

    conversation = Conversation.objects.get()
    assert answer.redirect_chain == [(f"/account/support/messages/{conversation.pk}/", 302)]
    content = answer.content.decode()
    assert "We hid a phone number: keep the conversation here, it protects you both." in content
    assert "Call me on [phone number hidden] please" in content
    assert "06 12 34 56 78" not in content
    assert client.get(url).url == f"/account/support/messages/{conversation.pk}/"


def test_the_thread_takes_files_and_refuses_an_executable_with_a_message(talk: Talk) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    client = signed_in(talk.buyer)
    url = f"/account/support/messages/{conversation.pk}/"

    refused = client.post(url, {"body": "x", "files": SimpleUploadedFile("a.exe", EXE)})
    assert refused.status_code == 400
    assert "a.exe is not a JPEG, PNG or PDF file." in refused.content.decode()
    assert (Message.objects.count(), stored_files(talk.storage)) == (0, [])

    sent = client.post(url, {"body": "", "files": SimpleUploadedFile("scan.jpg", PDF)})
    assert sent.status_code == 302
    assert list(Attachment.objects.values_list("name", "content_type")) == [
        ("scan.pdf", "application/pdf")
    ]


def test_the_list_shows_the_persons_conversations_only(talk: Talk) -> None:
    services.conversation_for_order(order=talk.order)
    services.support_chat_start(person=talk.other_buyer)

    page = signed_in(talk.buyer).get("/account/support/messages/")

    assert page.status_code == 200
    content = page.content.decode()
    assert f"Order {talk.order.number}" in content
    assert "Customer service chat" not in content


@pytest.mark.parametrize("objected", [False, True])
def test_consent_6_the_chat_page_says_whether_it_is_recorded(talk: Talk, objected: bool) -> None:
    if objected:
        personal_consent_record(
            user=talk.buyer, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
        )
    client = signed_in(talk.buyer)

    page = client.get(f"/account/support/chat/new/?order={talk.order.number}")

    content = page.content.decode()
    expected = "This chat is not recorded" if objected else "This chat is recorded"
    assert expected in content
    assert 'href="/privacy/mine/#consents"' in content
    answer = client.post("/account/support/chat/new/", {"order": talk.order.number, "body": "Hi"})
    chat = Conversation.objects.get(kind="support")
    assert answer.url == f"/account/support/messages/{chat.pk}/"
    assert (chat.recorded, chat.order_id) == (not objected, talk.order.pk)


# --- Outsiders ---------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_page_and_file_and_nothing_is_written(talk: Talk) -> None:
    conversation, attachment = _thread(talk)
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    before = (Message.objects.count(), Conversation.objects.count(), Attachment.objects.count())
    buyer_urls = [
        f"/account/support/messages/{conversation.pk}/",
        f"/account/support/messages/{chat.pk}/",
        f"/account/support/attachments/{attachment.pk}/",
        f"/account/support/orders/{talk.order.number}/messages/",
        f"/account/support/chat/new/?order={talk.order.number}",
    ]
    seller_urls = [
        f"/account/seller/support/messages/{conversation.pk}/",
        f"/account/seller/support/messages/{chat.pk}/",
        f"/account/seller/support/attachments/{attachment.pk}/",
    ]
    for outsider in (talk.other_buyer, talk.other_side.owner):
        client = signed_in(outsider)
        for url in buyer_urls + (seller_urls if outsider == talk.other_side.owner else []):
            assert client.get(url).status_code == 404, url
            assert (
                client.post(url, {"body": "hello", "order": talk.order.number}).status_code == 404
            ), url
    # Positive controls: the same addresses open for their parties.
    assert signed_in(talk.buyer).get(buyer_urls[0]).status_code == 200
    assert signed_in(talk.side.owner).get(seller_urls[0]).status_code == 200
    assert signed_in(talk.side.owner).get(seller_urls[1]).status_code == 404
    assert signed_in(talk.catalog_member).get(seller_urls[0]).status_code == 403
    assert (
        Message.objects.count(),
        Conversation.objects.count(),
        Attachment.objects.count(),
    ) == before


def test_staff_pages_are_hidden_from_people_and_closed_to_staff_without_the_role(
    talk: Talk,
) -> None:
    conversation, attachment = _thread(talk)
    urls = [
        "/staff/support/conversations/",
        f"/staff/support/conversations/{conversation.pk}/",
        f"/staff/support/attachments/{attachment.pk}/",
    ]
    for url in urls:
        assert signed_in(talk.buyer).get(url).status_code == 404
        assert signed_in(talk.plain_staff).get(url).status_code == 403
        assert signed_in(talk.agent).get(url).status_code == 200
    assert (
        signed_in(talk.plain_staff)
        .post(f"/staff/support/people/{talk.buyer.pk}/call-note/", {"summary": "x"})
        .status_code
        == 403
    )
    assert CallNote.objects.count() == 0


# --- Attachments -------------------------------------------------------------------------------


def test_a_file_is_downloaded_never_shown_and_staff_looks_are_logged(talk: Talk) -> None:
    conversation, attachment = _thread(talk)

    for client, url in (
        (signed_in(talk.buyer), f"/account/support/attachments/{attachment.pk}/"),
        (signed_in(talk.side.owner), f"/account/seller/support/attachments/{attachment.pk}/"),
        (signed_in(talk.agent), f"/staff/support/attachments/{attachment.pk}/"),
    ):
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.content == PDF
        assert answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"] == 'attachment; filename="inv.pdf"'
        assert answer["X-Content-Type-Options"] == "nosniff"

    assert list(StaffAccess.objects.values_list("staff", "subject", "what")) == [
        (talk.agent.pk, talk.buyer.pk, f"file {attachment.pk} of conversation {conversation.pk}")
    ]


# --- Customer service ---------------------------------------------------------------------------


def test_consent_6_staff_see_the_objection_before_the_answer_box(talk: Talk) -> None:
    personal_consent_record(
        user=talk.buyer, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
    )
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    services.message_post(conversation=chat, actor=talk.buyer, body="Help")
    client = signed_in(talk.agent)

    queue = client.get("/staff/support/conversations/").content.decode()
    page = client.get(f"/staff/support/conversations/{chat.pk}/").content.decode()

    assert "Not recorded" in queue
    objection = page.index("This person objected to recording.")
    assert objection < page.index('id="answer-title"') < page.index("Close the chat</h2>")
    assert StaffAccess.objects.filter(staff=talk.agent, subject=talk.buyer).count() == 2


def test_staff_answer_then_close_an_unrecorded_chat_with_the_note(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    personal_consent_record(
        user=talk.buyer, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
    )
    chat = services.support_chat_start(person=talk.buyer)
    client = signed_in(talk.agent)
    url = f"/staff/support/conversations/{chat.pk}/"

    assert client.post(url, {"body": "Hello, how can I help?"}).status_code == 302
    assert Message.objects.get().side == "staff"
    with django_capture_on_commit_callbacks(execute=True):
        closed = client.post(url, {"action": "close", "claim_note": "Asked about delivery dates"})

    assert closed.url == "/staff/support/conversations/"
    assert Message.objects.count() == 0
    assert list(CallNote.objects.values_list("summary", "recording_reference")) == [
        ("Asked about delivery dates", "")
    ]


def test_staff_read_an_order_conversation_but_write_only_after_joining(talk: Talk) -> None:
    conversation, _ = _thread(talk)
    client = signed_in(talk.agent)
    url = f"/staff/support/conversations/{conversation.pk}/"

    assert 'id="answer-title"' not in client.get(url).content.decode()
    assert client.post(url, {"body": "Hi"}).status_code == 400
    services.conversation_staff_join(conversation=conversation, actor=talk.agent)
    assert client.post(url, {"body": "Hi"}).status_code == 302

    assert list(Message.objects.values_list("side", flat=True)) == ["buyer", "system", "staff"]


@pytest.mark.parametrize("objected", [False, True])
def test_consent_6_the_call_note_form_honours_the_objection(talk: Talk, objected: bool) -> None:
    if objected:
        personal_consent_record(
            user=talk.buyer, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
        )
    url = f"/staff/support/people/{talk.buyer.pk}/call-note/"
    data = {"summary": "Called", "recording_reference": "REC-9", "next": "/staff/"}

    answer = signed_in(talk.agent).post(url, data)

    if objected:
        assert answer.status_code == 400
        assert (
            "This person objected to recording: note what the claim needs"
            in answer.content.decode()
        )
        assert CallNote.objects.count() == 0
    else:
        assert answer.url == "/staff/"
        assert list(CallNote.objects.values_list("summary", "recording_reference")) == [
            ("Called", "REC-9")
        ]


# --- Queries -----------------------------------------------------------------------------------


def _grow(talk: Talk, conversation: Conversation, count: int) -> None:
    for n in range(count):
        author = talk.buyer if n % 2 else talk.side.owner
        files = [("p.jpg", jpeg())] if n % 5 == 0 else []
        services.message_post(conversation=conversation, actor=author, body=f"m{n}", files=files)


def test_a_thread_of_50_messages_with_files_costs_a_constant_number_of_queries(talk: Talk) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    _grow(talk, conversation, 5)
    with CaptureQueriesContext(connection) as small:
        assert len(list(selectors.conversation_messages(conversation=conversation))) == 5
    client = signed_in(talk.buyer)
    url = f"/account/support/messages/{conversation.pk}/"
    client.get(url)  # the session and the user, loaded once
    with CaptureQueriesContext(connection) as small_page:
        client.get(url)

    _grow(talk, conversation, 45)
    with CaptureQueriesContext(connection) as large:
        messages = list(selectors.conversation_messages(conversation=conversation))
        assert sum(len(m.attachments.all()) for m in messages) == 10
    with CaptureQueriesContext(connection) as large_page:
        assert client.get(url).content.decode().count('<li id="message-') == 50

    assert len(small) == len(large) == 2
    assert len(large_page) == len(small_page)
