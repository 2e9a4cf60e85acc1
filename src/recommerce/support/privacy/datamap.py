"""Every field of after-sales classified: category, purposes, retention, erasure; and how a
person's export shows the records."""

from __future__ import annotations

from django.conf import settings

from recommerce.privacy import purposes
from recommerce.privacy.registry import (
    Erasure,
    Retention,
    not_personal,
    personal,
    registry,
)
from recommerce.support.models import (
    Attachment,
    CallNote,
    Claim,
    ClaimEvent,
    Conversation,
    DeviceCheck,
    IdentityCheck,
    IdentityEvidence,
    Message,
    Review,
    ReviewPhoto,
    ReviewReport,
    Survey,
)

CLAIM_FOLLOW_UP = Retention(
    days=5 * 365, starts="the claim's closing (limitation period of claims)"
)
CONVERSATION = Retention(days=3 * 365, starts="the message")
SURVEY_ANSWERS = Retention(days=2 * 365, starts="the survey's offer")
REVIEW_LIFETIME = Retention(days=None, starts="the account's erasure")
EVIDENCE = Retention(
    days=settings.SUPPORT_IDENTITY_EVIDENCE_DAYS,
    starts="the claim's closing",
    clock=("identity_check__claim__closed_at",),
)
AFTER_SALES = [purposes.SERVICE_ORDERS]

registry.register(
    Claim,
    personal(
        "buyer",
        "reason_code",
        "description",
        "proposal_note",
        "decision_note",
        "return_tracking_number",
        "return_shipped_at",
        "return_received_at",
        "created_at",
        category="user.activity.claims",
        subject="buyer",
        purposes=AFTER_SALES,
        retention=CLAIM_FOLLOW_UP.counted_from("closed_at", "created_at"),
        erasure=Erasure.ANONYMISE,
        export_label="After-sales claims",
        recipients=["the seller", "the carrier (return parcels)"],
    ),
    personal(
        "risk_flagged",
        "identity_required",
        category="user.fraud.flags",
        subject="buyer",
        purposes=[purposes.FRAUD_PREVENTION],
        retention=CLAIM_FOLLOW_UP.counted_from("closed_at", "created_at"),
        erasure=Erasure.ANONYMISE,
        export_label="After-sales claims: identity checks asked",
    ),
    not_personal(
        "id",
        "reference",
        "order",
        "line",
        "kind",
        "status",
        "requested",
        "proposal",
        "proposal_amount_minor",
        "resolution",
        "resolution_amount_minor",
        "outcome",
        "window_closes_on",
        "seller_due_at",
        "seller_answered_at",
        "escalated_at",
        "escalated_by",
        "decided_by",
        "decided_at",
        "closed_at",
        "return_carrier",
        "refund",
        "updated_at",
        reason="the claim's processing state; the order and refund hold the buyer",
    ),
)
registry.register(
    ClaimEvent,
    personal(
        "claim",
        "note",
        category="user.activity.claims",
        subject="claim__buyer",
        purposes=AFTER_SALES,
        retention=CLAIM_FOLLOW_UP.counted_from("claim__closed_at", "created_at"),
        erasure=Erasure.DELETE,
        export_label="After-sales claims: history",
    ),
    not_personal("id", "action", "side", "actor", "created_at", reason="the step and its time"),
)
registry.register(
    DeviceCheck,
    personal(
        "identifier",
        category="user.device.identifier",
        subject="claim__buyer",
        purposes=AFTER_SALES,
        retention=CLAIM_FOLLOW_UP.counted_from("claim__closed_at", "checked_at"),
        erasure=Erasure.DELETE,
        export_label="After-sales claims: activation-lock checks",
        recipients=["the activation-lock checking service"],
    ),
    not_personal(
        "id",
        "claim",
        "provider",
        "result",
        "lock_kind",
        "reference",
        "requested_by",
        "checked_at",
        reason="the service's answer about the device",
    ),
)
registry.register(
    Conversation,
    personal(
        "person",
        "order",
        "claim",
        "created_at",
        "last_message_at",
        category="user.communication.messages",
        subject="person",
        purposes=AFTER_SALES,
        retention=CONVERSATION.counted_from("last_message_at", "created_at"),
        erasure=Erasure.DELETE,
        export_label="Conversations",
        recipients=["the seller"],
    ),
    not_personal(
        "id",
        "kind",
        "seller",
        "recorded",
        "staff_joined_at",
        "closed_at",
        reason="the thread's kind and state",
    ),
)
registry.register(
    Message,
    personal(
        "conversation",
        "body",
        "created_at",
        category="user.communication.messages",
        subject="conversation__person",
        purposes=[purposes.SERVICE_ORDERS, purposes.SUPPORT_RECORDING],
        retention=CONVERSATION.counted_from("created_at"),
        erasure=Erasure.DELETE,
        export_label="Conversations: messages",
        recipients=["the seller"],
    ),
    not_personal("id", "side", "author", "masked", reason="who wrote it and what was hidden"),
)
registry.register(
    Attachment,
    personal(
        "message",
        "file",
        "name",
        category="user.communication.attachments",
        subject="message__conversation__person",
        purposes=AFTER_SALES,
        retention=CONVERSATION.counted_from("message__created_at"),
        erasure=Erasure.DELETE,
        export_label="Conversations: files sent",
        sensitive=True,
        recipients=["the seller"],
    ),
    not_personal("id", "content_type", "size", reason="the file's type and size"),
)
registry.register(
    CallNote,
    personal(
        "person",
        "claim",
        "summary",
        "created_at",
        category="user.communication.calls",
        subject="person",
        purposes=AFTER_SALES,
        retention=CONVERSATION.counted_from("created_at"),
        erasure=Erasure.DELETE,
        export_label="Calls with customer service",
    ),
    personal(
        "recording_reference",
        category="user.communication.recordings",
        subject="person",
        purposes=[purposes.SUPPORT_RECORDING],
        retention=CONVERSATION.counted_from("created_at"),
        erasure=Erasure.DELETE,
        export_label="Calls with customer service: recordings",
    ),
    not_personal("id", "staff", reason="the staff member who took the call"),
)
registry.register(
    IdentityCheck,
    personal(
        "person",
        "claim",
        "reason",
        "method",
        "status",
        "consent_version",
        "provider_result",
        "provider_reasons",
        "requested_at",
        "submitted_at",
        "decided_at",
        "decision_note",
        category="user.government_id.check",
        subject="person",
        purposes=[purposes.FRAUD_PREVENTION],
        retention=CLAIM_FOLLOW_UP.counted_from("claim__closed_at", "requested_at"),
        erasure=Erasure.ANONYMISE,
        export_label="Identity checks of claims",
        recipients=["the identity-verification service (live checks)"],
    ),
    not_personal(
        "id",
        "requested_by",
        "provider",
        "provider_session",
        "decided_by",
        "evidence_deleted_at",
        reason="the service's session id and the staff who acted",
    ),
)
registry.register(
    IdentityEvidence,
    personal(
        "identity_check",
        "file",
        "kind",
        "uploaded_at",
        category="user.government_id.document",
        subject="identity_check__person",
        purposes=[purposes.FRAUD_PREVENTION, purposes.IDENTITY_BIOMETRIC],
        retention=EVIDENCE,
        erasure=Erasure.DELETE,
        export_label="Identity checks: documents and videos sent",
        sensitive=True,
        recipients=["the identity-verification service (live checks)"],
    ),
    not_personal("id", "content_type", "size", reason="the file's type and size"),
)
registry.register(
    Review,
    personal(
        "author",
        "author_display",
        "text",
        "line",
        "created_at",
        category="user.content.reviews",
        subject="author",
        purposes=[purposes.SERVICE_REVIEWS],
        retention=REVIEW_LIFETIME,
        erasure=Erasure.ANONYMISE,
        export_label="Reviews",
        recipients=["the public"],
    ),
    personal(
        "hidden_reason",
        "hidden_at",
        category="user.content.moderation",
        subject="author",
        purposes=[purposes.SERVICE_REVIEWS],
        retention=REVIEW_LIFETIME,
        erasure=Erasure.ANONYMISE,
        export_label="Reviews: moderation",
    ),
    not_personal(
        "id",
        "seller",
        "device_model",
        "rating",
        "status",
        "reports",
        "hidden_by",
        reason="the score counts in averages once detached from its author",
    ),
)
registry.register(
    ReviewPhoto,
    personal(
        "review",
        "file",
        category="user.content.reviews",
        subject="review__author",
        purposes=[purposes.SERVICE_REVIEWS],
        retention=REVIEW_LIFETIME,
        erasure=Erasure.DELETE,
        export_label="Reviews: photos",
        sensitive=True,
        recipients=["the public"],
    ),
    not_personal("id", "content_type", "size", reason="the file's type and size"),
)
registry.register(
    ReviewReport,
    personal(
        "reporter",
        "reason",
        "created_at",
        category="user.content.reports",
        subject="reporter",
        purposes=[purposes.SERVICE_REVIEWS],
        retention=Retention(days=365, starts="the report", clock=("created_at",)),
        erasure=Erasure.DELETE,
        export_label="Reviews you reported",
    ),
    not_personal("id", "review", reason="the review reported"),
)
registry.register(
    Survey,
    personal(
        "person",
        "order",
        "claim",
        "offered_at",
        "answered_at",
        "nps",
        "satisfaction",
        "easy",
        "comment",
        category="user.feedback.survey",
        subject="person",
        purposes=[purposes.SURVEYS],
        retention=SURVEY_ANSWERS.counted_from("offered_at"),
        erasure=Erasure.DELETE,
        export_label="Satisfaction surveys",
    ),
    not_personal("id", "trigger", "token", reason="the survey's kind and link"),
)

registry.present(
    Claim,
    title={"en": "After-sales claims", "fr": "Réclamations après-vente"},
    heading={"en": "Claim {reference}", "fr": "Réclamation {reference}"},
    context={"reference": "reference", "order": "order__number", "kind": "kind"},
)
registry.present(ClaimEvent, title={"en": "History", "fr": "Historique"}, within="claim")
registry.present(
    DeviceCheck,
    title={"en": "Activation-lock checks", "fr": "Vérifications du verrouillage"},
    within="claim",
)
registry.present(
    Conversation,
    title={"en": "Conversations", "fr": "Conversations"},
    heading={"en": "Conversation {kind}", "fr": "Conversation {kind}"},
    context={"kind": "kind", "order": "order__number"},
)
registry.present(Message, title={"en": "Messages", "fr": "Messages"}, within="conversation")
registry.present(Attachment, title={"en": "Files", "fr": "Fichiers"}, within="message")
registry.present(
    IdentityEvidence, title={"en": "Documents", "fr": "Documents"}, within="identity_check"
)
registry.present(Review, title={"en": "Reviews", "fr": "Avis"})
registry.present(ReviewPhoto, title={"en": "Photos", "fr": "Photos"}, within="review")
registry.present(Survey, title={"en": "Surveys", "fr": "Enquêtes de satisfaction"})
