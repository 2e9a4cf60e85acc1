"""Hardening 3.1: the platform's plain-text rule, and every project form's text fields."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.core import checks

from recommerce.catalog.models import Variant
from recommerce.platform.forms import SafeTextMixin, check_forms_refuse_unsafe_text, project_forms
from recommerce.platform.text import unsafe_character
from tests.accounts.conftest import make_user

RLO = "\u202e"
# Forms whose constructor needs more than data: what each is given here.
EXTRA_ARGS: dict[str, dict[str, Any]] = {
    "CheckoutForm": {"addresses": [], "parts": []},
    "OfferCreateForm": {"variants": Variant.objects.none()},
    "RefundForm": {"currency": "EUR"},
    # One unit of one line: its IMEI or serial field is walked like the others.
    "ShipForm": {"lines": [SimpleNamespace(pk=1, quantity=1, title="Phone")]},
    "DocumentsForm": {"claim": SimpleNamespace(kind="not_received")},
}


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("Ada Lovelace", False, None),
        ("Zoë Ørsted-Łukasz 李", False, None),
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", False, None),  # Persian keeps its ZWNJ
        ("Ev\u202eil", False, RLO),
        ("a\u2066b", False, "\u2066"),  # a left-to-right isolate
        ("nul\x00", False, "\x00"),
        ("+\x00\x9e", False, "\x00"),
        ("c1\x85", False, "\x85"),
        ("zero\u200bwidth", False, "\u200b"),
        ("bom\ufeff", False, "\ufeff"),
        ("lone \ud800", False, "\ud800"),
        ("two\nlines", False, "\n"),
        ("two\r\nlines\tand a tab", True, None),
        ("line\u2028separator", True, "\u2028"),
        ("bell\x07", True, "\x07"),
    ],
)
def test_unsafe_character(text, multiline, refused):
    """Hardening 3.1: controls, bidi and invisible format characters are refused."""
    assert unsafe_character(text, multiline=multiline) == refused


def _form(form_class: type[forms.BaseForm], data: dict[str, str]) -> forms.BaseForm:
    return form_class(data=data, **EXTRA_ARGS.get(form_class.__name__, {}))


@pytest.mark.django_db
def test_every_project_form_text_field_refuses_a_bidi_override():
    """Hardening 3.1: each text field of each project form refuses RLO (a field error)."""
    form_classes = list(project_forms())
    assert len(form_classes) >= 40
    checked, failures = 0, []
    for form_class in form_classes:
        for name, field in _form(form_class, {}).fields.items():
            if not isinstance(field, forms.CharField):
                continue
            form = _form(form_class, {name: f"Ev{RLO}il"})
            form.is_valid()
            checked += 1
            messages = form.errors.get(name, [])
            if not any("U+202E" in m for m in messages):
                failures.append((form_class.__qualname__, name, messages))
    assert checked >= 60
    assert failures == []


def _cleaned(field: forms.Field, value: str) -> str:
    """Return the field's own reading of ``value`` (a code field drops whitespace)."""
    try:
        return str(field.to_python(value))
    except forms.ValidationError:
        return ""


@pytest.mark.django_db
def test_textareas_keep_line_breaks_and_single_lines_refuse_them():
    """Hardening 3.1: a Textarea field takes lines; a one-line text field does not."""
    seen = {"multi": 0, "single": 0}
    for form_class in project_forms():
        for name, field in _form(form_class, {}).fields.items():
            if not isinstance(field, forms.CharField):
                continue
            form = _form(form_class, {name: "first\nsecond"})
            form.is_valid()
            ours = any("U+000A" in m for m in form.errors.get(name, []))
            if isinstance(field.widget, forms.Textarea):
                seen["multi"] += 1
                assert not ours, (form_class, name)
            elif "\n" in _cleaned(field, "first\nsecond"):
                seen["single"] += 1
                assert ours, (form_class, name)
    assert seen["multi"] >= 1 and seen["single"] >= 1


def test_a_form_without_the_mixin_fails_the_system_check():
    """Hardening 3.1: ``manage.py check`` names a project form that lacks SafeTextMixin."""
    assert check_forms_refuse_unsafe_text() == []

    class Careless(forms.Form):
        note = forms.CharField()

    Careless.__module__ = "recommerce.platform.tests_only"
    try:
        errors = check_forms_refuse_unsafe_text()
        assert [e.id for e in errors] == ["platform.E001"]
        assert "Careless" in errors[0].msg
        assert isinstance(errors[0], checks.Error)
    finally:
        Careless.__module__ = __name__  # the walk no longer takes it for a project form
    assert SafeTextMixin in type("Ok", (SafeTextMixin, forms.Form), {}).__mro__


@pytest.mark.django_db
def test_the_profile_page_shows_the_error_and_saves_nothing(client):
    """Hardening 3.1: the HTML profile form refuses NUL and RLO with a field error."""
    user = make_user("ada@example.com", full_name="Ada Lovelace", country="FR")
    client.force_login(user)
    response = client.post(
        "/account/profile/",
        {"full_name": f"Ev{RLO}il\x00Name", "country": "FR", "language": "en"},
    )
    assert response.status_code == 400
    assert "U+202E" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"
