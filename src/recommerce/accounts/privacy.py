"""Personal data held by accounts."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken

from recommerce.accounts.models import (
    Address,
    Company,
    CompanyInvitation,
    CompanyMembership,
    ParentalConsent,
    Seller,
    SellerApiKey,
    SellerDocument,
    SellerInvitation,
    SellerMembership,
    User,
)
from recommerce.accounts.services.sessions import user_sessions_end
from recommerce.privacy import purposes
from recommerce.privacy.paths import by_email_or
from recommerce.privacy.registry import (
    Blocker,
    Erasure,
    Retention,
    not_personal,
    personal,
    registry,
)

# Data kept for the account's lifetime goes when the inactive account is erased: the user
# row carries the clock, the rest follows through the erasure engine.
ACCOUNT_LIFETIME = Retention(days=3 * 365, starts="the account's last activity")
ACCOUNT_ACTIVITY = ACCOUNT_LIFETIME.counted_from("last_login", "date_joined")
WHILE_MEMBER = Retention(days=None, starts="the person leaves the company or seller")
ACCOUNTING = Retention.in_years(10, starts="the end of the financial year")

registry.register(
    User,
    personal(
        "email",
        category="user.contact.email",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SECURITY],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.ANONYMISE,
        export_label="Email address",
        recipients=["the fraud prevention service"],
    ),
    personal(
        "full_name",
        "title",
        category="user.identity.name",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.ANONYMISE,
        export_label="Name and title",
    ),
    personal(
        "phone",
        category="user.contact.phone",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SERVICE_ORDERS],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.DELETE,
        export_label="Phone number",
    ),
    personal(
        "country",
        "language",
        "notify_by_email",
        "notify_by_sms",
        category="user.preferences",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.DELETE,
        export_label="Country, language and message preferences",
    ),
    personal(
        "birth_date",
        "adult_attested_at",
        "parental_authorisation_at",
        "parental_authorisation_by",
        category="user.identity.age",
        subject="self",
        purposes=[purposes.LEGAL_AGE],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.DELETE,
        export_label="Age declaration and parental authorisation",
    ),
    personal(
        "password",
        category="user.credentials.password_hash",
        subject="self",
        purposes=[purposes.SECURITY],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.DELETE,
        export_label="Password (stored only as an Argon2 hash; not exported)",
    ),
    personal(
        "last_login",
        "date_joined",
        category="user.activity.account",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SECURITY],
        retention=ACCOUNT_ACTIVITY,
        erasure=Erasure.DELETE,
    ),
    not_personal("id", reason="surrogate key"),
    not_personal(
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        reason="access flags, not about the person",
    ),
)

registry.register(
    Address,
    personal(
        "full_name",
        "company_name",
        "line1",
        "line2",
        "postal_code",
        "city",
        "region",
        "country",
        "phone",
        "user",
        category="user.contact.address",
        subject="user",
        purposes=[purposes.SERVICE_ORDERS],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Address book",
        recipients=["sellers (orders)", "carriers"],
    ),
    not_personal(
        "id", "company", "kind", "is_default", "created_at", "updated_at", reason="book-keeping"
    ),
)

registry.register(
    Company,
    not_personal(
        "id",
        "legal_name",
        "country",
        "vat_number",
        "vat_verified_at",
        "vat_registered_name",
        "vat_check_reference",
        "registration_number",
        "created_at",
        "updated_at",
        reason="a company's identity and tax registration are business data",
    ),
)

registry.register(
    CompanyMembership,
    personal(
        "user",
        "role",
        "created_at",
        category="user.employment.company",
        subject="user",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=WHILE_MEMBER,
        erasure=Erasure.DELETE,
        export_label="Company you buy for",
    ),
    not_personal("id", "company", "updated_at", reason="book-keeping"),
)


def _register_invitations(model: type[CompanyInvitation | SellerInvitation], to: str) -> None:
    registry.register(
        model,
        personal(
            "email",
            "accepted_by",
            category="user.contact.email",
            subject=by_email_or("accepted_by"),
            subject_note="the invited person (by email) and who accepted",
            purposes=[purposes.SERVICE_ACCOUNT],
            retention=Retention(days=90, starts="the invitation's expiry", clock=("expires_at",)),
            erasure=Erasure.DELETE,
            export_label="Invitations you received",
        ),
        not_personal(
            "id",
            to,
            "role",
            "token_hash",
            "invited_by",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "created_at",
            "updated_at",
            reason="the invitation's state; the inviter acted for the company or seller",
        ),
    )


_register_invitations(CompanyInvitation, "company")
_register_invitations(SellerInvitation, "seller")

registry.register(
    Seller,
    personal(
        "iban",
        "account_holder",
        category="user.financial.iban",
        subject=None,
        subject_note="the seller's account holder (a company or a sole trader)",
        purposes=[purposes.SERVICE_PAYMENTS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING,
        erasure=Erasure.LEGAL_HOLD,
        export_label="Payout bank account",
        sensitive=True,
        recipients=["payment provider (payouts)"],
    ),
    not_personal(
        "id",
        "name",
        "slug",
        "legal_name",
        "country",
        "city",
        "description",
        "status",
        "vat_number",
        "registration_number",
        "return_line1",
        "return_postal_code",
        "return_city",
        "return_country",
        "warranty_months",
        "return_days",
        "iban_last4",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "rejection_reason",
        "rating_count",
        "rating_sum",
        "orders_shipped",
        "orders_late",
        "orders_defective",
        "answer_median_minutes",
        "quality_bp",
        "created_at",
        "updated_at",
        reason="a seller is a company; its profile, terms and track record are business data",
    ),
)

registry.register(
    SellerMembership,
    personal(
        "user",
        "role",
        "created_at",
        category="user.employment.seller",
        subject="user",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=WHILE_MEMBER,
        erasure=Erasure.DELETE,
        export_label="Seller accounts you work for",
    ),
    not_personal("id", "seller", "updated_at", reason="book-keeping"),
)

registry.register(
    SellerDocument,
    personal(
        "file",
        category="user.documents.company",
        subject=None,
        subject_note="the seller's representatives named in its documents",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING,
        erasure=Erasure.LEGAL_HOLD,
        sensitive=True,
    ),
    not_personal(
        "id",
        "seller",
        "kind",
        "token",
        "extension",
        "content_type",
        "size",
        "uploaded_by",
        "created_at",
        "updated_at",
        reason="the document's description",
    ),
)

registry.register(
    SellerApiKey,
    not_personal(
        "id",
        "seller",
        "name",
        "prefix",
        "key_hash",
        "scopes",
        "created_by",
        "last_used_at",
        "revoked_at",
        "created_at",
        "updated_at",
        reason="a company's machine credential",
    ),
)

registry.register(
    ParentalConsent,
    personal(
        "user",
        "guardian_email",
        "guardian_name",
        "confirmed_at",
        category="user.identity.guardian",
        subject="user",
        purposes=[purposes.LEGAL_AGE],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Parental authorisation requests",
    ),
    not_personal("id", "token_hash", "expires_at", "created_at", "updated_at", reason="state"),
)

# --- Sign-in records kept by the authentication library -------------------------------------

registry.register(
    EmailAddress,
    personal(
        "user",
        "email",
        "verified",
        "primary",
        category="user.contact.email",
        subject="user",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Email addresses and their verification",
    ),
)
registry.register(
    SocialAccount,
    personal(
        "user",
        "provider",
        "uid",
        "last_login",
        "date_joined",
        "extra_data",
        category="user.credentials.social_login",
        subject="user",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Sign-in with Google or Apple",
    ),
)
registry.register(
    SocialToken,
    personal(
        "account",
        "token",
        "token_secret",
        "expires_at",
        category="user.credentials.social_token",
        subject="account__user",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        exported=False,
    ),
)
registry.register(
    Authenticator,
    personal(
        "user",
        "type",
        "created_at",
        "last_used_at",
        category="user.security.second_factor",
        subject="user",
        purposes=[purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Second-factor methods (never their secrets)",
    ),
    personal(
        "data",
        category="user.credentials.second_factor_secret",
        subject="user",
        purposes=[purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        exported=False,
    ),
)


# --- Rights engine hooks ---------------------------------------------------------------------


def _sole_owner(user: User) -> list[Blocker]:
    found = []
    for membership in SellerMembership.objects.filter(
        user=user, role=SellerMembership.Role.OWNER
    ).select_related("seller"):
        others = membership.seller.memberships.filter(role=SellerMembership.Role.OWNER).exclude(
            user=user
        )
        live = membership.seller.status not in (Seller.Status.DRAFT, Seller.Status.REJECTED)
        if live and not others.exists():
            found.append(
                Blocker(
                    f"You are the only owner of the seller account “{membership.seller.name}”.",
                    "when you add another owner or close the seller account",
                )
            )
    return found


def _close_account(user: User) -> None:
    """Leave an empty shell that nobody can sign in to, and end its sessions now."""
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["password", "is_active"])
    user.groups.clear()
    user.user_permissions.clear()
    user_sessions_end(user=user)


def _close_companies_left_empty(user: User) -> None:
    """Delete each company account that no longer has any member.

    The rule for a company whose last member leaves or is erased: its account goes, with
    its address book and open invitations. A company name with nobody behind it serves no
    purpose and may name a sole trader; the orders and invoices keep their own copies of
    the name and VAT number, under their legal hold.
    """
    Company.objects.filter(memberships__isnull=True).delete()


def _postal_code_matches(user: User, value: str) -> bool:
    wanted = value.replace(" ", "").upper()
    codes = Address.objects.filter(user=user).values_list("postal_code", flat=True)
    return any(code.replace(" ", "").upper() == wanted for code in codes)


def _phone_matches(user: User, value: str) -> bool:
    digits = "".join(ch for ch in value if ch.isdigit())
    return len(digits) == 4 and "".join(ch for ch in user.phone if ch.isdigit()).endswith(digits)


registry.add_erasure_blocker(_sole_owner)
registry.add_erasure_hook(_close_account)
registry.add_erasure_hook(_close_companies_left_empty)
registry.add_identity_fact(
    "postal_code", "The postal code of one of your addresses", _postal_code_matches
)
registry.add_identity_fact(
    "phone_last4", "The last four digits of your phone number", _phone_matches
)

# How a person's export summary titles these records (the account comes first).
registry.present(User, title={"en": "Your account", "fr": "Votre compte"})
registry.present(Address, title={"en": "Address book", "fr": "Carnet d'adresses"})
registry.present(EmailAddress, title={"en": "Email addresses", "fr": "Adresses e-mail"})
registry.present(
    Authenticator,
    title={"en": "Two-step verification", "fr": "Validation en deux étapes"},
)
