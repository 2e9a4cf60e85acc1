"""Unsubscribe by email (CONSENT-4): a message whose subject says "unsubscribe".

The mail server posts each received message, raw (RFC 5322), to the inbound endpoint. The
sender's address stops receiving marketing, whatever it subscribed to, and is told so by a
transactional reply. Replies go only to addresses the platform knows, at most once a day
each, and never to automatic messages, so a forged sender or an auto-responder cannot turn
the endpoint into a mail cannon or a loop.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email import errors as email_errors
from email import policy
from email.parser import BytesParser

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from recommerce.marketing import rules, selectors
from recommerce.marketing.models import UnsubscribeEvent
from recommerce.marketing.services.subscriptions import marketing_unsubscribe
from recommerce.platform.mail import send_templated

KEYWORD = "unsubscribe"
REPLY_SECONDS = 24 * 3600
UNSUBSCRIBED = "unsubscribed"
IGNORED = "ignored"


class MalformedMessage(ValueError):
    """The posted body is not a message that can be read."""


@dataclass(frozen=True, slots=True)
class Inbound:
    sender: str
    subject: str
    automatic: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    result: str
    detail: str


def inbound_parse(raw: bytes) -> Inbound:
    """Read the sender, the subject and whether the message was sent by a machine."""
    if not raw.strip():
        raise MalformedMessage("The body is empty: post the raw message (RFC 5322).")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        sender = message["From"]
        subject = str(message["Subject"] or "")
        automatic = str(message["Auto-Submitted"] or "no").strip().lower() != "no"
        addresses = tuple(getattr(sender, "addresses", ())) if sender is not None else ()
        found = [str(address.addr_spec) for address in addresses]
    except (email_errors.MessageError, ValueError, TypeError, IndexError, LookupError) as error:
        raise MalformedMessage(f"The message could not be read: {error}.") from error
    if sender is None:
        raise MalformedMessage("The message has no From header.")
    if len(found) != 1:
        raise MalformedMessage("The From header must hold exactly one email address.")
    try:
        validate_email(found[0])
    except ValidationError as error:
        raise MalformedMessage("The From header does not hold a valid email address.") from error
    return Inbound(sender=rules.normalise_email(found[0]), subject=subject, automatic=automatic)


def inbound_email_receive(*, raw: bytes) -> Outcome:
    """Unsubscribe the sender of ``raw`` if its subject asks to; ignore anything else."""
    message = inbound_parse(raw)
    if message.automatic:
        return Outcome(IGNORED, "Automatic messages (Auto-Submitted) are not acted upon.")
    if KEYWORD not in message.subject.casefold():
        return Outcome(IGNORED, "The subject does not ask to unsubscribe.")
    if not selectors.address_known(address=message.sender):
        return Outcome(IGNORED, "The sender's address receives no marketing.")
    marketing_unsubscribe(address=message.sender, method=UnsubscribeEvent.Method.INBOUND_EMAIL)
    key = f"marketing:inbound-reply:{hashlib.sha256(message.sender.encode()).hexdigest()}"
    if cache.add(key, True, REPLY_SECONDS):
        send_templated(
            to=[message.sender],
            subject="you are unsubscribed from marketing emails",
            template="marketing/email/unsubscribed",
            context={},
            headers={"Auto-Submitted": "auto-replied"},
        )
    return Outcome(UNSUBSCRIBED, "The sender no longer receives marketing emails.")
