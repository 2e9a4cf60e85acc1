"""Words people read in the notice, in English and French, for the registry's codes.

The registry speaks in codes (``user.contact.email``) and short English phrases (a
retention's ``starts``, a recipient). The notice needs a human label for each, in both
languages. A code without a label stops the generation (``LabelMissing``) and fails the
test suite, so a new category cannot reach the published notice unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass

from recommerce.privacy.purposes import Family, LegalBasis

LANGUAGES = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Label:
    """One phrase in both languages of the notice."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True, slots=True)
class CategoryLabel:
    """A data category's label and the group of the notice's table it is listed in."""

    group: str
    en: str
    fr: str

    def get(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


# The notice lists categories under these headings, in this order.
GROUPS: dict[str, Label] = {
    "identity": Label("Who you are and how to reach you", "Votre identité et vos coordonnées"),
    "account": Label("Your account and its security", "Votre compte et sa sécurité"),
    "orders": Label("Orders, payments and invoices", "Commandes, paiements et factures"),
    "aftersales": Label(
        "After-sales: claims, messages, reviews and surveys",
        "Après-vente\u00a0: réclamations, messages, avis et enquêtes",
    ),
    "activity": Label("How you use the site", "Votre utilisation du site"),
    "choices": Label("Your choices and your requests", "Vos choix et vos demandes"),
    "records": Label(
        "Records kept about the handling of your data",
        "Registres tenus sur le traitement de vos données",
    ),
    "business": Label("Sellers and business customers", "Vendeurs et clients professionnels"),
    "staff": Label("Staff of the marketplace", "Personnel de la place de marché"),
}

CATEGORIES: dict[str, CategoryLabel] = {
    # Identity and contact
    "user.identity.name": CategoryLabel("identity", "Name and title", "Nom et civilité"),
    "user.contact.email": CategoryLabel("identity", "Email address", "Adresse e-mail"),
    "user.contact.phone": CategoryLabel("identity", "Phone number", "Numéro de téléphone"),
    "user.contact.address": CategoryLabel(
        "identity", "Saved postal addresses", "Adresses postales enregistrées"
    ),
    "user.contact.delivery": CategoryLabel(
        "identity",
        "Name, address and phone for a delivery",
        "Nom, adresse et téléphone de livraison",
    ),
    "user.identity.age": CategoryLabel(
        "identity",
        "Date of birth or declaration of being an adult",
        "Date de naissance ou déclaration de majorité",
    ),
    "user.identity.guardian": CategoryLabel(
        "identity",
        "Authorisation of a parent or guardian",
        "Autorisation d'un parent ou tuteur",
    ),
    # Account and security
    "user.activity.account": CategoryLabel(
        "account",
        "Account dates (sign-up, last sign-in)",
        "Dates du compte (inscription, dernière connexion)",
    ),
    "user.preferences": CategoryLabel(
        "account",
        "Country, language and how you want to be told of your orders",
        "Pays, langue et moyens d'être informé de vos commandes",
    ),
    "user.credentials.password_hash": CategoryLabel(
        "account",
        "Password, kept only in a form that cannot be read back",
        "Mot de passe, conservé sous une forme qui ne peut pas être relue",
    ),
    "user.credentials.second_factor_secret": CategoryLabel(
        "account",
        "Two-step verification secret",
        "Secret de la validation en deux étapes",
    ),
    "user.security.second_factor": CategoryLabel(
        "account",
        "Two-step verification methods and their use",
        "Méthodes de validation en deux étapes et leur utilisation",
    ),
    "user.credentials.social_login": CategoryLabel(
        "account",
        "Link to a Google or Apple sign-in",
        "Lien avec une connexion Google ou Apple",
    ),
    "user.credentials.social_token": CategoryLabel(
        "account",
        "Access keys given by Google or Apple at sign-in",
        "Clés d'accès remises par Google ou Apple à la connexion",
    ),
    "user.activity.api": CategoryLabel(
        "account",
        "Answers to requests sent from the mobile app, kept briefly to avoid double actions",
        "Réponses aux requêtes de l'application mobile, gardées brièvement contre les doublons",
    ),
    # Orders and payments
    "user.activity.cart": CategoryLabel("orders", "Shopping basket", "Contenu du panier"),
    "user.activity.checkout": CategoryLabel(
        "orders",
        "Order being placed (addresses chosen, amount)",
        "Commande en cours de validation (adresses choisies, montant)",
    ),
    "user.activity.orders": CategoryLabel(
        "orders",
        "Orders, items bought and delivery tracking",
        "Commandes, articles achetés et suivi de livraison",
    ),
    "user.financial.purchase": CategoryLabel(
        "orders",
        "Order amounts and billing details",
        "Montants des commandes et coordonnées de facturation",
    ),
    "user.financial.payment": CategoryLabel(
        "orders", "Payments and refunds", "Paiements et remboursements"
    ),
    "user.financial.card": CategoryLabel(
        "orders",
        "Card brand, last four digits and the payment provider's reference",
        "Marque de la carte, quatre derniers chiffres et référence du prestataire de paiement",
    ),
    "user.financial.credit": CategoryLabel(
        "orders",
        "Plan for paying in instalments",
        "Échéancier du paiement en plusieurs fois",
    ),
    "user.financial.dispute": CategoryLabel(
        "orders",
        "Disputed card payments (chargebacks)",
        "Contestations de paiement par carte (rétrofacturations)",
    ),
    "user.financial.insurance": CategoryLabel(
        "orders", "Device insurance policy", "Contrat d'assurance de l'appareil"
    ),
    "user.financial.invoice": CategoryLabel("orders", "Invoices", "Factures"),
    "user.fraud.assessment": CategoryLabel(
        "orders",
        "Fraud risk score of an order and its reasons",
        "Score de risque de fraude d'une commande et ses raisons",
    ),
    # Use of the site
    "user.activity.browsing": CategoryLabel(
        "activity",
        "Pages and products viewed (only with analytics allowed)",
        "Pages et produits consultés (seulement si la mesure d'audience est acceptée)",
    ),
    "user.activity.marketing": CategoryLabel(
        "activity",
        "Marketing emails sent to you",
        "E-mails de prospection qui vous ont été envoyés",
    ),
    # Choices and requests
    "user.preferences.marketing": CategoryLabel(
        "choices",
        "Newsletter and marketing preferences, with the proof of your consent",
        "Préférences de lettre d'information et de prospection, avec la preuve de votre accord",
    ),
    "user.preferences.consent": CategoryLabel(
        "choices",
        "Your cookie choices and consents, as proof",
        "Vos choix de cookies et vos consentements, à titre de preuve",
    ),
    "user.preferences.objection": CategoryLabel(
        "choices",
        "Objections and restrictions you asked for",
        "Oppositions et limitations que vous avez demandées",
    ),
    "user.requests.data_protection": CategoryLabel(
        "choices",
        "Your requests about your personal data",
        "Vos demandes concernant vos données personnelles",
    ),
    "user.requests.export": CategoryLabel(
        "choices",
        "Copies of your data prepared for download",
        "Copies de vos données préparées pour le téléchargement",
    ),
    "user.government_id.document": CategoryLabel(
        "choices",
        "Identity document sent to prove who makes a request",
        "Pièce d'identité envoyée pour prouver l'auteur d'une demande",
    ),
    # Accountability records
    "user.activity.audit": CategoryLabel(
        "records",
        "Log of what was done with your data (exports, corrections, erasure)",
        "Journal des opérations sur vos données (copies, corrections, effacement)",
    ),
    "user.activity.disclosure": CategoryLabel(
        "records",
        "Log of the data sent to other companies",
        "Journal des données transmises à d'autres entreprises",
    ),
    "user.activity.staff_access": CategoryLabel(
        "records",
        "Log of staff members who looked at your data",
        "Journal des consultations de vos données par le personnel",
    ),
    # Sellers and business customers
    "user.employment.company": CategoryLabel(
        "business",
        "Role in a business customer's account",
        "Rôle dans le compte d'une entreprise cliente",
    ),
    "user.employment.seller": CategoryLabel(
        "business", "Role in a seller's team", "Rôle dans l'équipe d'un vendeur"
    ),
    "user.financial.iban": CategoryLabel(
        "business",
        "Seller's bank account (IBAN) and its holder",
        "Compte bancaire (IBAN) du vendeur et son titulaire",
    ),
    "user.documents.company": CategoryLabel(
        "business",
        "Company documents naming the seller's representatives",
        "Documents de la société nommant les représentants du vendeur",
    ),
    # After-sales
    "user.device.identifier": CategoryLabel(
        "orders",
        "Identifiers of the devices you bought (IMEI or serial number)",
        "Identifiants des appareils achetés (IMEI ou numéro de série)",
    ),
    "user.activity.claims": CategoryLabel(
        "aftersales",
        "Claims (returns, damage, parcels not received, warranty) and their history",
        "Réclamations (retours, dommages, colis non reçus, garantie) et leur historique",
    ),
    "user.fraud.flags": CategoryLabel(
        "aftersales",
        "Whether a claim needed an identity check",
        "Indication qu'une réclamation a demandé une vérification d'identité",
    ),
    "user.government_id.check": CategoryLabel(
        "aftersales",
        "Identity checks of claims: the route chosen and the result",
        "Vérifications d'identité des réclamations\u00a0: la méthode choisie et le résultat",
    ),
    "user.communication.messages": CategoryLabel(
        "aftersales",
        "Messages with sellers and customer service",
        "Messages échangés avec les vendeurs et le service client",
    ),
    "user.communication.attachments": CategoryLabel(
        "aftersales",
        "Files sent with messages (photos, documents)",
        "Fichiers joints aux messages (photos, documents)",
    ),
    "user.communication.calls": CategoryLabel(
        "aftersales",
        "Notes of calls with customer service",
        "Notes des appels avec le service client",
    ),
    "user.communication.recordings": CategoryLabel(
        "aftersales",
        "References to call recordings (unless you object)",
        "Références des enregistrements d'appels (sauf opposition)",
    ),
    "user.content.reviews": CategoryLabel(
        "aftersales",
        "Reviews you wrote and their photos",
        "Avis rédigés et leurs photos",
    ),
    "user.content.moderation": CategoryLabel(
        "aftersales",
        "Why a review of yours was hidden",
        "Motif du masquage d'un de vos avis",
    ),
    "user.content.reports": CategoryLabel(
        "aftersales", "Reviews you reported", "Avis que vous avez signalés"
    ),
    "user.feedback.survey": CategoryLabel(
        "aftersales",
        "Answers to satisfaction surveys",
        "Réponses aux enquêtes de satisfaction",
    ),
    # Staff
    "staff.activity.approval": CategoryLabel(
        "staff",
        "Who prepared and approved a payout to a seller",
        "Auteurs de la préparation et de la validation d'un versement à un vendeur",
    ),
}

FAMILIES: dict[Family, Label] = {
    Family.SERVICE: Label("Using the service", "Utilisation du service"),
    Family.MARKETING: Label("Marketing", "Prospection commerciale et publicité"),
    Family.IMPROVEMENT: Label("Improving the service", "Amélioration du service"),
    Family.FRAUD_SECURITY: Label(
        "Fraud prevention and security", "Lutte contre la fraude et sécurité"
    ),
    Family.LEGAL: Label("Legal and tax obligations", "Obligations légales et fiscales"),
}

BASES: dict[LegalBasis, Label] = {
    LegalBasis.CONTRACT: Label("Performance of a contract", "Exécution du contrat"),
    LegalBasis.CONSENT: Label("Your consent", "Votre consentement"),
    LegalBasis.LEGITIMATE_INTEREST: Label("Legitimate interest", "Intérêt légitime"),
    LegalBasis.LEGAL_OBLIGATION: Label("Legal obligation", "Obligation légale"),
}

# Registry recipients as the notice names them; two spellings may name the same party.
RECIPIENTS: dict[str, Label] = {
    "the seller": Label("The seller of your order", "Le vendeur de votre commande"),
    "sellers (orders)": Label("The seller of your order", "Le vendeur de votre commande"),
    "the carrier": Label("Delivery carriers", "Transporteurs"),
    "carriers": Label("Delivery carriers", "Transporteurs"),
    "payment provider": Label("Payment provider", "Prestataire de paiement"),
    "payment provider (payouts)": Label(
        "Payment provider (payouts to sellers)", "Prestataire de paiement (versements aux vendeurs)"
    ),
    "credit partner": Label(
        "Credit partner for payment in instalments",
        "Partenaire de crédit pour le paiement en plusieurs fois",
    ),
    "the insurer": Label("The device insurer", "L'assureur de l'appareil"),
    "the carrier (return parcels)": Label("Delivery carriers", "Transporteurs"),
    "the activation-lock checking service": Label(
        "The service that checks whether a returned device is locked to an account",
        "Le service qui vérifie si un appareil retourné est verrouillé sur un compte",
    ),
    "the identity-verification service (live checks)": Label(
        "The identity-verification service (live checks you consented to)",
        "Le service de vérification d'identité (vérifications en direct acceptées)",
    ),
    "the public": Label(
        "Visitors of the site (reviews, with your first name and initial)",
        "Les visiteurs du site (avis, avec votre prénom et votre initiale)",
    ),
    "the fraud prevention service": Label(
        "The fraud prevention service that checks orders",
        "Le service de prévention de la fraude qui vérifie les commandes",
    ),
}

# A retention's ``starts`` phrase in French, written to follow « après » and « jusqu'à ».
STARTS_FR: dict[str, str] = {
    "delivery (limitation period of claims)": (
        "la livraison (délai de prescription des réclamations)"
    ),
    "the account's erasure": "l'effacement du compte",
    "the account's last activity": "la dernière activité du compte",
    "the cart's last change": "la dernière modification du panier",
    "the claim's closing": "la clôture de la réclamation",
    "the claim's closing (limitation period of claims)": (
        "la clôture de la réclamation (délai de prescription des réclamations)"
    ),
    "the message": "le message",
    "the report": "le signalement",
    "the survey's offer": "l'envoi de l'enquête",
    "the checkout (kept for fraud and payment disputes)": (
        "la validation de la commande (durée utile contre la fraude et les contestations "
        "de paiement)"
    ),
    "the end of its legal hold, 10 years after the invoice date": (
        "la fin de sa conservation légale, 10 ans après la date de la facture"
    ),
    "the end of the financial year": "la clôture de l'exercice comptable",
    "the event": "l'événement",
    "the export": "la préparation de la copie",
    "the invitation's expiry": "l'expiration de l'invitation",
    "the invoice date": "la date de la facture",
    "the notification": "la notification",
    "the payment": "le paiement",
    "the person leaves the company or seller": (
        "le départ de la personne de l'entreprise ou du vendeur"
    ),
    "the request": "la demande",
    "the request's closing": "la clôture de la demande",
    "the view": "la consultation",
    "the sending": "l'envoi",
    "the unsubscribe": "la désinscription",
    "the unsubscribe (sign-ups never confirmed: 30 days)": (
        "la désinscription (inscriptions jamais confirmées\u00a0: 30 jours)"
    ),
}

# Fields other companies receive, as a person reads them in "Who received my data": the
# names the disclosure log keeps are those of the data sent (``delivery_line1``). A name
# not listed here reads as its registry category's label when it has only one.
FIELDS: dict[str, Label] = {
    "email": Label("Email address", "Adresse e-mail"),
    "buyer_email": Label("Email address", "Adresse e-mail"),
    "email_sha256": Label(
        "Email address, as an irreversible fingerprint (hash)",
        "Adresse e-mail, sous forme d'empreinte irréversible (hachage)",
    ),
    "country": Label("Country", "Pays"),
    "amount_minor": Label("Amount paid", "Montant payé"),
    "unit_price_minor": Label("Price of the device", "Prix de l'appareil"),
    "title": Label("Device bought", "Appareil acheté"),
    "billing_name": Label("Name on the invoice", "Nom de facturation"),
    "buyer_title": Label("Title (Ms, Mr)", "Civilité"),
    "buyer_vat_number": Label("VAT number", "Numéro de TVA"),
    "delivery_name": Label("Name for the delivery", "Nom du destinataire"),
    "delivery_company": Label("Company for the delivery", "Société du destinataire"),
    "delivery_line1": Label("Delivery address", "Adresse de livraison"),
    "delivery_line2": Label("Delivery address", "Adresse de livraison"),
    "delivery_postal_code": Label("Delivery address", "Adresse de livraison"),
    "delivery_city": Label("Delivery address", "Adresse de livraison"),
    "delivery_region": Label("Delivery address", "Adresse de livraison"),
    "delivery_country": Label("Delivery address", "Adresse de livraison"),
    "delivery_phone": Label("Phone for the delivery", "Téléphone du destinataire"),
}
