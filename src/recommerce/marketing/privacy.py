"""Personal data held by marketing, and how an erasure reaches advertising partners."""

from __future__ import annotations

from recommerce.marketing.models import (
    AudienceExport,
    Campaign,
    CampaignDelivery,
    MarketingPreference,
    NewsletterSubscription,
    UnsubscribeEvent,
)
from recommerce.marketing.services.audiences import AD_PARTNER, audience_erasure_notify
from recommerce.privacy import purposes
from recommerce.privacy.paths import by_email_or
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

# Proof of consent outlives the subscription it proves, then goes (CNIL: three years
# after the last contact); sign-ups never confirmed go after 30 days (marketing.tasks).
CONSENT_EVIDENCE = Retention(
    days=3 * 365,
    starts="the unsubscribe (sign-ups never confirmed: 30 days)",
    clock=("unsubscribed_at",),
)
UNSUBSCRIBE_EVIDENCE = Retention(days=3 * 365, starts="the unsubscribe", clock=("created_at",))
DELIVERIES = Retention(days=365, starts="the sending", clock=("sent_at",))
WITH_ACCOUNT = Retention(days=None, starts="the account's erasure")


_by_address = by_email_or("user")

registry.register(
    NewsletterSubscription,
    personal(
        "email",
        "user",
        category="user.contact.email",
        subject=_by_address,
        subject_note="the subscribed address (an account's, or someone without one)",
        purposes=[purposes.MARKETING_EMAIL],
        retention=CONSENT_EVIDENCE,
        erasure=Erasure.DELETE,
        export_label="Newsletter subscription",
    ),
    personal(
        "country",
        "topics",
        "status",
        "source",
        "consent_text_version",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
        category="user.preferences.marketing",
        subject=_by_address,
        subject_note="the subscribed address (an account's, or someone without one)",
        purposes=[purposes.MARKETING_EMAIL, purposes.LEGAL_DATA_PROTECTION],
        retention=CONSENT_EVIDENCE,
        erasure=Erasure.DELETE,
        export_label="Newsletter consent: topics, text version, confirmation",
    ),
    not_personal("id", "token_hash", "updated_at", reason="a link token's hash, book-keeping"),
)

registry.register(
    MarketingPreference,
    personal(
        "user",
        "email",
        "sms",
        "topics",
        "consent_text_version",
        "created_at",
        "updated_at",
        category="user.preferences.marketing",
        subject="user",
        purposes=[purposes.MARKETING_EMAIL],
        retention=WITH_ACCOUNT,
        erasure=Erasure.DELETE,
        export_label="Marketing preferences (channels and topics)",
    ),
    not_personal("id", reason="surrogate key"),
)

registry.register(
    UnsubscribeEvent,
    personal(
        "email",
        "user",
        "channel",
        "topics",
        "method",
        "campaign",
        "created_at",
        category="user.preferences.marketing",
        subject=_by_address,
        subject_note="the unsubscribed address",
        purposes=[purposes.MARKETING_EMAIL, purposes.LEGAL_DATA_PROTECTION],
        retention=UNSUBSCRIBE_EVIDENCE,
        erasure=Erasure.DELETE,
        export_label="Times you unsubscribed from marketing",
    ),
    not_personal("id", reason="surrogate key"),
)

registry.register(
    CampaignDelivery,
    personal(
        "email",
        "user",
        "campaign",
        "sent_at",
        category="user.activity.marketing",
        subject=_by_address,
        subject_note="the address the campaign was sent to",
        purposes=[purposes.MARKETING_EMAIL],
        retention=DELIVERIES,
        erasure=Erasure.DELETE,
        export_label="Marketing emails sent to you",
    ),
    not_personal("id", reason="surrogate key"),
)

registry.register(
    Campaign,
    not_personal(
        "id",
        "subject",
        "body",
        "topic",
        "channel",
        "status",
        "created_by",
        "queued_at",
        "sent_at",
        "sent_count",
        "skipped",
        "created_at",
        "updated_at",
        reason="the platform's message and its counts; its author acted for the platform",
    ),
)

registry.register(
    AudienceExport,
    not_personal(
        "id",
        "partner",
        "people",
        "created_by",
        "created_at",
        reason="which partner got an audience and its size; the people are in the disclosure log",
    ),
)

registry.add_recipient_notifier(AD_PARTNER, audience_erasure_notify)
