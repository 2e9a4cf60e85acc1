"""The demo's people: one login per role, each with what that role needs to be tried out."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from recommerce.accounts import roles
from recommerce.accounts.models import Seller, SellerMembership, User
from recommerce.accounts.services import companies, users
from recommerce.platform import clock, identifiers

# role, email, password: printed by ``recommerce demo``; public by design, demo data only.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("admin", "admin@recommerce.test", "Orchid-Admin-Demo-25"),
    ("buyer", "buyer@recommerce.test", "Orchid-Buyer-Demo-25"),
    ("business", "business@recommerce.test", "Orchid-Business-Demo-25"),
    ("seller", "seller@recommerce.test", "Orchid-Seller-Demo-25"),
    ("support", "support@recommerce.test", "Orchid-Support-Demo-25"),
    ("fraud", "fraud@recommerce.test", "Orchid-Fraud-Demo-25"),
    ("finance", "finance@recommerce.test", "Orchid-Finance-Demo-25"),
    ("dpo", "dpo@recommerce.test", "Orchid-Privacy-Demo-25"),
]
DEMO_NAMES = {
    "admin": "Alex Martin",
    "buyer": "Camille Durand",
    "business": "Inès Moreau",
    "seller": "Jonas Becker",
    "support": "Sam Petit",
    "fraud": "Noor Haddad",
    "finance": "Léa Fontaine",
    "dpo": "Hugo Lambert",
}
STAFF_ROLES = {
    "admin": roles.ADMIN,
    "support": roles.CUSTOMER_SERVICE,
    "fraud": roles.ANTI_FRAUD,
    "finance": roles.FINANCE,
    "dpo": roles.DPO,
}
# The company the demo seller login works for, and the buyer with an order history.
DEMO_SELLER_NAME = "Revivo Tech"
DEMO_BUYER_EMAIL = "buyer@recommerce.test"
DEMO_DPO_EMAIL = "dpo@recommerce.test"
DEMO_SELLER_IBAN = "FR7630006000011234567890189"  # a well-formed test number


def demo_login_lines() -> list[str]:
    """Return one printable line per demo login; the seller's names the shop it owns."""
    lines = []
    for role, email, password in DEMO_LOGINS:
        shop = f"  (owner of the shop {DEMO_SELLER_NAME})" if role == "seller" else ""
        lines.append(f"{role:<10} {email} / {password}{shop}")
    return lines


def demo_people_exist() -> bool:
    """Return whether any demo login exists, i.e. the database holds the demo data set."""
    return User.objects.filter(email__in=[email for _, email, _ in DEMO_LOGINS]).exists()


def _person(role: str, email: str, password: str) -> User:
    user = User(email=email, full_name=DEMO_NAMES[role], country="FR")
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = role in STAFF_ROLES
    user.is_superuser = role == "admin"
    user.birth_date = dt.date(1990, 5, 17)
    # Its default is the real time, which the demo's timeline (see ``timeline``) moves.
    user.date_joined = clock.now()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role in STAFF_ROLES:
        user.groups.add(Group.objects.get(name=STAFF_ROLES[role]))
    return user


def _with_address(user: User, line1: str, postal_code: str, city: str) -> None:
    for kind in ("delivery", "billing"):
        users.address_create(
            actor=user,
            user=user,
            kind=kind,
            full_name=user.full_name,
            line1=line1,
            postal_code=postal_code,
            city=city,
            country="FR",
            phone="+33612345678",
        )


@transaction.atomic
def demo_people_create() -> int:
    """Create the demo logins that do not exist yet; return how many were created."""
    created = 0
    for role, email, password in DEMO_LOGINS:
        if User.objects.filter(email=email).exists():
            continue
        user = _person(role, email, password)
        created += 1
        if role == "buyer":
            _with_address(user, "12 Rue des Lilas", "69003", "Lyon")
        elif role == "business":
            company = companies.company_create(
                owner=user,
                legal_name="Atelier Moreau SARL",
                country="FR",
                vat_number="FR40303265045",
                registration_number="303265045",
            )
            for kind in ("billing", "delivery"):
                users.address_create(
                    actor=user,
                    company=company,
                    kind=kind,
                    full_name=user.full_name,
                    company_name=company.legal_name,
                    line1="4 Quai des Chartrons",
                    postal_code="33000",
                    city="Bordeaux",
                    country="FR",
                )
        elif role == "seller":
            seller = Seller.objects.filter(name=DEMO_SELLER_NAME).first()
            if seller is not None:
                SellerMembership.objects.create(
                    seller=seller, user=user, role=SellerMembership.Role.OWNER
                )
                # The demo's sellers start approved; their payout account comes with them.
                seller.iban = identifiers.iban(DEMO_SELLER_IBAN)
                seller.iban_last4 = seller.iban[-4:]
                seller.account_holder = seller.legal_name
                seller.save(update_fields=["iban", "iban_last4", "account_holder"])
    return created
