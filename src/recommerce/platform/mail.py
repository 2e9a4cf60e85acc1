"""Send the platform's emails from templates: a text body and an optional HTML one.

``transactional=True`` marks messages about the person's account or orders; they are
sent whatever the person's marketing choices, and carry a header saying so.

A marketing message (``transactional=False``) must carry the one-click unsubscribe headers
of RFC 8058 (``List-Unsubscribe`` with an HTTPS address, and ``List-Unsubscribe-Post``):
a promotional email without a working unsubscribe is refused before it leaves.

Every email goes through the outbox (``platform.outbox``): written as a row, then sent. A
send that fails is not raised to the caller; the row is tried again until it goes, and a
``key`` makes a retried caller queue the email once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from recommerce.platform.models import OutboundEmail
from recommerce.platform.outbox import email_deliver, email_queue

CATEGORY_HEADER = "X-Recommerce-Category"
ONE_CLICK = "List-Unsubscribe=One-Click"
# Headers a caller may not set: the category is the platform's, the rest are the message's.
RESERVED_HEADERS = frozenset(
    name.lower() for name in (CATEGORY_HEADER, "From", "To", "Cc", "Bcc", "Subject")
)


def _checked_headers(headers: Mapping[str, str], *, transactional: bool) -> dict[str, str]:
    """Return the extra headers, refusing reserved names, line breaks and, on a marketing
    message, a missing or incomplete one-click unsubscribe (RFC 8058)."""
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in RESERVED_HEADERS:
            raise ValueError(f"The header {name} is set by the platform, not by the caller.")
        if any(ch in f"{name}{value}" for ch in "\r\n"):
            raise ValueError(f"The header {name} holds a line break.")
        checked[name] = value
    if not transactional:
        lowered = {name.lower(): value for name, value in checked.items()}
        unsubscribe = lowered.get("list-unsubscribe", "")
        if "<https://" not in unsubscribe and "<http://" not in unsubscribe:
            raise ValueError("A marketing message needs a List-Unsubscribe header with a link.")
        if lowered.get("list-unsubscribe-post") != ONE_CLICK:
            raise ValueError(f"A marketing message needs List-Unsubscribe-Post: {ONE_CLICK}.")
    return checked


def queue_templated(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    transactional: bool = True,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: Mapping[str, str] | None = None,
    key: str = "",
) -> OutboundEmail | None:
    """Render ``<template>.txt`` (and ``<template>.html`` if it exists) into the outbox.

    Return the row, to send with ``outbox.email_deliver`` once the caller's transaction
    commits, or ``None`` when there is nobody to send to. A ``key`` already queued returns
    the row queued first. ``headers`` adds message headers (``List-Unsubscribe``,
    ``Auto-Submitted``); a marketing message needs the one-click unsubscribe pair
    (``ValueError`` otherwise).
    """
    extra = _checked_headers(headers or {}, transactional=transactional)
    recipients = [address for address in to if address]
    if not recipients:
        return None
    data = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", data)
        try:
            html: str = render_to_string(f"{template}.html", data)
        except TemplateDoesNotExist:
            html = ""
    category = "transactional" if transactional else "marketing"
    return email_queue(
        to=recipients,
        subject=f"Recommerce: {subject}",
        body=text,
        html=html,
        headers={**extra, CATEGORY_HEADER: category},
        attachments=attachments,
        category=category,
        key=key,
    )


def send_templated(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    transactional: bool = True,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: Mapping[str, str] | None = None,
    key: str = "",
) -> int:
    """Queue the email as ``queue_templated`` does and send it now; return 1 if it went.

    A failed send returns 0: the outbox tries again until it goes.
    """
    email = queue_templated(
        to=to,
        subject=subject,
        template=template,
        context=context,
        language=language,
        transactional=transactional,
        attachments=attachments,
        headers=headers,
        key=key,
    )
    return int(email is not None and email_deliver(email=email))
