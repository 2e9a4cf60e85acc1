"""The sandbox's test cards, and the checks a card form makes before anything is sent."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Behaviour(enum.StrEnum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    CHALLENGE = "challenge"
    DISPUTE = "dispute"


@dataclass(frozen=True, slots=True)
class TestCard:
    number: str
    behaviour: Behaviour
    description: str

    @property
    def display(self) -> str:
        """Return the number in groups of four, as printed on a card."""
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))


TEST_CARDS: tuple[TestCard, ...] = (
    TestCard("4242424242424242", Behaviour.SUCCEED, "Succeeds"),
    TestCard("4000000000000002", Behaviour.DECLINE, "Declined (card_declined)"),
    TestCard("4000000000009995", Behaviour.INSUFFICIENT_FUNDS, "Declined (insufficient_funds)"),
    TestCard(
        "4000002760003184",
        Behaviour.CHALLENGE,
        "Asks for a 3-D Secure code, then succeeds (a wrong code fails)",
    ),
    TestCard("4000000000000259", Behaviour.DISPUTE, "Succeeds, then the buyer's bank disputes it"),
)
TEST_CARDS_BY_NUMBER = {card.number: card for card in TEST_CARDS}

DECLINE_MESSAGES = {
    "card_declined": "The card was declined.",
    "insufficient_funds": "The card has insufficient funds.",
    "authentication_failed": "The 3-D Secure authentication failed.",
    "expired": "The payment page expired before the payment was made.",
}


def digits_only(number: str) -> str:
    """Drop the spaces and dashes people type between groups of digits."""
    return "".join(ch for ch in number if ch not in " -")


def luhn_valid(digits: str) -> bool:
    """Return whether ``digits`` passes the Luhn check that every card number carries."""
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    """Return the card network of a number from its leading digits."""
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in {"34", "37"}:
        return "amex"
    if digits[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(digits[:4] or 0) <= 2720:
        return "mastercard"
    return "unknown"
