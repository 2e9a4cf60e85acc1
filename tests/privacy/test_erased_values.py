"""Erased values are valid for their column (RIGHT-3, RETAIN-1).

Hardening 4.4: an anonymised value used to be the marker cut to the column's width (an
order's ``delivery_country`` read ``[e``), and a few erased values could not pass the
column's own validation. Every registered field whose rows survive an erasure is walked
here, with the values the engine would write.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from recommerce.privacy.paths import concrete_field
from recommerce.privacy.registry import Erasure, PersonalField, registry
from recommerce.privacy.rights.rows import deletes_rows
from recommerce.privacy.rights.values import ERASED_DOMAIN, ERASED_TEXT, KEEP, erased_value

# A realistic value of each kind, so a pseudonym has something to hash.
SAMPLES: dict[type[models.Field[Any, Any]], Any] = {
    models.EmailField: "someone@example.org",
    models.CharField: "Some value 123",
    models.TextField: "Some longer value, written by a person.",
}
ERASED_EMAIL = re.compile(rf"^erased-\d+@{re.escape(ERASED_DOMAIN)}$")
PSEUDONYM = re.compile(r"^(pseudonym:)?[0-9a-f]{8,}$")


def _surviving_fields() -> list[PersonalField]:
    """Return every field the engine rewrites in place: rows it keeps, strategies it applies."""
    found = []
    for model, fields in registry.by_model().items():
        kept_rows = not deletes_rows(fields)
        for item in fields:
            if item.erasure is Erasure.LEGAL_HOLD:
                continue
            if item.erasure is Erasure.DELETE and not kept_rows:
                continue  # the row goes with its link to the person
            if concrete_field(model, item.field_name).primary_key:
                continue
            found.append(item)
    return found


FIELDS = _surviving_fields()


def _sample(field: models.Field[Any, Any]) -> Any:
    if field.choices:
        return next(iter(dict(field.flatchoices)))
    for kind, value in SAMPLES.items():
        if isinstance(field, kind):
            return value[: field.max_length or None]
    return field.get_default()


def test_the_walk_covers_the_anonymised_and_pseudonymised_fields():
    """Hardening 4.4: the walk reaches each kind of field the issue names."""
    names = {f"{item.model_label}.{item.field_name}" for item in FIELDS}
    assert {
        "orders.Order.delivery_country",
        "orders.Order.delivery_phone",
        "orders.Order.delivery_postal_code",
        "orders.Order.buyer_email",
        "accounts.User.email",
        "accounts.User.title",
        "privacy.Disclosure.recipient",
    } <= names
    strategies = {item.erasure for item in FIELDS}
    assert {Erasure.ANONYMISE, Erasure.PSEUDONYMISE} <= strategies


@pytest.mark.parametrize("item", FIELDS, ids=lambda i: f"{i.model_label}.{i.field_name}")
def test_p_erase_value_passes_the_columns_validation(item: PersonalField):
    """Hardening 4.4: the erased value passes ``clean`` on its column and fits its width.

    promise: RIGHT-3
    """
    model = registry.model_classes[item.model_label]
    field = concrete_field(model, item.field_name)
    value = erased_value(field, item.erasure, _sample(field), 4242)
    if value is KEEP:
        return
    if field.is_relation:
        assert value is None and field.null, "a required link cannot be erased to nothing"
        return
    try:
        field.clean(value, model())
    except ValidationError as error:
        pytest.fail(f"{value!r} is not valid here: {error.messages}")
    if isinstance(value, str):
        assert len(value) <= (field.max_length or len(value))
        # Never a marker cut to the column's width (``[e``): a whole marker, a blank, a
        # listed choice, an erased address, a pseudonym, or a code that reads as unknown.
        assert (
            value in ("", ERASED_TEXT)
            or (field.choices and value in dict(field.flatchoices))
            or ERASED_EMAIL.match(value)
            or PSEUDONYM.match(value)
            or (len(value) == field.max_length and set(value) == {"Z"})
        ), f"{value!r} is a cut marker"


def test_p_erase_a_two_letter_country_reads_as_unknown():
    """Hardening 4.4: ``delivery_country`` becomes ``ZZ`` (ISO 3166 user-assigned), not ``[e``.

    promise: RIGHT-3
    """
    from recommerce.orders.models import Order

    field = concrete_field(Order, "delivery_country")
    assert erased_value(field, Erasure.ANONYMISE, "FR", 1) == "ZZ"


def test_p_erase_a_short_pseudonym_keeps_grouping_equal_values():
    """Hardening 4.4: a pseudonym cut to a narrow column is still a hash, equal for equals.

    promise: RIGHT-3
    """
    field = models.CharField(max_length=12)
    field.set_attributes_from_name("reference")
    first = erased_value(field, Erasure.PSEUDONYMISE, "ORDER-1", 1)
    again = erased_value(field, Erasure.PSEUDONYMISE, "ORDER-1", 2)
    other = erased_value(field, Erasure.PSEUDONYMISE, "ORDER-2", 1)
    assert first == again != other
    assert PSEUDONYM.match(first) and len(first) <= 12
