"""``Idempotency-Key`` for unsafe API calls: the same key replays the first answer.

A retried call (a lost answer, a double click, a client's retry loop) must not buy, refund
or pay out twice. The first call with a key stores its answer; a repeat with the same body
gets that answer again; a repeat with another body is refused with 422. Concurrent repeats
wait on the first one's row and then replay it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from recommerce.platform.models import IdempotentRequest

MAX_KEY_LENGTH = 100


class IdempotencyMismatch(Exception):
    """The key was used before for another operation or another request body."""


class IdempotencyInProgress(Exception):
    """A call with the same key is still running (only without row locks, on SQLite)."""


def request_hash(operation: str, body: Any) -> str:
    canonical = json.dumps([operation, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_call(
    *,
    actor: str,
    key: str,
    operation: str,
    body: Any,
    call: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    """Run ``call`` once per (actor, key); return its ``(status, payload)`` on every repeat.

    ``call`` runs inside the same transaction as the stored answer, so a crash leaves
    neither the effect nor the key behind. Answers with a 5xx status are not stored.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise IdempotencyMismatch(f"An Idempotency-Key has 1 to {MAX_KEY_LENGTH} characters.")
    digest = request_hash(operation, body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotentRequest.objects.create(
                    actor=actor, key=key, operation=operation, request_hash=digest
                )
        except IntegrityError:
            # Another call took the key: wait for it (row lock on PostgreSQL), then replay.
            row = IdempotentRequest.objects.select_for_update().get(actor=actor, key=key)
            if row.operation != operation or row.request_hash != digest:
                raise IdempotencyMismatch(
                    "This Idempotency-Key was already used with a different request."
                ) from None
            if row.status_code is None:
                raise IdempotencyInProgress("A request with this key is still running.") from None
            return row.status_code, row.response
        status, payload = call()
        if status >= 500:
            transaction.set_rollback(True)
            return status, payload
        # Stored as JSON, so the first answer and its replays are the same values.
        payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        row.status_code = status
        row.response = payload
        row.save(update_fields=["status_code", "response"])
        return status, payload
