"""The fraud checkpoint at checkout: an interface, and the sandbox used until rules land.

The risk service answers approve, review (the orders are held and not passed to the
sellers until staff release them) or block (no payment is taken). The fraud app will
provide the rule-based implementation through ``settings.PROVIDERS["risk"]``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol

from recommerce.platform.providers import get_provider


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REVIEW = "review"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class CheckoutFacts:
    """What the risk check is told about a checkout (and nothing more: SHARE-3)."""

    reference: str
    buyer_id: int
    buyer_email: str
    account_age_days: int
    delivery_country: str
    billing_country: str
    total_minor: int
    currency: str
    item_count: int
    seller_count: int


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    decision: Decision
    reasons: tuple[str, ...] = field(default=())


class RiskCheck(Protocol):
    name: str

    def assess(self, facts: CheckoutFacts) -> RiskAssessment: ...


class SandboxRiskCheck:
    """Deterministic rules for the demo and the tests.

    - an email whose local part contains ``+block`` is blocked;
    - an email whose local part contains ``+review``, or a basket above
      ``review_above_minor`` from an account younger than a day, is held for review;
    - anything else is approved.
    """

    name = "sandbox"

    def __init__(self, *, review_above_minor: int = 500_000) -> None:
        self.review_above_minor = review_above_minor

    def assess(self, facts: CheckoutFacts) -> RiskAssessment:
        local = facts.buyer_email.split("@", 1)[0].lower()
        if "+block" in local:
            return RiskAssessment(Decision.BLOCK, ("address on the sandbox block list",))
        if "+review" in local:
            return RiskAssessment(Decision.REVIEW, ("address on the sandbox review list",))
        if facts.total_minor > self.review_above_minor and facts.account_age_days < 1:
            return RiskAssessment(Decision.REVIEW, ("large basket from a new account",))
        return RiskAssessment(Decision.APPROVE)


def risk_check() -> RiskCheck:
    provider: RiskCheck = get_provider("risk")
    return provider
