"""Personal data held by accounts."""

from __future__ import annotations

from recommerce.accounts.models import Seller, User
from recommerce.privacy import purposes
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

ACCOUNT_LIFETIME = Retention(days=3 * 365, starts="the account's last activity")

registry.register(
    User,
    personal(
        "email",
        category="user.contact.email",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.ANONYMISE,
        export_label="Email address",
    ),
    personal(
        "full_name",
        category="user.identity.name",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.ANONYMISE,
        export_label="Full name",
    ),
    personal(
        "password",
        category="user.credentials.password_hash",
        subject="self",
        purposes=[purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Password (stored only as an Argon2 hash; not exported)",
    ),
    personal(
        "last_login",
        "date_joined",
        category="user.activity.account",
        subject="self",
        purposes=[purposes.SERVICE_ACCOUNT, purposes.SECURITY],
        retention=ACCOUNT_LIFETIME,
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
    Seller,
    not_personal(
        "id",
        "name",
        "slug",
        "legal_name",
        "country",
        "city",
        "description",
        "status",
        "rating_count",
        "rating_sum",
        "orders_shipped",
        "orders_late",
        "orders_defective",
        "quality_bp",
        "created_at",
        "updated_at",
        reason="a seller is a company; its public profile and track record are business data",
    ),
)
