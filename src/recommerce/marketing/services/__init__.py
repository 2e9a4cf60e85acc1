"""Writes of marketing: consent and its withdrawal, campaigns, audiences, inbound email."""

from recommerce.marketing.services.audiences import AudienceFile, audience_export
from recommerce.marketing.services.campaigns import (
    SendReport,
    campaign_create,
    campaign_queue,
    campaign_run,
    marketing_send,
)
from recommerce.marketing.services.inbound import (
    MalformedMessage,
    Outcome,
    inbound_email_receive,
)
from recommerce.marketing.services.subscriptions import (
    LinkInvalid,
    marketing_preference_set,
    marketing_unsubscribe,
    marketing_unsubscribe_by_link,
    newsletter_confirm,
    newsletter_subscribe,
    unsubscribe_link_check,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "AudienceFile",
    "LinkInvalid",
    "MalformedMessage",
    "Outcome",
    "SendReport",
    "audience_export",
    "campaign_create",
    "campaign_queue",
    "campaign_run",
    "inbound_email_receive",
    "marketing_preference_set",
    "marketing_send",
    "marketing_unsubscribe",
    "marketing_unsubscribe_by_link",
    "newsletter_confirm",
    "newsletter_subscribe",
    "unsubscribe_link_check",
    "unsubscribe_token",
    "unsubscribe_url",
]
