"""Phone numbers, normalised to E.164."""

from __future__ import annotations

from typing import NoReturn

import phonenumbers
from django.utils.translation import gettext_lazy as _

from recommerce.platform.identifiers._base import _country_name, _fail


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
