"""Staff roles as groups of permissions: each role sees only what its work needs.

``roles_sync`` runs after every ``migrate`` and makes the groups match this table, so the
roles are the same on every installation and cannot drift through the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

CUSTOMER_SERVICE = "Customer service"
ANTI_FRAUD = "Anti-fraud"
FINANCE = "Finance"
DPO = "Data protection officer"
ADMIN = "Admin"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    CUSTOMER_SERVICE: (
        "accounts.view_personal_data",
        "accounts.view_user",
        "orders.view_order",
        "orders.change_order",
        "platform.view_outbox",
        "support.view_claim",
        "support.decide_claim",
        "support.view_identity_evidence",
        "support.view_conversation",
        "support.moderate_review",
    ),
    ANTI_FRAUD: (
        "accounts.view_personal_data",
        "accounts.view_user",
        "accounts.view_seller",
        "accounts.review_seller",
        "orders.view_order",
        "orders.change_order",
        "support.view_claim",
        "support.view_identity_evidence",
    ),
    FINANCE: ("accounts.view_seller", "accounts.view_company", "orders.approve_payout"),
    DPO: (
        "accounts.view_personal_data",
        "accounts.view_user",
        "privacy.read_access_log",
        "privacy.view_auditevent",
        "privacy.handle_datarequest",
        "privacy.run_retention",
        "privacy.view_disclosure",
        "privacy.publish_notice",
        "analytics.view_statistics",
    ),
    ADMIN: (
        "accounts.view_personal_data",
        "accounts.view_user",
        "accounts.change_user",
        "accounts.view_seller",
        "accounts.change_seller",
        "accounts.review_seller",
        "accounts.view_company",
        "privacy.read_access_log",
        "privacy.view_auditevent",
        "orders.view_order",
        "orders.change_order",
        "orders.approve_payout",
        "analytics.view_statistics",
        "marketing.send_campaign",
        "marketing.export_audience",
        "platform.view_outbox",
        "support.view_claim",
        "support.decide_claim",
        "support.view_conversation",
        "support.moderate_review",
    ),
}
ROLES = tuple(ROLE_PERMISSIONS)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def roles_sync(**kwargs: Any) -> None:
    """Create or update each staff role's group with exactly its permissions."""
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(p) for p in permissions])
