"""Send the platform's emails from templates: a text body and an optional HTML one.

``transactional=True`` marks messages about the person's account or orders; they are
sent whatever the person's marketing choices, and carry a header saying so.

A marketing message (``transactional=False``) must carry the one-click unsubscribe headers
of RFC 8058 (``List-Unsubscribe`` with an HTTPS address, and ``List-Unsubscribe-Post``):
a promotional email without a working unsubscribe is refused before it leaves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

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
) -> int:
    """Render ``<template>.txt`` (and ``<template>.html`` if it exists) and send it.

    ``headers`` adds message headers (``List-Unsubscribe``, ``Auto-Submitted``); a marketing
    message needs the one-click unsubscribe pair (``ValueError`` otherwise).
    """
    extra = _checked_headers(headers or {}, transactional=transactional)
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    data = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(f"{template}.txt", data)
        try:
            html: str | None = render_to_string(f"{template}.html", data)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=f"Recommerce: {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={**extra, CATEGORY_HEADER: "transactional" if transactional else "marketing"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
