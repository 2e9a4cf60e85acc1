"""Messages: the rules of a message (masking, files, who may write), the emails that tell the
other side, the order's conversation and posting in it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from recommerce.accounts.models import User
from recommerce.orders.models import Order
from recommerce.platform import clock
from recommerce.platform.mail import send_templated
from recommerce.platform.text import unsafe_character, unsafe_text_message
from recommerce.privacy.services.personal_consent import recording_allowed
from recommerce.support import files as support_files
from recommerce.support.files import CheckedFile
from recommerce.support.masking import mask_contact_details
from recommerce.support.models import Attachment, Conversation, Message
from recommerce.support.selectors import conversations as selectors

BUYER, SELLER, STAFF, SYSTEM = (s.value for s in Message.Side)
MAX_TEXT = 5000
CLAIM_NOTE_MAX = 300  # a claim's history keeps notes of this length
MAIL_EVERY_SECONDS = 15 * 60
STAFF_JOINED = "Customer service joined the conversation."
OBJECTED_TO_RECORDING = (
    "This person objected to recording: note what the claim needs, without a recording."
)
_HIDDEN = {
    "phone_number": "a phone number",
    "email_address": "an email address",
    "bank_details": "bank details",
    "card_number": "a card number",
}

FileInput = UploadedFile | tuple[str, bytes]


# --- Rules -----------------------------------------------------------------------------------


def _text(
    value: str, *, field: str, what: str, maximum: int = MAX_TEXT, empty: bool = False
) -> str:
    """Return ``value`` stripped, or raise a ValidationError on ``field`` saying why not."""
    text = (value or "").strip()
    if not text and not empty:
        raise ValidationError({field: f"Write {what}."})
    if len(text) > maximum:
        raise ValidationError(
            {field: f"Keep {what} to {maximum} characters (this one has {len(text)})."}
        )
    char = unsafe_character(text, multiline=True)
    if char is not None:
        raise ValidationError({field: unsafe_text_message(char)})
    return text


def masked_note(message: Message) -> str:
    """Return the note shown to the writer of ``message`` about what was hidden, or ""."""
    kinds = [_HIDDEN.get(kind, kind.replace("_", " ")) for kind in message.masked]
    if not kinds:
        return ""
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return f"We hid {listed}: keep the conversation here, it protects you both."


def _poster_side(conversation: Conversation, actor: Any) -> str:
    if (
        isinstance(actor, User)
        and conversation.person_id is not None
        and actor.pk == conversation.person_id
    ):
        return BUYER  # the thread's person: no seller membership to look up
    sides = selectors.conversation_sides(conversation=conversation, actor=actor)
    for side in (BUYER, SELLER):
        if side in sides:
            return side
    if STAFF in sides:
        if conversation.kind == Conversation.Kind.SUPPORT or conversation.staff_joined_at:
            return STAFF
        raise PermissionError(
            "Customer service writes in a buyer and seller's conversation only after joining it."
        )
    raise PermissionError("You do not take part in this conversation.")


def _recording_check(conversation: Conversation) -> None:
    """Turn recording off for good once the person objects (CONSENT-6)."""
    if conversation.kind != Conversation.Kind.SUPPORT or not conversation.recorded:
        return
    if not recording_allowed(user=conversation.person):
        conversation.recorded = False
        conversation.save(update_fields=["recorded"])


def _checked_files(files: Sequence[FileInput], *, allow_video: bool) -> list[CheckedFile]:
    """Check every file by its content before anything is written."""
    most = settings.SUPPORT_ATTACHMENTS_PER_MESSAGE
    if len(files) > most:
        raise ValidationError({"files": f"Send at most {most} files with one message."})
    checked = []
    for upload in files:
        name, content = upload if isinstance(upload, tuple) else (upload.name or "", upload)
        # Photos come back re-encoded, without their metadata (location, device).
        checked.append(
            support_files.attachment_check(name=name, content=content, allow_video=allow_video)
        )
    return checked


def _store(message: Message, checked: list[CheckedFile]) -> list[Attachment]:
    """Seal each file and record it; files already written are removed if a later one fails."""
    stored: list[Attachment] = []
    try:
        for check in checked:
            attachment = Attachment(
                message=message,
                name=check.safe_name[:100],
                content_type=check.content_type[:40],
                size=check.size,
            )
            stored_name = f"{uuid.uuid4().hex}.{check.extension}"
            attachment.file.save(stored_name, ContentFile(check.content), save=False)
            attachment.save()
            stored.append(attachment)
    except BaseException:
        _files_delete([a.file.name for a in stored if a.file.name])
        raise
    return stored


def _files_delete(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


# --- Emails ----------------------------------------------------------------------------------


def conversation_url(conversation: Conversation, side: str) -> str:
    """Return the address of ``conversation``'s page for ``side`` (buyer or seller)."""
    name, fallback = {
        BUYER: ("support:message_thread", "/account/support/messages/{pk}/"),
        SELLER: ("seller_support:message_thread", "/account/seller/support/messages/{pk}/"),
    }[side]
    try:
        path = reverse(name, kwargs={"pk": conversation.pk})
    except NoReverseMatch:
        path = fallback.format(pk=conversation.pk)
    return f"{settings.SITE_URL}{path}"


def _recipients(conversation: Conversation, sides: Sequence[str]) -> list[tuple[User, str]]:
    found: list[tuple[User, str]] = []
    if BUYER in sides and conversation.person is not None and conversation.person.is_active:
        found.append((conversation.person, BUYER))
    if SELLER in sides and conversation.kind == Conversation.Kind.ORDER:
        found += [
            (user, SELLER) for user in selectors.order_seller_members(conversation=conversation)
        ]
    return found


def _notify(
    conversation: Conversation,
    sides: Sequence[str],
    *,
    template: str,
    writer: str = SYSTEM,
    throttle: bool = True,
) -> None:
    """Email each person of ``sides`` a link to the conversation, once the post commits."""
    subject = (
        f"New message about order {conversation.order.number}"
        if conversation.order is not None
        else "New message from customer service"
    )
    for user, side in _recipients(conversation, sides):
        context = {
            "name": user.full_name,
            "order_number": conversation.order.number if conversation.order else "",
            "url": conversation_url(conversation, side),
            "side": side,
            "writer": writer,
        }
        key = f"support:message-mail:{conversation.pk}:{user.pk}"
        send = partial(
            send_templated,
            to=[user.email],
            subject=subject,
            template=template,
            context=context,
            language=user.language or None,
        )
        transaction.on_commit(partial(_send_unless_recent, send, key if throttle else ""))


def _send_unless_recent(send: Any, key: str) -> None:
    # One email per person and conversation per quarter hour: a lively thread is one email.
    # The quarter hour is named in the key, from the clock, rather than left to the cache's
    # expiry: a Redis key expires on the server's time, which the clock does not govern.
    if not key:
        send()
        return
    quarter = int(clock.now().timestamp()) // MAIL_EVERY_SECONDS
    if cache.add(f"{key}:{quarter}", True, MAIL_EVERY_SECONDS):
        send()


# --- Services --------------------------------------------------------------------------------


@transaction.atomic
def conversation_for_order(*, order: Order) -> Conversation:
    """Return the order's conversation between its buyer and its seller, made on first use.

    Two first messages at once make one conversation (the unique constraint decides).
    """
    found = selectors.order_conversation_for(order=order)
    if found is not None:
        return found
    if order.status == Order.Status.HELD:
        raise ValidationError(
            "This order is being checked: you can write to the seller once it is passed to them."
        )
    try:
        with transaction.atomic():
            return Conversation.objects.create(
                kind=Conversation.Kind.ORDER,
                person_id=order.buyer_id,
                order=order,
                seller_id=order.seller_id,
                created_at=clock.now(),
            )
    except IntegrityError:
        return Conversation.objects.get(kind=Conversation.Kind.ORDER, order=order)


@transaction.atomic
def message_post(
    *,
    conversation: Conversation,
    actor: Any,
    body: str,
    files: Sequence[FileInput] = (),
    allow_video: bool = False,
) -> Message:
    """Post a message (masked before it is stored) with its files; tell the other side.

    Who may post: the person, the seller's members with an order role or its API key, and
    customer service once it joined an order conversation (at once in a support chat).
    A message without text needs at least one file. ``allow_video`` is for claim evidence.
    """
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("order", "person")
        .get(pk=conversation.pk)
    )
    side = _poster_side(conversation, actor)
    if conversation.closed_at is not None:
        raise ValidationError("This conversation is closed: start a new chat to write again.")
    text = _text(body, field="body", what="your message", empty=bool(files))
    checked = _checked_files(files, allow_video=allow_video)
    _recording_check(conversation)
    masked = mask_contact_details(text)
    now = clock.now()
    message = Message.objects.create(
        conversation=conversation,
        side=side,
        author=actor if isinstance(actor, User) else None,
        body=masked.text,
        masked=list(masked.kinds),
        created_at=now,
    )
    _store(message, checked)
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at"])
    others = {BUYER: (SELLER,), SELLER: (BUYER,), STAFF: (BUYER, SELLER)}[side]
    if conversation.kind == Conversation.Kind.ORDER or side == STAFF:
        _notify(conversation, others, template="support/emails/message_new", writer=side)
    return message
