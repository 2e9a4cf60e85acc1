"""Conversations: buyer and seller about an order, support chats, call notes (CONSENT-6).

- ``conversation_for_order``: the one conversation of an order, between its buyer and its
  seller; customer service joins it when a claim escalates (``conversation_staff_join``).
- ``message_post``: contact and payment details are masked before the message is stored,
  so neither the other side nor the platform ever holds them; files are checked by their
  content and sealed. The other side is emailed a link, never the message, at most once a
  quarter of an hour per conversation.
- Support chats are transcripts only for people who did not object to recording
  (CONSENT-6): ``recorded`` is decided when the chat starts and turned off by an objection
  made during it. Closing an unrecorded chat deletes every message and file and keeps only
  the note customer service writes (on the claim, or as a call note).
"""

from __future__ import annotations

from recommerce.support.services.conversations.chats import (
    call_note_add,
    conversation_staff_join,
    support_chat_close,
    support_chat_start,
    support_chats_close_idle,
)
from recommerce.support.services.conversations.messages import (
    BUYER,
    CLAIM_NOTE_MAX,
    MAIL_EVERY_SECONDS,
    MAX_TEXT,
    OBJECTED_TO_RECORDING,
    SELLER,
    STAFF,
    STAFF_JOINED,
    SYSTEM,
    FileInput,
    conversation_for_order,
    conversation_url,
    masked_note,
    message_post,
)

__all__ = [
    "BUYER",
    "CLAIM_NOTE_MAX",
    "MAIL_EVERY_SECONDS",
    "MAX_TEXT",
    "OBJECTED_TO_RECORDING",
    "SELLER",
    "STAFF",
    "STAFF_JOINED",
    "SYSTEM",
    "FileInput",
    "call_note_add",
    "conversation_for_order",
    "conversation_staff_join",
    "conversation_url",
    "masked_note",
    "message_post",
    "support_chat_close",
    "support_chat_start",
    "support_chats_close_idle",
]
