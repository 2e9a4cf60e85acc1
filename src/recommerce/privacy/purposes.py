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
    # The notice is published in French too (NOTICE-1); a test requires every purpose's.
    description_fr: str = ""


SERVICE_ACCOUNT = Purpose(
    "service.account",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Create and run the user's account",
    "Créer et gérer le compte de la personne",
)
SERVICE_ORDERS = Purpose(
    "service.orders",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Take, fulfil and follow up orders, deliveries and after-sales",
    "Prendre, exécuter et suivre les commandes, les livraisons et le service après-vente",
)
SECURITY = Purpose(
    "security.authentication",
    Family.FRAUD_SECURITY,
    LegalBasis.LEGITIMATE_INTEREST,
    "Authenticate users and protect accounts",
    "Authentifier les utilisateurs et protéger les comptes",
)
LEGAL_ACCOUNTING = Purpose(
    "legal.accounting",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Keep accounting records and invoices",
    "Tenir la comptabilité et conserver les factures",
)

LEGAL_DATA_PROTECTION = Purpose(
    "legal.data_protection",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Answer data-protection requests and keep the records that show accountability",
    "Répondre aux demandes sur les données personnelles et garder la preuve de la conformité",
)
LEGAL_AGE = Purpose(
    "legal.age",
    Family.LEGAL,
    LegalBasis.LEGAL_OBLIGATION,
    "Keep children off the platform and minors from buying or selling without authorisation",
    "Tenir les enfants à l'écart de la plateforme et empêcher les mineurs d'acheter ou de "
    "vendre sans autorisation",
)
FRAUD_PREVENTION = Purpose(
    "fraud.prevention",
    Family.FRAUD_SECURITY,
    LegalBasis.LEGITIMATE_INTEREST,
    "Detect and prevent fraudulent orders and payments",
    "Détecter et empêcher les commandes et les paiements frauduleux",
)
SERVICE_PAYMENTS = Purpose(
    "service.payments",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Take payments, instalments and refunds, and pay sellers",
    "Encaisser les paiements, les paiements en plusieurs fois et les remboursements, et payer "
    "les vendeurs",
)
SERVICE_INSURANCE = Purpose(
    "service.insurance",
    Family.SERVICE,
    LegalBasis.CONTRACT,
    "Subscribe the device insurance the buyer chose",
    "Souscrire l'assurance de l'appareil choisie par l'acheteur",
)

SERVICE_REVIEWS = Purpose(
    "service.reviews",
    Family.SERVICE,
    LegalBasis.LEGITIMATE_INTEREST,
    "Publish buyers' reviews of what they bought, with their first name and initial",
    "Publier les avis des acheteurs sur leurs achats, avec leur prénom et leur initiale",
)
SUPPORT_RECORDING = Purpose(
    "improvement.support_recording",
    Family.IMPROVEMENT,
    LegalBasis.LEGITIMATE_INTEREST,
    "Keep customer-service chats and calls to check and train answers, unless the person objects",
    "Conserver les discussions et appels avec le service client pour contrôler et former les "
    "réponses, sauf opposition de la personne",
)
SURVEYS = Purpose(
    "improvement.surveys",
    Family.IMPROVEMENT,
    LegalBasis.LEGITIMATE_INTEREST,
    "Ask buyers how satisfied they are after a delivery or a claim",
    "Demander aux acheteurs leur satisfaction après une livraison ou une réclamation",
)
IDENTITY_BIOMETRIC = Purpose(
    "fraud.biometric_check",
    Family.FRAUD_SECURITY,
    LegalBasis.CONSENT,
    "Compare a selfie video with an identity document, only with the person's explicit consent",
    "Comparer une vidéo selfie avec une pièce d'identité, uniquement avec le consentement "
    "explicite de la personne",
)

MARKETING_EMAIL = Purpose(
    "marketing.email",
    Family.MARKETING,
    LegalBasis.CONSENT,
    "Send newsletters and offers by email or SMS",
    "Envoyer des lettres d'information et des offres par e-mail ou SMS",
)
MARKETING_PERSONALISATION = Purpose(
    "marketing.personalisation",
    Family.MARKETING,
    LegalBasis.LEGITIMATE_INTEREST,
    "Personalise content and offers from what the person browsed and bought",
    "Personnaliser les contenus et les offres selon ce que la personne a consulté et acheté",
)
MARKETING_AUDIENCES = Purpose(
    "marketing.audiences",
    Family.MARKETING,
    LegalBasis.CONSENT,
    "Build advertising and social-network audiences and measure ads",
    "Constituer des audiences publicitaires et sur les réseaux sociaux, et mesurer l'efficacité "
    "des publicités",
)
ANALYTICS = Purpose(
    "improvement.analytics",
    Family.IMPROVEMENT,
    LegalBasis.CONSENT,
    "Measure how the site is used to improve it",
    "Mesurer l'utilisation du site pour l'améliorer",
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
    SERVICE_REVIEWS,
    SUPPORT_RECORDING,
    SURVEYS,
    IDENTITY_BIOMETRIC,
    MARKETING_EMAIL,
    MARKETING_PERSONALISATION,
    MARKETING_AUDIENCES,
    ANALYTICS,
)
BY_CODE = {purpose.code: purpose for purpose in ALL}


def by_code(code: str) -> Purpose:
    """Return the declared purpose with ``code`` (``KeyError`` for an undeclared one)."""
    return BY_CODE[code]
