"""The cookie settings form: one box per optional category."""

from __future__ import annotations

from typing import Any

from django import forms

from recommerce.platform.forms import SafeTextMixin
from recommerce.privacy.consent import CATEGORY_INFO, OPTIONAL


class CookieSettingsForm(SafeTextMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in OPTIONAL:
            self.fields[category] = forms.BooleanField(
                required=False,
                label=CATEGORY_INFO[category].title,
                help_text=CATEGORY_INFO[category].description,
            )

    def categories(self) -> list[str]:
        """Return the categories ticked (the form must be valid)."""
        return [category for category in OPTIONAL if self.cleaned_data.get(category)]
