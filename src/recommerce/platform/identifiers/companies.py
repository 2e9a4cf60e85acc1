"""Company registration numbers: SIREN and SIRET in France, a sane form elsewhere."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from recommerce.platform.identifiers._base import _fail, _is_digits


def siren(value: str) -> str:
    """Validate a SIREN (9 digits, Luhn check digit) and return it without spaces."""
    return _french_company_number(
        value, length=9, kind="SIREN", validate=fr_siren.validate, compact=fr_siren.compact
    )


def siret(value: str) -> str:
    """Validate a SIRET (14 digits: SIREN + establishment number) and return it compact."""
    return _french_company_number(
        value, length=14, kind="SIRET", validate=fr_siret.validate, compact=fr_siret.compact
    )


def _french_company_number(
    value: str,
    *,
    length: int,
    kind: str,
    validate: Callable[[str], str],
    compact: Callable[[str], str],
) -> str:
    number = compact(value)
    if not number:
        _fail(_("Enter a %(kind)s."), "required", kind=kind)
    if not _is_digits(number):
        _fail(
            _("A %(kind)s has only digits; %(value)s has other characters."),
            "invalid_format",
            kind=kind,
            value=number,
        )
    if len(number) != length:
        _fail(
            _("A %(kind)s has %(expected)d digits; %(value)s has %(length)d."),
            "invalid_length",
            kind=kind,
            expected=length,
            value=number,
            length=len(number),
        )
    try:
        return validate(number)
    except StdnumError:
        _fail(
            _("The check digit of %(kind)s %(value)s does not match: look for a typing mistake."),
            "bad_checksum",
            kind=kind,
            value=number,
        )


_REGISTRATION_CHARS = re.compile(r"[A-Z0-9][A-Z0-9 ./-]*")
_REGISTRATION_LENGTH = (2, 40)


def company_registration(value: str, *, country: str) -> str:
    """Validate a company's number in its national register.

    French numbers are checked as a SIREN (9 digits) or SIRET (14 digits). Other countries'
    registers differ too much to check offline, so the number is trimmed, upper-cased and
    only checked for a plausible length and characters.
    """
    code = country.strip().upper()
    if code not in countries:
        _fail(_("%(code)s is not a country code."), "unknown_country", code=code)
    if code == "FR":
        number = fr_siret.compact(value)
        if len(number) == 14:
            return siret(number)
        if len(number) == 9 or not number:
            return siren(number)
        if not _is_digits(number):
            _fail(
                _("A French company number has only digits; %(value)s has other characters."),
                "invalid_format",
                value=number,
            )
        _fail(
            _(
                "A French company number is a SIREN (9 digits) or a SIRET (14 digits); "
                "%(value)s has %(length)d digits."
            ),
            "invalid_length",
            value=number,
            length=len(number),
        )
    text = " ".join(value.split()).upper()
    if not text:
        _fail(_("Enter the company registration number."), "required")
    if not _REGISTRATION_CHARS.fullmatch(text):
        _fail(
            _(
                "A company registration number has only letters, digits, spaces and . / -; "
                "%(value)s has other characters."
            ),
            "invalid_format",
            value=text,
        )
    if not any(char.isdigit() for char in text):
        _fail(
            _("%(value)s has no digits: enter the number, not the register's name."),
            "invalid_format",
            value=text,
        )
    shortest, longest = _REGISTRATION_LENGTH
    if not shortest <= len(text) <= longest:
        _fail(
            _("A company registration number has %(min)d to %(max)d characters, not %(length)d."),
            "invalid_length",
            min=shortest,
            max=longest,
            length=len(text),
        )
    return text
