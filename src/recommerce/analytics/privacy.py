"""Personal data held by analytics: views of visitors who allowed analytics (consent).

Kept 13 months from the view, the longest a consent-based audience measurement is usually
allowed to keep its data; erased with the account.
"""

from __future__ import annotations

from recommerce.analytics.models import PageView, ProductView
from recommerce.privacy import purposes
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

VIEWS = Retention(days=395, starts="the view", clock=("created_at",))

registry.register(
    PageView,
    personal(
        "user",
        "visitor",
        "path",
        "referrer_host",
        "created_at",
        category="user.activity.browsing",
        subject="user",
        purposes=[purposes.ANALYTICS],
        retention=VIEWS,
        erasure=Erasure.DELETE,
        export_label="Pages you viewed (with analytics allowed)",
    ),
    not_personal("id", reason="surrogate key"),
)
registry.register(
    ProductView,
    personal(
        "user",
        "visitor",
        "variant",
        "created_at",
        category="user.activity.browsing",
        subject="user",
        purposes=[purposes.ANALYTICS],
        retention=VIEWS,
        erasure=Erasure.DELETE,
        export_label="Products you viewed (with analytics allowed)",
    ),
    not_personal("id", reason="surrogate key"),
)
