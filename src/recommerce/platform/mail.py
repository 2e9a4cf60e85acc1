"""Send the platform's emails from templates: a text body and an optional HTML one.

``transactional=True`` marks messages about the person's account or orders; they are
sent whatever the person's marketing choices, and carry a header saying so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(
    *,
    to: Sequence[str],
    subject: str,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    transactional: bool = True,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> int:
    """Render ``<template>.txt`` (and ``<template>.html`` if it exists) and send it."""
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
        headers={"X-Recommerce-Category": "transactional" if transactional else "marketing"},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()
