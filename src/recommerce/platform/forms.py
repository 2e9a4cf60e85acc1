"""What every form of the project shares: text fields refuse control and invisible characters.

``SafeTextMixin`` goes first in the bases of every form (``manage.py check`` fails for a
form defined in the project without it: ``platform.E001``). It gives each text field,
including those a form adds in its ``__init__``, the ``SafeTextValidator``; a field
drawn as a ``Textarea`` keeps its line breaks. The error sits on the field, as any
other, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

from django import forms
from django.conf import settings
from django.core import checks
from django.utils.module_loading import autodiscover_modules

from recommerce.platform.text import SafeTextValidator

PROJECT_PACKAGE = "recommerce."


def _is_text_field(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField)


class SafeTextMixin:
    """Give every text field of the form the platform's plain-text validator."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for field in self.fields.values():
            if _is_text_field(field) and not any(
                isinstance(v, SafeTextValidator) for v in field.validators
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(SafeTextValidator(multiline=multiline))
        super().full_clean()  # type: ignore[misc]


def project_forms() -> Iterator[type[forms.BaseForm]]:
    """Yield every form class defined in the project's modules (imported first)."""
    autodiscover_modules("forms")
    import_module(settings.ROOT_URLCONF)  # the views, and the forms they define
    seen: set[type[forms.BaseForm]] = set()
    stack: list[type[Any]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub in seen:
                continue
            seen.add(sub)
            stack.append(sub)
            if sub.__module__.startswith(PROJECT_PACKAGE):
                yield sub


@checks.register()
def check_forms_refuse_unsafe_text(**kwargs: Any) -> list[checks.CheckMessage]:
    """Fail when a project form lacks ``SafeTextMixin``."""
    return [
        checks.Error(
            f"{form.__module__}.{form.__qualname__} lacks SafeTextMixin.",
            hint="Put recommerce.platform.forms.SafeTextMixin first in its bases, so its "
            "text fields refuse control and invisible formatting characters.",
            obj=form,
            id="platform.E001",
        )
        for form in project_forms()
        if not issubclass(form, SafeTextMixin)
    ]
