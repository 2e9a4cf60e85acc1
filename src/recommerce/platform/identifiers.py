"""Normalise identifiers typed by people: VAT, SIREN/SIRET, IBAN, phone numbers, IMEI.

Each function returns the normalised value or raises Django's ``ValidationError`` with a
message that says what is wrong and one of these codes:

``required``          nothing was typed
``invalid_format``    characters or structure the identifier cannot have
``invalid_length``    the right characters, the wrong count
``bad_checksum``      check digits that do not match (usually a typing mistake)
``invalid_component`` a part that refers to nothing (e.g. an unknown VAT number suffix)
``missing_country``   no country prefix or region, so the number cannot be read
``unknown_country``   a country code that is unknown or not covered
``country_mismatch``  the prefix typed and the country given disagree
``not_a_number``      (phone) no phone number can be read from the text
``too_short``         (phone) fewer digits than any number of that country
``too_long``          (phone) more digits than any number of that country
``invalid``           (phone) digits that are not in that country's numbering plan

The checks are offline (format and check digits). Whether a VAT number is actually
registered is a question for the ``vat_lookup`` provider.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_stubs_ext import StrOrPromise
from stdnum import iban as stdnum_iban
from stdnum import imei as stdnum_imei
from stdnum import luhn, numdb
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.gb import vat as gb_vat

__all__ = [
    "VatNumber",
    "company_registration",
    "iban",
    "iban_display",
    "imei",
    "phone_number",
    "siren",
    "siret",
    "vat_number",
]


def _fail(message: StrOrPromise, code: str, /, **params: object) -> NoReturn:
    raise ValidationError(message, code=code, params=params)


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts "²" and Arabic-Indic digits, which no register issues.
    return text.isascii() and text.isdigit()


def _country_name(code: str) -> str:
    # Two VAT prefixes are not ISO codes: EL is Greece, XI is Northern Ireland (part of GB).
    if code == "XI":
        return str(_("Northern Ireland"))
    code = {"EL": "GR"}.get(code, code)
    return countries.name(code) or code


_SEPARATORS = re.compile(r"[\s\-./,:]+")


# --- VAT numbers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VatNumber:
    """A VAT number that passed its country's format and check-digit rules."""

    country: str
    """ISO 3166-1 alpha-2 code of the issuing country (``GR`` for Greece, ``GB`` for XI)."""
    number: str
    """Compact form with the VAT prefix, e.g. ``FR40303265045``, ``EL094259216``."""
    display: str
    """The form to show people, e.g. ``GB 980 7806 84``, ``CHE-107.787.577 IVA``."""

    @property
    def prefix(self) -> str:
        """Return the two-letter VAT prefix (``EL`` for Greece, ``XI`` for Northern Ireland)."""
        return self.number[:2]

    @property
    def local(self) -> str:
        """Return the number without its prefix, as VIES expects it."""
        return self.number[2:]

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True, slots=True)
class _VatScheme:
    country: str
    prefix: str
    validate: Callable[[str, str], str]
    """Take (prefix, local part) and return the compact local part, or raise stdnum's error."""
    display: Callable[[str, str], str]


def _eu_validate(prefix: str, local: str) -> str:
    return eu_vat.validate(prefix + local)[2:]


def _gb_validate(prefix: str, local: str) -> str:
    return gb_vat.validate(local)


def _ch_validate(prefix: str, local: str) -> str:
    # Swiss numbers are written "CHE-…": the "E" belongs to the number, not the prefix.
    return ch_vat.validate("CHE" + local.removeprefix("E"))[2:]


def _plain_display(prefix: str, local: str) -> str:
    return prefix + local


def _gb_display(prefix: str, local: str) -> str:
    return f"{prefix} {gb_vat.format(local)}"


def _ch_display(prefix: str, local: str) -> str:
    return ch_vat.format(prefix + local)


def _vat_schemes() -> dict[str, _VatScheme]:
    schemes = {
        code.upper(): _VatScheme(code.upper(), code.upper(), _eu_validate, _plain_display)
        for code in eu_vat.MEMBER_STATES
        if code not in {"gr", "xi"}
    }
    greece = _VatScheme("GR", "EL", _eu_validate, _plain_display)
    schemes |= {
        # People type GR for Greece; VIES and invoices use EL.
        "EL": greece,
        "GR": greece,
        "XI": _VatScheme("GB", "XI", _eu_validate, _gb_display),
        "GB": _VatScheme("GB", "GB", _gb_validate, _gb_display),
        "CH": _VatScheme("CH", "CH", _ch_validate, _ch_display),
    }
    return schemes


_VAT_SCHEMES = _vat_schemes()
"""Every prefix (and country code) accepted, mapped to how its numbers are checked."""


def vat_number(value: str, *, country: str | None = None) -> VatNumber:
    """Validate a VAT number of an EU member state, the United Kingdom or Switzerland.

    ``country`` (ISO alpha-2; ``EL`` and ``XI`` are accepted too) supplies the prefix when
    the number is typed without one, and must agree with the prefix when both are given.
    """
    text = _SEPARATORS.sub("", value).upper()
    if not text:
        _fail(_("Enter a VAT number."), "required")
    head = text[:2]
    typed = _VAT_SCHEMES.get(head)
    if country is None:
        if typed is None:
            if head.isalpha():
                _fail(
                    _(
                        "%(code)s is not the VAT prefix of an EU member state, the United "
                        "Kingdom or Switzerland."
                    ),
                    "unknown_country",
                    code=head,
                )
            _fail(
                _("Start the VAT number with its country code, such as FR or DE."),
                "missing_country",
            )
        return _vat_checked(typed, text[2:])
    expected = _VAT_SCHEMES.get(country.strip().upper())
    if expected is None:
        _fail(
            _("VAT numbers from %(code)s cannot be checked."),
            "unknown_country",
            code=country.strip().upper(),
        )
    if typed is None:
        return _vat_checked(expected, text)
    if typed.country == expected.country:
        return _vat_checked(typed, text[2:])
    try:
        # Two letters may start a French number ("K7399859412"), so a foreign-looking
        # prefix only conflicts when the whole text is not a number of the given country.
        return _vat_checked(expected, text)
    except ValidationError:
        _fail(
            _("The VAT number starts with %(prefix)s, which is not a prefix for %(country)s."),
            "country_mismatch",
            prefix=head,
            country=_country_name(expected.country),
        )


def _vat_checked(scheme: _VatScheme, local: str) -> VatNumber:
    shown = scheme.prefix + local
    where = _country_name(scheme.prefix)
    try:
        compact = scheme.validate(scheme.prefix, local)
    except InvalidLength:
        _fail(
            _("%(number)s has the wrong number of characters for a VAT number from %(country)s."),
            "invalid_length",
            number=shown,
            country=where,
        )
    except InvalidFormat:
        _fail(
            _("%(number)s does not have the format of a VAT number from %(country)s."),
            "invalid_format",
            number=shown,
            country=where,
        )
    except InvalidChecksum:
        _fail(
            _("The check digits of %(number)s do not match: look for a typing mistake."),
            "bad_checksum",
            number=shown,
        )
    except StdnumError:
        _fail(
            _("%(number)s contains a part that a VAT number from %(country)s cannot have."),
            "invalid_component",
            number=shown,
            country=where,
        )
    return VatNumber(
        country=scheme.country,
        number=scheme.prefix + compact,
        display=scheme.display(scheme.prefix, compact),
    )


# --- French company numbers -----------------------------------------------------------------


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


# --- IBAN ---------------------------------------------------------------------------------

_IBAN_REGISTRY = numdb.get("iban")
_BBAN_PART_LENGTH = re.compile(r"(\d+)!")


def iban(value: str) -> str:
    """Validate an IBAN (country format and check digits) and return it compact, uppercase."""
    number = stdnum_iban.compact(value)
    if not number:
        _fail(_("Enter an IBAN."), "required")
    if not re.fullmatch(r"[A-Z0-9]+", number):
        _fail(_("An IBAN has only letters and digits."), "invalid_format")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}.*", number):
        _fail(
            _("An IBAN starts with a country code and two check digits, such as FR76."),
            "invalid_format",
        )
    code = number[:2]
    found = _IBAN_REGISTRY.info(number)[0][1]
    if not found:
        _fail(_("%(code)s is not a country that issues IBANs."), "unknown_country", code=code)
    expected = 4 + sum(int(n) for n in _BBAN_PART_LENGTH.findall(str(found.get("bban", ""))))
    if len(number) != expected:
        _fail(
            _("An IBAN from %(country)s has %(expected)d characters; this one has %(length)d."),
            "invalid_length",
            country=_country_name(code),
            expected=expected,
            length=len(number),
        )
    try:
        return stdnum_iban.validate(number)
    except InvalidChecksum:
        _fail(
            _("The check digits of this IBAN do not match: look for a typing mistake."),
            "bad_checksum",
        )
    except StdnumError:
        _fail(
            _("This IBAN does not have the format of an account in %(country)s."),
            "invalid_format",
            country=_country_name(code),
        )


def iban_display(value: str) -> str:
    """Return an IBAN in groups of four characters, e.g. ``FR76 3000 6000 0112 3456 7890 189``.

    Formatting only: pass the value through ``iban`` first if it has not been validated.
    """
    return stdnum_iban.format(value)


# --- Phone numbers ------------------------------------------------------------------------


def phone_number(value: str, *, region: str | None = None) -> str:
    """Validate a phone number and return it in E.164 form (``+33612345678``).

    ``region`` (ISO alpha-2) is where a number typed without ``+`` and a country calling
    code is read from; a number with one is checked for its own country. A region without
    numbering data is ignored, so only international numbers pass there.
    """
    text = value.strip()
    if not text:
        _fail(_("Enter a phone number."), "required")
    default = region.strip().upper() if region else None
    if default not in phonenumbers.SUPPORTED_REGIONS:
        # Without numbering data for the region, only numbers with +country code can be read.
        default = None
    try:
        parsed = phonenumbers.parse(text, default)
    except phonenumbers.NumberParseException as exc:
        _phone_parse_failed(exc.error_type, text, default)
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    reasons = phonenumbers.ValidationResult
    if reason == reasons.TOO_SHORT:
        _fail(_("%(value)s is too short to be a phone number."), "too_short", value=text)
    if reason == reasons.TOO_LONG:
        _fail(_("%(value)s is too long to be a phone number."), "too_long", value=text)
    if not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
        known = where in phonenumbers.SUPPORTED_REGIONS
        if reason == reasons.IS_POSSIBLE_LOCAL_ONLY:
            _fail(_("%(value)s lacks its area code."), "too_short", value=text)
        if reason == reasons.INVALID_LENGTH and known:
            _fail(
                _("%(value)s has the wrong number of digits for a phone number in %(country)s."),
                "invalid_length",
                value=text,
                country=_country_name(where),
            )
        if known:
            _fail(
                _("%(value)s is not a valid phone number for %(country)s."),
                "invalid",
                value=text,
                country=_country_name(where),
            )
        _fail(_("%(value)s is not a valid phone number."), "invalid", value=text)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _phone_parse_failed(error_type: int, text: str, region: str | None) -> NoReturn:
    errors = phonenumbers.NumberParseException
    if error_type == errors.INVALID_COUNTRY_CODE:
        if region is None and not text.startswith("+"):
            _fail(
                _("Start the number with + and its country calling code, such as +33."),
                "missing_country",
            )
        _fail(
            _("%(value)s does not start with a known country calling code."),
            "unknown_country",
            value=text,
        )
    if error_type == errors.NOT_A_NUMBER:
        _fail(_("%(value)s is not a phone number."), "not_a_number", value=text)
    if error_type == errors.TOO_LONG:
        _fail(_("%(value)s is too long to be a phone number."), "too_long", value=text)
    _fail(_("%(value)s is too short to be a phone number."), "too_short", value=text)


# --- IMEI ---------------------------------------------------------------------------------


def imei(value: str) -> str:
    """Validate a 15-digit IMEI (8-digit TAC, 6-digit serial, Luhn check digit)."""
    number = stdnum_imei.compact(value)
    if not number:
        _fail(_("Enter an IMEI."), "required")
    if not _is_digits(number):
        _fail(
            _("An IMEI has only digits; %(value)s has other characters."),
            "invalid_format",
            value=number,
        )
    if len(number) != 15:
        _fail(
            _("An IMEI has 15 digits (dial *#06# to show it); %(value)s has %(length)d."),
            "invalid_length",
            value=number,
            length=len(number),
        )
    if not luhn.is_valid(number):
        _fail(
            _("The check digit of IMEI %(value)s does not match: look for a typing mistake."),
            "bad_checksum",
            value=number,
        )
    return number
