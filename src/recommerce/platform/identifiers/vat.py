"""VAT numbers: EU member states (Greece as EL), Great Britain and Switzerland."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ch import vat as ch_vat
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import vat as gb_vat

from recommerce.platform.identifiers._base import _SEPARATORS, _country_name, _fail


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
