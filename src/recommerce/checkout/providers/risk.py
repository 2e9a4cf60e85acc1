"""The fraud checkpoint at checkout: an interface, and the sandbox used until rules land.

The risk service answers approve, review (the orders are held and not passed to the
sellers until staff release them) or block (no payment is taken). The fraud app will
provide the rule-based implementation through ``settings.PROVIDERS["risk"]``.

Whatever the implementation, the facts go out through ``risk_assess``, which logs the
disclosure (SHARE-5): the service is a recipient of the buyer's data like a carrier.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from recommerce.platform.providers import get_provider
from recommerce.privacy import purposes
from recommerce.privacy.models import Disclosure
from recommerce.privacy.services import disclosure_record


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REVIEW = "review"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class CheckoutFacts:
    """What the risk check is told about a checkout (and nothing more: SHARE-3)."""

    reference: str
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


# What the service receives about the buyer, as the disclosure log names it: every fact
# but the checkout's own reference, which is how the service is asked about it.
RISK_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(CheckoutFacts) if f.name != "reference"
)


class RiskCheck(Protocol):
    name: str

    def assess(self, facts: CheckoutFacts) -> RiskAssessment: ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Tell the service that the person behind these checkouts had their data erased."""
        ...


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
        self.erasure_notices: list[tuple[str, ...]] = []

    def assess(self, facts: CheckoutFacts) -> RiskAssessment:
        local = facts.buyer_email.split("@", 1)[0].lower()
        if "+block" in local:
            return RiskAssessment(Decision.BLOCK, ("address on the sandbox block list",))
        if "+review" in local:
            return RiskAssessment(Decision.REVIEW, ("address on the sandbox review list",))
        if facts.total_minor > self.review_above_minor and facts.account_age_days < 1:
            return RiskAssessment(Decision.REVIEW, ("large basket from a new account",))
        return RiskAssessment(Decision.APPROVE)

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        self.erasure_notices.append(tuple(references))


def risk_check() -> RiskCheck:
    provider: RiskCheck = get_provider("risk")
    return provider


def risk_assess(*, facts: CheckoutFacts, subject: Any) -> RiskAssessment:
    """Ask the configured service about a checkout and log what it received (SHARE-5).

    Called inside the checkout's transaction: the log row commits with the decision, also
    when the decision is a block.
    """
    provider = risk_check()
    assessment = provider.assess(facts)
    disclosure_record(
        subject=subject,
        recipient_kind=Disclosure.RecipientKind.FRAUD_SERVICE,
        recipient=f"fraud prevention service ({provider.name})",
        fields=RISK_FIELDS,
        purpose=purposes.FRAUD_PREVENTION,
        reference=facts.reference,
    )
    return assessment
