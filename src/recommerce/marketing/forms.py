"""Forms of the marketing pages: sign-up, preferences, campaigns, audiences."""

from __future__ import annotations

from typing import Any

from django import forms
from django_countries import countries

from recommerce.marketing import conf
from recommerce.marketing.models import Campaign, Channel, Topic
from recommerce.platform.forms import SafeTextMixin

TOPIC_CHOICES = [(topic.value, topic.label) for topic in Topic]


class NewsletterForm(SafeTextMixin, forms.Form):
    """Sign up to the newsletter; the consent box is never ticked in advance."""

    honeypot_name = "website"

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"required": "Enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = forms.ChoiceField(
        label="Country",
        error_messages={"required": "Choose your country."},
        help_text="It tells which rules apply to your consent.",
    )
    topics = forms.MultipleChoiceField(
        label="What you want to hear about",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic."},
    )
    consent = forms.BooleanField(
        label="I agree to receive the Recommerce newsletter by email on these topics. I can "
        "unsubscribe at any time, by the link in every email.",
        error_messages={"required": "Tick the box to agree to receive the newsletter."},
    )
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a country")] + [(c.code, c.name) for c in countries]

    def is_bot(self) -> bool:
        return bool(self.is_bound and self.data.get(self.honeypot_name))


class PreferencesForm(SafeTextMixin, forms.Form):
    email = forms.BooleanField(label="By email", required=False)
    sms = forms.BooleanField(label="By text message (SMS)", required=False)
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("email") or data.get("sms")) and not data.get("topics"):
            self.add_error("topics", "Choose at least one topic, or untick the channels.")
        return data


class CampaignForm(SafeTextMixin, forms.ModelForm[Campaign]):
    class Meta:
        model = Campaign
        fields = ["subject", "body", "topic", "channel"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": "Plain text. The unsubscribe link and the preferences link are added below.",
            "channel": "Only email can be sent for now.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(Channel.EMAIL.value, Channel.EMAIL.label)]


class AudienceForm(SafeTextMixin, forms.Form):
    partner = forms.ChoiceField(label="Advertising partner")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a partner")] + [(p, p) for p in conf.ad_partners()]
