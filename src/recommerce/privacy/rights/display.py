"""Turn exported values into what a person reads, in their language: dates, amounts,
countries, yes or no, and the page's own words.

Values arrive as ``data.json`` holds them (ISO 8601 text for dates, integer minor units for
money); the summary formats them here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import translation

from recommerce.platform.money import format_money
from recommerce.privacy.notice.labels import Label
from recommerce.privacy.registry import Words

LANGUAGES = ("en", "fr")

WORDS: dict[str, Label] = {
    "title": Label("Your data at Recommerce", "Vos données chez Recommerce"),
    "prepared": Label(
        "Account number {account}, prepared on {when}.",
        "Compte numéro {account}, préparé le {when}.",
    ),
    "about": Label(
        "This page is the readable copy of your data. The complete record is in "
        "<code>data.json</code> (machine-readable, with its published JSON Schema) and, "
        "table by table, in the <code>csv/</code> folder. Files you gave us are in "
        "<code>files/</code>.",
        "Cette page est la copie lisible de vos données. L'enregistrement complet se trouve "
        "dans <code>data.json</code> (lisible par une machine, avec son schéma JSON publié) "
        "et, table par table, dans le dossier <code>csv/</code>. Les fichiers que vous nous "
        "avez confiés sont dans <code>files/</code>.",
    ),
    "contents": Label("In this copy", "Dans cette copie"),
    "nothing": Label(
        "We hold no personal data about this account.",
        "Nous ne détenons aucune donnée personnelle sur ce compte.",
    ),
    "one_record": Label("1 record", "1 enregistrement"),
    "records": Label("{count} records", "{count} enregistrements"),
    "yes": Label("Yes", "Oui"),
    "no": Label("No", "Non"),
    "you": Label("You", "Vous"),
    "another_account": Label("Another account (no. {id})", "Un autre compte (n° {id})"),
    "number": Label("No. {id}", "N° {id}"),
    "link_only": Label(
        "Nothing but its link to your account.", "Rien d'autre que son lien avec votre compte."
    ),
}

# Words a label keeps in capitals, and unit suffixes it loses ("total_minor" -> "Total").
_UPPER = {"vat": "VAT", "iban": "IBAN", "bic": "BIC", "id": "ID", "sms": "SMS", "url": "URL"}
_SUFFIXES = re.compile(r"[ _](minor|bp)$")
_DIGITS = re.compile(r"([a-z])(\d+)$")


def words(text: Words, language: str) -> str:
    """Return ``text`` in ``language`` (a plain string is the same in every language)."""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


def say(key: str, language: str, **values: Any) -> str:
    """Return one of the page's phrases, filled in (values are escaped, the phrase is not)."""
    phrase = WORDS[key].get(language)
    return phrase.format(**{k: escape(str(v)) for k, v in values.items()}) if values else phrase


@lru_cache(maxsize=1024)
def humanise(name: str) -> str:
    """Return a field or key name as a label: ``delivery_line1`` -> "Delivery line 1"."""
    text = _DIGITS.sub(r"\1 \2", _SUFFIXES.sub("", name.strip())).replace("_", " ")
    parts = [_UPPER.get(part.lower(), part) for part in text.split()]
    if not parts:
        return name
    first = parts[0]
    parts[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(parts)


def person_language(user: Any) -> str:
    """Return the person's preferred language among the summary's, else the site's."""
    language = str(getattr(user, "language", "") or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else "en"


def babel_locale(language: str) -> str:
    """Return the Babel locale for ``language``: the site's own when it speaks it."""
    default = settings.DEFAULT_LOCALE
    if default.split("_")[0] == language:
        return default
    return translation.to_locale({"fr": "fr-FR"}.get(language, language))


class Formatter:
    """Format values for one person: their language, the site's time zone."""

    def __init__(self, *, language: str, subject_pk: Any) -> None:
        self.language = language
        self.locale = babel_locale(language)
        self.subject_pk = subject_pk
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self._territories = Locale.parse(self.locale).territories
        self._joined = str(Locale.parse(self.locale).datetime_formats["medium"]).replace("'", "")
        self._yes, self._no = say("yes", language), say("no", language)

    def when(self, value: Any) -> str:
        """Return a date and time in the person's language and the site's time zone."""
        moment = value if isinstance(value, dt.datetime) else _parse_datetime(value)
        if moment is None:
            return escape(str(value))
        if moment.tzinfo is not None:
            moment = moment.astimezone(self.zone)
        return str(
            self._joined.replace("{1}", _long_date(moment.date(), self.locale)).replace(
                "{0}", _short_time(moment.hour, moment.minute, self.locale)
            )
        )

    def day(self, value: Any) -> str:
        """Return a calendar date in the person's language."""
        if isinstance(value, dt.datetime):
            return self.when(value)
        if isinstance(value, dt.date):
            return _long_date(value, self.locale)
        try:
            return _long_date(dt.date.fromisoformat(str(value)), self.locale)
        except ValueError:
            return escape(str(value))

    def money(self, value: Any, currency: str) -> str:
        """Return an amount in minor units as the shop shows prices."""
        if isinstance(value, bool) or not isinstance(value, int):
            return escape(str(value))
        return escape(format_money(value, currency, self.locale))

    def percent(self, basis_points: Any) -> str:
        """Return basis points as a percentage (2000 -> "20%")."""
        if isinstance(basis_points, bool) or not isinstance(basis_points, int):
            return escape(str(basis_points))
        return _percent(basis_points, self.locale)

    def number(self, value: int) -> str:
        return _number(value, self.locale)

    def country(self, code: str) -> str:
        return escape(str(self._territories.get(code.upper(), code)))

    def boolean(self, value: bool) -> str:
        return self._yes if value else self._no


def _parse_datetime(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


# A person's records repeat the same days and times (an order paid, accepted and shipped in
# one minute): each is formatted through Babel once.
@lru_cache(maxsize=4096)
def _long_date(day: dt.date, locale: str) -> str:
    return escape(str(format_date(day, "long", locale=locale)))


@lru_cache(maxsize=2048)
def _short_time(hour: int, minute: int, locale: str) -> str:
    return escape(str(format_time(dt.time(hour, minute), "short", locale=locale)))


@lru_cache(maxsize=1024)
def _percent(basis_points: int, locale: str) -> str:
    return escape(str(format_percent(Decimal(basis_points) / 10_000, "#,##0.##%", locale=locale)))


@lru_cache(maxsize=4096)
def _number(value: int, locale: str) -> str:
    return escape(str(format_decimal(value, locale=locale)))
