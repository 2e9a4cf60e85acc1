"""Declared purposes of processing, in the five families of PURP-1, each with a legal basis."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Family(enum.StrEnum):
    SERVICE = "using the service"
    MARKETING = "marketing"
    IMPROVEMENT = "improving the service"
    FRAUD_SECURITY = "fraud prevention and security"
    LEGAL = "legal and tax obligations"


class LegalBasis(enum.StrEnum):
    CONTRACT = "performance of a contract"
    CONSENT = "consent"
    LEGITIMATE_INTEREST = "legitimate interest"
    LEGAL_OBLIGATION = "legal obligation"


@dataclass(frozen=True, slots=True)
class Purpose:
    code: str
    family: Family
    basis: LegalBasis
    description: str


SERVICE_ACCOUNT = Purpose(
    "service.account", Family.SERVICE, LegalBasis.CONTRACT, "Create and run the user's account"
)
SERVICE_ORDERS = Purpose(
    "service.orders",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Take, fulfil and follow up orders, deliveries and after-sales",
)
SECURITY = Purpose(
    "security.authentication",
    Family.FRAUD_SECURITY,
    LegalBasis.LEGITIMATE_INTEREST,
    "Authenticate users and protect accounts",
)
LEGAL_ACCOUNTING = Purpose(
    "legal.accounting",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Keep accounting records and invoices",
)

LEGAL_DATA_PROTECTION = Purpose(
    "legal.data_protection",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Answer data-protection requests and keep the records that show accountability",
)
LEGAL_AGE = Purpose(
    "legal.age",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Keep children off the platform and minors from buying or selling without authorisation",
)
FRAUD_PREVENTION = Purpose(
    "fraud.prevention",
    Family.FRAUD_SECURITY,
    LegalBasis.LEGITIMATE_INTEREST,
    "Detect and prevent fraudulent orders and payments",
)
SERVICE_PAYMENTS = Purpose(
    "service.payments",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Take payments, instalments and refunds, and pay sellers",
)
SERVICE_INSURANCE = Purpose(
    "service.insurance",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Subscribe the device insurance the buyer chose",
)

MARKETING_EMAIL = Purpose(
    "marketing.email",
    Family.MARKETING,
    LegalBasis.CONSENT,
    "Send newsletters and offers by email or SMS",
)
MARKETING_PERSONALISATION = Purpose(
    "marketing.personalisation",
    Family.MARKETING,
    LegalBasis.LEGITIMATE_INTEREST,
    "Personalise content and offers from what the person browsed and bought",
)
MARKETING_AUDIENCES = Purpose(
    "marketing.audiences",
    Family.MARKETING,
    LegalBasis.CONSENT,
    "Build advertising and social-network audiences and measure ads",
)
ANALYTICS = Purpose(
    "improvement.analytics",
    Family.IMPROVEMENT,
    LegalBasis.CONSENT,
    "Measure how the site is used to improve it",
)

ALL: tuple[Purpose, ...] = (
    SERVICE_ACCOUNT,
    SERVICE_ORDERS,
    SECURITY,
    LEGAL_ACCOUNTING,
    LEGAL_DATA_PROTECTION,
    LEGAL_AGE,
    FRAUD_PREVENTION,
    SERVICE_PAYMENTS,
    SERVICE_INSURANCE,
    MARKETING_EMAIL,
    MARKETING_PERSONALISATION,
    MARKETING_AUDIENCES,
    ANALYTICS,
)
BY_CODE = {purpose.code: purpose for purpose in ALL}


def by_code(code: str) -> Purpose:
    """Return the declared purpose with ``code`` (``KeyError`` for an undeclared one)."""
    return BY_CODE[code]
