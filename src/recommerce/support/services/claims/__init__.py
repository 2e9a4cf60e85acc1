"""A claim's life: the buyer opens it, the seller answers, the buyer agrees or escalates,
customer service decides; what was agreed is then carried out by ``returns``.

Every service locks the claim row (opening locks the order row, so two openings on one
line queue up and the second finds the first) and checks the status it starts from: a
step the status does not allow raises ``ValidationError`` with a sentence, an actor with
no part in the claim ``PermissionError``. Emails leave after commit and carry a link,
never the words of the claim or a message.
"""

from __future__ import annotations

from recommerce.support.services.claims.opening import (
    claim_open,
)
from recommerce.support.services.claims.rules import (
    ANSWERABLE,
    DEFECT_KINDS,
    DEFECT_OUTCOMES,
    ESCALATABLE,
    NOT_RECEIVED_REPEAT,
    PHOTO_KINDS,
    PHOTO_SIGNATURES,
    REQUESTABLE,
    REQUESTED_ANY,
    buyer_claim_url,
    claim_amount_minor,
    claim_defect_record,
    seller_claim_url,
)
from recommerce.support.services.claims.steps import (
    claim_agree,
    claim_answer,
    claim_decide,
    claim_escalate,
    claim_withdraw,
    claims_escalate_overdue,
)

__all__ = [
    "ANSWERABLE",
    "DEFECT_KINDS",
    "DEFECT_OUTCOMES",
    "ESCALATABLE",
    "NOT_RECEIVED_REPEAT",
    "PHOTO_KINDS",
    "PHOTO_SIGNATURES",
    "REQUESTABLE",
    "REQUESTED_ANY",
    "buyer_claim_url",
    "claim_agree",
    "claim_amount_minor",
    "claim_answer",
    "claim_decide",
    "claim_defect_record",
    "claim_escalate",
    "claim_open",
    "claim_withdraw",
    "claims_escalate_overdue",
    "seller_claim_url",
]
