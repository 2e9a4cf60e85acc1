"""What only after-sales tells the rights engine: open claims postpone an erasure, and the
identity and activation-lock services hear of one through their adapters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from recommerce.privacy.models import Disclosure
from recommerce.privacy.registry import (
    Blocker,
    registry,
)
from recommerce.support.models import (
    Claim,
    IdentityCheck,
)
from recommerce.support.providers.activation import get_activation_lock
from recommerce.support.providers.identity import get_identity_verifier

# --- Rights engine hooks -------------------------------------------------------------------


def _open_claims(user: Any) -> list[Blocker]:
    """Return one blocker per open claim: erasing would lose what the claim needs."""
    claims = Claim.objects.filter(buyer=user).exclude(status=Claim.Status.CLOSED)
    return [
        Blocker(
            f"Your claim {claim.reference} on order {claim.order.number} is still open.",
            "when the claim is closed; you can withdraw it on its page",
            None,
        )
        for claim in claims.select_related("order").order_by("created_at")
    ]


def _tell_identity_service(recipient: str, references: Sequence[str]) -> None:
    """Ask the identity-verification service to delete the live checks of these claims."""
    sessions = (
        IdentityCheck.objects.filter(claim__reference__in=references)
        .exclude(provider_session="")
        .values_list("provider_session", flat=True)
    )
    verifier = get_identity_verifier()
    for session_id in sessions:
        verifier.session_redact(session_id=session_id)


registry.add_erasure_blocker(_open_claims)
registry.add_recipient_notifier(Disclosure.RecipientKind.IDENTITY_SERVICE, _tell_identity_service)
registry.add_recipient_notifier(
    Disclosure.RecipientKind.DEVICE_CHECK,
    lambda recipient, references: get_activation_lock().erasure_notify(references=references),
)
