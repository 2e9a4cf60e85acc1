"""After-sales models: claims, conversations, identity checks, reviews and surveys."""

from recommerce.support.models.claims import Claim, ClaimEvent, DeviceCheck
from recommerce.support.models.conversations import Attachment, CallNote, Conversation, Message
from recommerce.support.models.feedback import Review, ReviewPhoto, ReviewReport, Survey
from recommerce.support.models.identity import IdentityCheck, IdentityEvidence

__all__ = [
    "Attachment",
    "CallNote",
    "Claim",
    "ClaimEvent",
    "Conversation",
    "DeviceCheck",
    "IdentityCheck",
    "IdentityEvidence",
    "Message",
    "Review",
    "ReviewPhoto",
    "ReviewReport",
    "Survey",
]
