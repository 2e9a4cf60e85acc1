"""Device identifiers (IMEI)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from stdnum import imei as stdnum_imei
from stdnum import luhn

from recommerce.platform.identifiers._base import _fail, _is_digits


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
