"""Marketing: newsletter, preferences, campaigns, unsubscribes, ad audiences.

Consent to marketing lives in two places: a newsletter subscription (an address that
confirmed by a link, with or without an account) and an account holder's preferences per
channel and topic. A campaign reaches a person only through ``services.marketing_send``,
which checks both, the person's objections and restrictions, and erasure.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_countries.fields import CountryField

from recommerce.platform.models import TimeStampedModel


class Topic(models.TextChoices):
    OFFERS = "offers", "Offers and price drops"
    NEW_ARRIVALS = "new_arrivals", "New arrivals"
    TRADE_IN = "trade_in", "Trade-in offers"
    TIPS = "tips", "Tips to make devices last"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message (SMS)"


TOPICS: tuple[str, ...] = tuple(Topic.values)


class NewsletterSubscription(TimeStampedModel):
    """One address's consent to the newsletter, kept as evidence (CONSENT-4).

    The address confirms by a link before anything marketing is sent (double opt-in);
    only the SHA-256 of the link's token is stored. The row records what was asked
    (topics), under which text version, how (source) and when it was confirmed or ended.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    class Source(models.TextChoices):
        NEWSLETTER_PAGE = "newsletter_page", "Newsletter page"
        API = "api", "App (API)"

    email = models.EmailField(unique=True, help_text="Lower-cased")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    country = CountryField(blank=True)
    topics = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    consent_text_version = models.CharField(max_length=40)
    source = models.CharField(max_length=20, choices=Source.choices)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"newsletter {self.pk} ({self.status})"


class MarketingPreference(TimeStampedModel):
    """An account holder's marketing choices: which channels, which topics."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marketing_preference"
    )
    email = models.BooleanField(default=False)
    sms = models.BooleanField(default=False)
    topics = models.JSONField(default=list)
    consent_text_version = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"marketing preferences of {self.user_id}"


class UnsubscribeEvent(models.Model):
    """Evidence that an address stopped marketing: who, on which channel, how and when."""

    class Method(models.TextChoices):
        LINK = "link", "Link in an email"
        ONE_CLICK = "one_click", "One-click unsubscribe (mail client)"
        INBOUND_EMAIL = "inbound_email", "Email asking to unsubscribe"
        PROFILE = "profile", "Profile preferences"

    email = models.EmailField(help_text="Lower-cased")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    topics = models.JSONField(default=list, help_text="Topics left; empty: all of them")
    method = models.CharField(max_length=16, choices=Method.choices)
    campaign = models.ForeignKey(
        "marketing.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"unsubscribe ({self.method}) at {self.created_at:%Y-%m-%d}"


class Campaign(TimeStampedModel):
    """A marketing message for one topic on one channel, and what its sending did."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text="Plain text; the unsubscribe link is added below it")
    topic = models.CharField(max_length=16, choices=Topic.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=dict, help_text="People skipped, per reason")

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("send_campaign", "Can prepare and send marketing campaigns")]

    def __str__(self) -> str:
        return self.subject


class CampaignDelivery(models.Model):
    """One campaign sent to one address: a retried send never mails anyone twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_delivery_per_address")
        ]

    def __str__(self) -> str:
        return f"campaign {self.campaign_id} delivery {self.pk}"


class AudienceExport(models.Model):
    """One advertising audience handed to a partner (SHARE-4); its people are in the
    disclosure log under this export's reference."""

    partner = models.CharField(max_length=150)
    people = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("export_audience", "Can export advertising audiences to partners")]

    def __str__(self) -> str:
        return f"{self.reference} to {self.partner}"

    @property
    def reference(self) -> str:
        return f"AUD-{self.pk}"
