"""Support chats and call notes honour the objection to recording (CONSENT-6).

A person who objected leaves no transcript: closing the chat deletes every message and
file, and only the note customer service writes for the claim stays. An objection made
during a chat counts for the whole chat. A call note cannot carry a recording reference
for a person who objected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from recommerce.accounts.models import User
from recommerce.privacy.services.personal_consent import (
    METHOD_PROFILE,
    RECORDING_OBJECTION,
    personal_consent_record,
)
from recommerce.support.models import (
    Attachment,
    CallNote,
    Claim,
    ClaimEvent,
    Conversation,
    Message,
)
from recommerce.support.services import conversations as services
from tests.support.conversations_fixtures import PDF, Talk, jpeg, stored_files, talk_build

NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
NOTE = "Buyer confirms the screen was cracked on arrival; photos sent by email before."


@pytest.fixture
def talk(db: None, settings: Any, tmp_path: Path) -> Talk:
    return talk_build(settings, tmp_path)


def _object(person: User) -> None:
    personal_consent_record(
        user=person, kind=RECORDING_OBJECTION, given=True, method=METHOD_PROFILE
    )


def _claim(talk: Talk) -> Claim:
    return Claim.objects.create(
        reference="CL-TEST2345",
        order=talk.order,
        buyer=talk.buyer,
        kind=Claim.Kind.TRANSIT_DAMAGE,
        requested=Claim.Resolution.REFUND,
        window_closes_on=NOW.date(),
    )


def _chat_with_files(talk: Talk, chat: Conversation) -> None:
    services.message_post(
        conversation=chat,
        actor=talk.buyer,
        body="My phone is 06 12 34 56 78",
        files=[("a.jpg", jpeg())],
    )
    services.message_post(
        conversation=chat, actor=talk.agent, body="Send the invoice", files=[("inv.pdf", PDF)]
    )


def test_consent_6_objector_chat_leaves_no_transcript_and_the_claim_note_stays(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    _object(talk.buyer)
    claim = _claim(talk)
    chat = services.support_chat_start(person=talk.buyer, claim=claim)
    assert (chat.kind, chat.recorded, chat.order_id, chat.claim_id) == (
        "support",
        False,
        talk.order.pk,
        claim.pk,
    )
    _chat_with_files(talk, chat)
    assert len(stored_files(talk.storage)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.support_chat_close(conversation=chat, actor=talk.agent, claim_note=NOTE)

    assert Message.objects.filter(conversation=chat).count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(talk.storage) == []
    assert list(
        ClaimEvent.objects.filter(claim=claim).values_list("action", "side", "actor", "note")
    ) == [("support_chat_note", "staff", talk.agent.pk, NOTE)]
    assert CallNote.objects.count() == 0
    chat.refresh_from_db()
    assert chat.closed_at is not None


def test_consent_6_objector_chat_without_a_claim_keeps_the_note_as_a_call_note(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    _object(talk.buyer)
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    _chat_with_files(talk, chat)

    with django_capture_on_commit_callbacks(execute=True):
        services.support_chat_close(conversation=chat, actor=talk.agent, claim_note=NOTE)

    assert (Message.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(talk.storage) == []
    assert list(
        CallNote.objects.values_list("person", "staff", "summary", "recording_reference", "claim")
    ) == [(talk.buyer.pk, talk.agent.pk, NOTE, "", None)]


def test_consent_6_an_objection_made_during_the_chat_deletes_the_whole_chat(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    assert chat.recorded is True
    services.message_post(
        conversation=chat, actor=talk.buyer, body="Before", files=[("a.pdf", PDF)]
    )
    _object(talk.buyer)
    services.message_post(conversation=chat, actor=talk.agent, body="After")
    chat.refresh_from_db()
    assert chat.recorded is False

    with django_capture_on_commit_callbacks(execute=True):
        services.support_chat_close(conversation=chat, actor=talk.agent)

    assert (Message.objects.count(), Attachment.objects.count()) == (0, 0)
    assert stored_files(talk.storage) == []
    assert CallNote.objects.count() == 0  # no note written, none kept


def test_consent_6_an_objection_just_before_closing_still_counts(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    services.message_post(conversation=chat, actor=talk.buyer, body="Hello")
    _object(talk.buyer)

    with django_capture_on_commit_callbacks(execute=True):
        services.support_chat_close(conversation=chat, actor=talk.buyer)

    assert Message.objects.count() == 0
    chat.refresh_from_db()
    assert chat.recorded is False


def test_a_recorded_chat_keeps_its_transcript(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)
    _chat_with_files(talk, chat)

    with django_capture_on_commit_callbacks(execute=True):
        services.support_chat_close(conversation=chat, actor=talk.agent)

    assert list(Message.objects.filter(conversation=chat).values_list("side", "body")) == [
        ("buyer", "My phone is [phone number hidden]"),
        ("staff", "Send the invoice"),
    ]
    assert len(stored_files(talk.storage)) == 2


def test_an_open_chat_about_the_same_order_is_reused(talk: Talk) -> None:
    first = services.support_chat_start(person=talk.buyer, order=talk.order)
    again = services.support_chat_start(person=talk.buyer, order=talk.order)

    assert again.pk == first.pk
    assert Conversation.objects.filter(kind="support").count() == 1


def test_nobody_chats_about_another_persons_order_or_claim(talk: Talk) -> None:
    claim = _claim(talk)

    with pytest.raises(PermissionError):
        services.support_chat_start(person=talk.other_buyer, order=talk.order)
    with pytest.raises(PermissionError):
        services.support_chat_start(person=talk.other_buyer, claim=claim)

    assert Conversation.objects.count() == 0


def test_only_the_person_and_customer_service_close_a_chat(talk: Talk) -> None:
    chat = services.support_chat_start(person=talk.buyer, order=talk.order)

    for outsider in (talk.other_buyer, talk.side.owner, talk.plain_staff):
        with pytest.raises(PermissionError):
            services.support_chat_close(conversation=chat, actor=outsider)

    chat.refresh_from_db()
    assert chat.closed_at is None


def test_a_claim_note_is_kept_within_the_claims_history_length(talk: Talk) -> None:
    chat = services.support_chat_start(person=talk.buyer, claim=_claim(talk))

    with pytest.raises(ValidationError) as refused:
        services.support_chat_close(conversation=chat, actor=talk.agent, claim_note="x" * 301)

    assert refused.value.message_dict == {
        "claim_note": ["Keep the note to 300 characters (this one has 301)."]
    }
    chat.refresh_from_db()
    assert chat.closed_at is None


def test_consent_6_idle_chats_close_after_a_day_by_the_same_rule(
    talk: Talk, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        quiet = services.support_chat_start(person=talk.buyer, order=talk.order)
        services.message_post(conversation=quiet, actor=talk.buyer, body="Anyone?")
    _object(talk.buyer)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        lively = services.support_chat_start(person=talk.other_buyer)
        services.message_post(conversation=lively, actor=talk.other_buyer, body="Hi")

    with (
        time_machine.travel(NOW + dt.timedelta(hours=24, minutes=30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.support_chats_close_idle() == 1

    quiet.refresh_from_db()
    lively.refresh_from_db()
    assert (quiet.closed_at, quiet.recorded) == (NOW + dt.timedelta(hours=24, minutes=30), False)
    assert lively.closed_at is None
    assert list(Message.objects.values_list("conversation", "body")) == [(lively.pk, "Hi")]


def test_the_idle_chat_task_runs_under_its_lock(talk: Talk) -> None:
    from recommerce.support.tasks import support_chats_close

    with time_machine.travel(NOW, tick=False):
        chat = services.support_chat_start(person=talk.buyer)
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert support_chats_close.call_local() == 1

    chat.refresh_from_db()
    assert chat.closed_at == NOW + dt.timedelta(days=2)


# --- Call notes -------------------------------------------------------------------------------


def test_consent_6_a_call_note_with_a_recording_is_refused_for_an_objector(talk: Talk) -> None:
    _object(talk.buyer)

    with pytest.raises(ValidationError) as refused:
        services.call_note_add(
            person=talk.buyer,
            staff=talk.agent,
            summary="Called about the parcel",
            recording_reference="REC-1",
        )

    assert refused.value.message_dict == {
        "recording_reference": [
            "This person objected to recording: note what the claim needs, without a recording."
        ]
    }
    assert CallNote.objects.count() == 0


def test_consent_6_an_objector_call_note_without_a_recording_is_kept(talk: Talk) -> None:
    _object(talk.buyer)
    claim = _claim(talk)

    note = services.call_note_add(
        person=talk.buyer, staff=talk.agent, summary=" Parcel lost, refund asked ", claim=claim
    )

    assert (
        note.person_id,
        note.staff_id,
        note.claim_id,
        note.summary,
        note.recording_reference,
    ) == (
        talk.buyer.pk,
        talk.agent.pk,
        claim.pk,
        "Parcel lost, refund asked",
        "",
    )


def test_a_call_note_keeps_the_recording_of_a_person_who_did_not_object(talk: Talk) -> None:
    note = services.call_note_add(
        person=talk.buyer, staff=talk.agent, summary="Called", recording_reference="REC-2027-0042"
    )

    assert note.recording_reference == "REC-2027-0042"


def test_only_customer_service_notes_calls_and_only_on_the_persons_claims(talk: Talk) -> None:
    claim = _claim(talk)

    with pytest.raises(PermissionError):
        services.call_note_add(person=talk.buyer, staff=talk.plain_staff, summary="Called")
    with pytest.raises(ValidationError) as refused:
        services.call_note_add(person=talk.other_buyer, staff=talk.agent, summary="Hi", claim=claim)

    assert refused.value.message_dict == {"claim": ["Claim CL-TEST2345 is not this person's."]}
    assert CallNote.objects.count() == 0
