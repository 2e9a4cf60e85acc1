"""Customer service in conversations: joining a buyer and seller's thread, support chats and
their closing (CONSENT-6), call notes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recommerce.accounts.models import User
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.privacy.services.personal_consent import recording_allowed
from recommerce.support.models import Attachment, CallNote, Claim, Conversation, Message
from recommerce.support.selectors import conversations as selectors
from recommerce.support.services.common import claim_event_add
from recommerce.support.services.conversations.messages import (
    BUYER,
    CLAIM_NOTE_MAX,
    MAX_TEXT,
    OBJECTED_TO_RECORDING,
    SELLER,
    STAFF,
    STAFF_JOINED,
    SYSTEM,
    _files_delete,
    _notify,
    _recording_check,
    _text,
)


@transaction.atomic
def conversation_staff_join(*, conversation: Conversation, actor: Any = None) -> Conversation:
    """Bring customer service into an order conversation (a claim escalated); tell both sides.

    Joining twice changes nothing.
    """
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("order", "person")
        .get(pk=conversation.pk)
    )
    if conversation.staff_joined_at is not None:
        return conversation
    now = clock.now()
    conversation.staff_joined_at = now
    conversation.last_message_at = now
    conversation.save(update_fields=["staff_joined_at", "last_message_at"])
    Message.objects.create(
        conversation=conversation,
        side=SYSTEM,
        author=actor if isinstance(actor, User) else None,
        body=STAFF_JOINED,
        created_at=now,
    )
    _notify(
        conversation,
        (BUYER, SELLER),
        template="support/emails/message_staff_joined",
        throttle=False,
    )
    return conversation


@transaction.atomic
def support_chat_start(
    *, person: User, order: Order | None = None, claim: Claim | None = None
) -> Conversation:
    """Open a chat with customer service about an order or a claim, or return the open one.

    Recorded only if the person has not objected to recording (CONSENT-6).
    """
    if claim is not None:
        if claim.buyer_id != person.pk:
            raise PermissionError("You can only ask about your own claims.")
        order = claim.order
    elif order is not None and order.buyer_id != person.pk:
        raise PermissionError("You can only ask about your own orders.")
    found = Conversation.objects.filter(
        kind=Conversation.Kind.SUPPORT, person=person, order=order, claim=claim, closed_at=None
    ).first()
    if found is not None:
        _recording_check(found)
        return found
    return Conversation.objects.create(
        kind=Conversation.Kind.SUPPORT,
        person=person,
        order=order,
        claim=claim,
        recorded=recording_allowed(user=person),
        created_at=clock.now(),
    )


def _note_keep(conversation: Conversation, actor: Any, note: str) -> None:
    staff = actor if isinstance(actor, User) else None
    if conversation.claim is not None:
        claim_event_add(
            conversation.claim, action="support_chat_note", side=STAFF, actor=staff, note=note
        )
    elif conversation.person is not None:
        CallNote.objects.create(
            person=conversation.person,
            staff=staff,
            summary=note,
            recording_reference="",
            created_at=clock.now(),
        )


@transaction.atomic
def support_chat_close(
    *, conversation: Conversation, actor: Any, claim_note: str = ""
) -> Conversation:
    """Close a support chat; for an unrecorded one delete every message and file (CONSENT-6).

    ``claim_note`` is what customer service keeps of the chat: on the claim's history when
    the chat is about a claim, otherwise as a call note on the person. A recorded chat
    keeps its transcript. ``actor`` None is the idle sweep. Closing twice changes nothing.
    """
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("claim", "person")
        .get(pk=conversation.pk)
    )
    if conversation.kind != Conversation.Kind.SUPPORT:
        raise ValidationError("Only chats with customer service are closed.")
    if actor is not None and not (
        selectors.conversation_sides(conversation=conversation, actor=actor) & {BUYER, STAFF}
    ):
        raise PermissionError("You do not take part in this conversation.")
    if conversation.closed_at is not None:
        return conversation
    maximum = CLAIM_NOTE_MAX if conversation.claim_id else MAX_TEXT
    note = _text(claim_note, field="claim_note", what="the note", maximum=maximum, empty=True)
    _recording_check(conversation)
    if not conversation.recorded:
        names = list(
            Attachment.objects.filter(message__conversation=conversation)
            .exclude(file="")
            .values_list("file", flat=True)
        )
        Message.objects.filter(conversation=conversation).delete()
        transaction.on_commit(partial(_files_delete, names))
    if note:
        _note_keep(conversation, actor, note)
    conversation.closed_at = clock.now()
    conversation.save(update_fields=["closed_at"])
    return conversation


def support_chats_close_idle() -> int:
    """Close the support chats idle for a day, by the same rule; return how many closed."""
    closed = 0
    for conversation in selectors.idle_chat_list():
        support_chat_close(conversation=conversation, actor=None)
        closed += 1
    return closed


@transaction.atomic
def call_note_add(
    *,
    person: User,
    staff: User,
    summary: str,
    claim: Claim | None = None,
    recording_reference: str = "",
) -> CallNote:
    """Note a phone call with ``person``; refuse a recording if they objected (CONSENT-6)."""
    if not selectors.is_conversation_staff(staff):
        raise PermissionError("Your role does not include noting calls.")
    text = _text(summary, field="summary", what="what was said")
    reference = _text(
        recording_reference,
        field="recording_reference",
        what="the recording",
        maximum=64,
        empty=True,
    )
    if reference and not recording_allowed(user=person):
        raise ValidationError({"recording_reference": OBJECTED_TO_RECORDING})
    if claim is not None and claim.buyer_id != person.pk:
        raise ValidationError({"claim": f"Claim {claim.reference} is not this person's."})
    return CallNote.objects.create(
        person=person,
        claim=claim,
        staff=staff,
        summary=text,
        recording_reference=reference,
        created_at=clock.now(),
    )
