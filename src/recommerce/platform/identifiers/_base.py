"""What every identifier check shares: the error it raises and small text helpers."""

from __future__ import annotations

import re
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_stubs_ext import StrOrPromise


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
