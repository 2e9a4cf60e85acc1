"""Bank account numbers (IBAN)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.exceptions import (
    InvalidChecksum,
)
from stdnum.exceptions import ValidationError as StdnumError

from recommerce.platform.identifiers._base import _country_name, _fail

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
