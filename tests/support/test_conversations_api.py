"""The conversation API: the buyer's session, the seller's API key, idempotent posts,
pagination, and 404 with nothing written for everyone else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from recommerce.support.models import Attachment, Conversation, Message
from recommerce.support.services import conversations as services
from tests.support.conversations_fixtures import (
    PDF,
    PHONE_MASKED,
    PHONE_TEXT,
    Talk,
    signed_in,
    talk_build,
)

API = "/api/v1"
NOTE = "We hid a phone number: keep the conversation here, it protects you both."


@pytest.fixture
def talk(db: None, settings: Any, tmp_path: Path) -> Talk:
    return talk_build(settings, tmp_path)


def _post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _key(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_the_buyer_writes_and_reads_the_orders_conversation(talk: Talk) -> None:
    client = signed_in(talk.buyer)
    url = f"{API}/orders/{talk.order.number}/messages"

    assert client.get(url).json() == {
        "conversation_id": None,
        "closed": False,
        "messages": [],
        "next_after": None,
    }
    answer = _post(client, url, {"body": PHONE_TEXT}, **{"Idempotency-Key": "m-1"})

    assert answer.status_code == 201
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    posted = answer.json()
    assert posted == {
        "conversation_id": conversation.pk,
        "message": {
            "id": message.pk,
            "side": "buyer",
            "body": PHONE_MASKED,
            "masked": ["phone_number"],
            "created_at": posted["message"]["created_at"],
            "attachments": [],
        },
        "note": NOTE,
    }
    replay = _post(client, url, {"body": PHONE_TEXT}, **{"Idempotency-Key": "m-1"})
    assert (replay.status_code, replay.json()) == (201, posted)
    assert Message.objects.count() == 1
    assert [m["body"] for m in client.get(url).json()["messages"]] == [PHONE_MASKED]


def test_the_seller_key_reads_and_writes_with_its_scopes(talk: Talk) -> None:
    client = Client()
    url = f"{API}/seller/orders/{talk.order.number}/messages"

    answer = _post(client, url, {"body": "Shipped today"}, **_key(talk.key_secret))
    assert answer.status_code == 201
    assert answer.json()["message"]["side"] == "seller"
    read = client.get(url, headers=_key(talk.key_secret)).json()
    assert [(m["side"], m["body"]) for m in read["messages"]] == [("seller", "Shipped today")]

    for secret in (talk.other_key_secret,):
        assert client.get(url, headers=_key(secret)).status_code == 404
        assert _post(client, url, {"body": "x"}, **_key(secret)).status_code == 404
    assert Message.objects.count() == 1


def test_pagination_after_a_message_id(talk: Talk, settings: Any) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    ids = [
        services.message_post(conversation=conversation, actor=talk.buyer, body=f"m{n}").pk
        for n in range(5)
    ]
    client = signed_in(talk.buyer)
    url = f"{API}/conversations/{conversation.pk}/messages"

    first = client.get(url, {"limit": 2}).json()
    after = client.get(url, {"after": first["next_after"], "limit": 2}).json()
    last = client.get(url, {"after": ids[3]}).json()

    assert [m["id"] for m in first["messages"]] == ids[:2]
    assert first["next_after"] == ids[1]
    assert [m["id"] for m in after["messages"]] == ids[2:4]
    assert ([m["id"] for m in last["messages"]], last["next_after"]) == ([ids[4]], None)


def test_files_go_through_their_own_multipart_operation(talk: Talk) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    client = signed_in(talk.buyer)

    answer = client.post(
        f"{API}/conversations/{conversation.pk}/attachments",
        {"body": "The invoice", "files": [SimpleUploadedFile("scan.jpg", PDF)]},
    )

    assert answer.status_code == 201
    attachment = Attachment.objects.get()
    assert answer.json()["message"]["attachments"] == [
        {
            "id": attachment.pk,
            "name": "scan.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    ]


def test_files_are_idempotent_checked_and_closed_to_outsiders(talk: Talk) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    client = signed_in(talk.buyer)
    url = f"{API}/conversations/{conversation.pk}/attachments"

    answer = client.post(
        url,
        {"body": "The invoice", "files": [SimpleUploadedFile("scan.jpg", PDF)]},
        headers={"Idempotency-Key": "f-1"},
    )
    replay = client.post(
        url,
        {"body": "The invoice", "files": [SimpleUploadedFile("scan.jpg", PDF)]},
        headers={"Idempotency-Key": "f-1"},
    )
    refused = client.post(url, {"files": [SimpleUploadedFile("a.exe", b"MZ" + b"\0" * 60)]})
    outsider = signed_in(talk.other_buyer).post(url, {"files": [SimpleUploadedFile("b.pdf", PDF)]})

    attachment = Attachment.objects.get()
    assert (answer.status_code, replay.json()) == (201, answer.json())
    assert answer.json()["message"]["attachments"] == [
        {
            "id": attachment.pk,
            "name": "scan.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        }
    ]
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": [{"loc": ["body"], "msg": "a.exe is not a JPEG, PNG or PDF file."}]},
    )
    assert outsider.status_code == 404
    assert (Message.objects.count(), len(list(talk.storage.rglob("*.pdf")))) == (1, 1)


def test_outsiders_get_404_on_every_operation_and_nothing_is_written(talk: Talk) -> None:
    conversation = services.conversation_for_order(order=talk.order)
    services.message_post(conversation=conversation, actor=talk.buyer, body="Hi")
    chat = services.support_chat_start(person=talk.buyer)
    client = signed_in(talk.other_buyer)

    for url in (
        f"{API}/orders/{talk.order.number}/messages",
        f"{API}/conversations/{conversation.pk}/messages",
        f"{API}/conversations/{chat.pk}/messages",
        f"{API}/conversations/999999/messages",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        _post(client, f"{API}/orders/{talk.order.number}/messages", {"body": "x"}).status_code
        == 404
    )
    assert client.post(
        f"{API}/conversations/{conversation.pk}/attachments",
        {"files": [SimpleUploadedFile("a.pdf", PDF)]},
    ).status_code in (404, 415)
    assert Client().get(f"{API}/orders/{talk.order.number}/messages").status_code == 401
    assert (Message.objects.count(), Attachment.objects.count(), Conversation.objects.count()) == (
        1,
        0,
        2,
    )


def test_a_refused_message_is_a_clear_400(talk: Talk) -> None:
    client = signed_in(talk.buyer)

    answer = _post(client, f"{API}/orders/{talk.order.number}/messages", {"body": "   "})

    assert answer.status_code == 400
    assert answer.json() == {"detail": [{"loc": ["body", "body"], "msg": "Write your message."}]}
    assert Message.objects.count() == 0


def test_a_read_only_key_cannot_write(talk: Talk) -> None:
    from recommerce.accounts.models import SellerApiKey
    from tests.orders.conftest import seller_key

    secret = seller_key(talk.side.seller, talk.side.owner, SellerApiKey.Scope.ORDERS_READ)
    client = Client()
    url = f"{API}/seller/orders/{talk.order.number}/messages"

    assert client.get(url, headers=_key(secret)).status_code == 200
    assert _post(client, url, {"body": "x"}, **_key(secret)).status_code == 403
    assert Message.objects.count() == 0
