"""Signatures of the sandbox's notifications: ``t=<unix time>,v1=<hex HMAC-SHA256>``.

The signed text is ``"<t>.<body>"`` and the key is the webhook secret shared with the
platform, so a notification cannot be forged, altered or replayed much later.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from recommerce.payments.providers.base import InvalidWebhook

SIGNATURE_HEADER = "Recommerce-Signature"
TOLERANCE_SECONDS = 300


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    """Return the hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int) -> str:
    """Return the header value that signs ``body`` at ``timestamp``."""
    return f"t={timestamp},v1={signature(secret=secret, body=body, timestamp=timestamp)}"


def header_value(headers: Mapping[str, str], name: str) -> str:
    """Return a header's value whatever the case of its name ("" when absent)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


def verify(
    *, secret: str, body: bytes, header: str, now: int, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """Raise ``InvalidWebhook`` unless ``header`` signs ``body`` recently under ``secret``."""
    if not header:
        raise InvalidWebhook(f"The {SIGNATURE_HEADER} header is missing.")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise InvalidWebhook(f"The {SIGNATURE_HEADER} header is malformed.")
    expected = signature(secret=secret, body=body, timestamp=timestamp)
    # Every candidate is compared, in constant time, so timing says nothing about the key.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    if not any(matches):
        raise InvalidWebhook("The signature does not match the body.")
    if abs(now - timestamp) > tolerance:
        raise InvalidWebhook(f"The signature is more than {tolerance} seconds away from now.")
