"""Hide contact and payment details in messages between buyers and sellers.

Buyers and sellers talk through the platform so that a sale, its claim and its refund
stay under the buyer protections; a phone number, an email address, a bank account or a
card number in a message invites a deal outside them (and card numbers must never be
stored, COLLECT-2). ``mask_contact_details`` replaces each with a placeholder and says
which kinds it hid, so the writer can be told why.

What is hidden, in this order (a span taken by one kind is not looked at again):

- email addresses, also written to dodge a filter: ``alice at example dot com``,
  ``alice(at)example.com``, ``alice [at] example [dot] com``, ``alice arobase example
  point com``; a spelled-out form needs a known top-level domain (``com``, ``fr``…) so
  that "meet at noon.Ok" stays;
- IBANs whose check digits are right, grouped by spaces or not, any letter case;
- payment card numbers: 13 to 19 digits (spaces or dashes between groups), Luhn-valid,
  with a card network's prefix and length. Fifteen digits are a card only with an
  American Express prefix (34, 37): an IMEI has 15 Luhn-valid digits too, and no IMEI
  starts with 34 or 37;
- phone numbers that ``phonenumbers`` reads as valid for one of ``PHONE_REGIONS`` or with
  an international prefix (``+33…``, ``0033…``), except what only looks like one: fewer
  than 8 digits, a date (``12.12.2026``), a US ZIP+4 code, an amount next to a currency,
  an IMEI, more than 13 digits without an international prefix, and a bare run of
  digits with no ``+`` or leading 0 and no word such as "call" or "phone" before it (an
  order, parcel or account reference, e.g. ``4155550132``).

Order numbers (``R2612070001``), prices (``1 299,00 €``), dates, postal codes, IMEIs and
tracking numbers stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn

__all__ = ["PHONE_REGIONS", "PLACEHOLDERS", "Masked", "mask_contact_details"]

EMAIL = "email_address"
BANK = "bank_details"
CARD = "card_number"
PHONE = "phone_number"
PLACEHOLDERS = {
    EMAIL: "[email address hidden]",
    BANK: "[bank details hidden]",
    CARD: "[card number hidden]",
    PHONE: "[phone number hidden]",
}
# National numbers are read as numbers of these countries (the marketplace's markets).
PHONE_REGIONS = ("FR", "US", "GB", "DE", "ES", "IT", "BE", "NL")


@dataclass(frozen=True, slots=True)
class Masked:
    """A text with its contact details replaced, and the kinds that were hidden."""

    text: str
    kinds: tuple[str, ...]


Span = tuple[int, int, str]

# --- Email addresses ------------------------------------------------------------------------

_LOCAL = r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(
    rf"(?<![\w.%+-]){_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,24}}(?![\w-])",
)
_BRACKETED = r"\s*[(\[{<]\s*WORD\s*[)\]}>]\s*"
_AT = r"(?P<at>\s*@\s*|" + _BRACKETED.replace("WORD", "(?:at|arobase)") + r"|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\.|" + _BRACKETED.replace("WORD", "(?:dot|point)") + r"|\s+(?:dot|point)\s+)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.%+-])(?P<local>{_LOCAL}){_AT}(?:{_LABEL}{_DOT})+(?P<tld>[A-Za-z]{{2,24}})(?![\w-])",
    re.IGNORECASE,
)
_KNOWN_TLDS = frozenset(
    "com net org info biz io co me eu fr de uk es it be nl ch at lu pt ie pl se dk fi no "  # noqa: SIM905
    "us ca email online shop store app dev".split()
)
# Words that come before " at " in ordinary sentences ("bought it at shop.com").
_NOT_A_LOCAL_PART = frozenset(
    "it this that them me us you him her one is are was were be been available bought sold "  # noqa: SIM905
    "ordered found look looking listed arrived here there price priced cheaper sell selling "
    "buy buying order shop store online home work and or also only just".split()
)


def _emails(text: str) -> Iterable[Span]:
    for match in _EMAIL.finditer(text):
        yield match.start(), match.end(), EMAIL
    for match in _SPELLED_EMAIL.finditer(text):
        if match["tld"].lower() not in _KNOWN_TLDS:
            continue
        spelled_at = match["at"].strip().lower() in ("at", "arobase")
        if spelled_at and match["local"].lower() in _NOT_A_LOCAL_PART:
            continue
        yield match.start(), match.end(), EMAIL


# --- IBANs ----------------------------------------------------------------------------------

_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?=[ ]?[A-Za-z0-9])")
_IBAN_MAX = 34
_IBAN_MIN = 15


def _ibans(text: str) -> Iterable[Span]:
    for start_match in _IBAN_START.finditer(text):
        start = start_match.start()
        # Walk letters and digits (single spaces allowed between them), noting where each
        # group ends: an IBAN ends at a group's end, not inside a word that follows it.
        compact: list[str] = []
        ends: list[tuple[int, int]] = []  # (characters so far, end offset in text)
        index = start
        while index < len(text) and len(compact) < _IBAN_MAX:
            char = text[index]
            if char.isascii() and char.isalnum():
                compact.append(char.upper())
                index += 1
                if index == len(text) or not (text[index].isascii() and text[index].isalnum()):
                    ends.append((len(compact), index))
            elif char == " " and compact and index + 1 < len(text) and text[index + 1] != " ":
                index += 1
            else:
                break
        for length, end in reversed(ends):
            if length >= _IBAN_MIN and stdnum_iban.is_valid("".join(compact[:length])):
                yield start, end, BANK
                break


# --- Payment cards --------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"(?<![\w+])[0-9]+(?:[ -][0-9]+)*(?![\w])")
_DIGIT_GROUP = re.compile(r"[0-9]+")
_CARD_LENGTHS = range(13, 20)
_CARD_GROUP_MAX = 6


def _card_network(number: str) -> str:
    """Return the card network whose prefix and length ``number`` has, or ""."""
    length = len(number)
    two, three, four = int(number[:2]), int(number[:3]), int(number[:4])
    if length == 15:
        # An IMEI also has 15 Luhn-valid digits: only American Express's prefixes count.
        return "amex" if two in (34, 37) else ""
    if number[0] == "4" and length in (13, 16, 19):
        return "visa"
    if length == 16 and (51 <= two <= 55 or 2221 <= four <= 2720):
        return "mastercard"
    if 16 <= length <= 19:
        if four == 6011 or two == 65 or 644 <= three <= 649:
            return "discover"
        if 3528 <= four <= 3589:
            return "jcb"
        if two == 62:
            return "unionpay"
        if 2200 <= four <= 2204:
            return "mir"
    if 14 <= length <= 19 and (two in (36, 38, 39) or 300 <= three <= 305):
        return "diners"
    if two == 50 or 56 <= two <= 69:
        return "maestro"
    return ""


def _cards(text: str) -> Iterable[Span]:
    # A card number may sit in a longer run of digit groups ("4111 1111 1111 1111 12 28",
    # its expiry after it): every run of consecutive groups is tried, the longest first.
    # Grouped, a card number is written in groups of at most 6 digits (4-4-4-4, 4-6-5), so
    # an IMEI written next to a phone number is not read as one.
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (run.start() + g.start(), run.start() + g.end())
            for g in _DIGIT_GROUP.finditer(run.group())
        ]
        first = 0
        while first < len(groups):
            digits = ""
            last_valid = -1
            for last in range(first, len(groups)):
                digits += text[groups[last][0] : groups[last][1]]
                if len(digits) > _CARD_LENGTHS[-1]:
                    break
                widest = max(end - start for start, end in groups[first : last + 1])
                if last > first and widest > _CARD_GROUP_MAX:
                    break
                if len(digits) in _CARD_LENGTHS and luhn.is_valid(digits) and _card_network(digits):
                    last_valid = last
            if last_valid < 0:
                first += 1
                continue
            yield groups[first][0], groups[last_valid][1], CARD
            first = last_valid + 1


# --- Phone numbers --------------------------------------------------------------------------

# What is blanked out before phone numbers are looked for, so that a number written next
# to it is neither hidden with it nor missed: dates, times, amounts, IMEIs, ZIP+4 codes.
_PROTECTED = re.compile(
    r"(?<![\d./-])\d{1,4}([./-])\d{1,2}\1(?:\d{4}|\d{2})(?![./-]?\d)"  # 12.12.2026
    r"|(?<!\d)\d{1,2}[:h]\d{2}(?!\d)"  # 10:30, 10h30
    r"|[€$£]\s?\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d{1,2})?"  # €1,299.00
    r"|(?<![\d.,])(?:\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,]\d{1,2})?"
    r"[ \u00a0\u202f]?(?:[€$£]|(?:eur|euros?|usd|gbp|dollars?)\b)"  # 1 299,00 €
    r"|(?<![\w-])\d{2}[ -]?\d{6}[ -]?\d{6}[ -]?\d(?![\w-])"  # an IMEI, checked below
    r"|(?<![\w-])\d{5}-\d{4}(?![\w-])",  # ZIP+4
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{1,4}([./-])\d{1,2}\1\d{1,4}")
_PHONE_WORDS = re.compile(
    r"\b(?:call|phone|tel|telephone|téléphone|mobile|cell|text|sms|whatsapp|signal|telegram"
    r"|appel\w*|portable|joindre|contact\w*)\b",
    re.IGNORECASE,
)
_PHONE_CONTEXT = 40
_IMEI_LENGTH = 15
_MIN_PHONE_DIGITS = 8
# The longest national number in PHONE_REGIONS, trunk 0 included (Germany); a longer run
# typed without an international prefix is a reference.
_MAX_NATIONAL_DIGITS = 13
_MAX_PHONE_DIGITS = 17  # 00 + 15 digits of E.164
# Digit groups a phone number can be written in: "+33", "(415)", "(0)6", "06", joined by
# spaces, dots or dashes.
_GROUP = r"(?:\+|\(\+?)?\d+(?![^\W\d])\)?"
_PHONE_RUN = re.compile(rf"(?<![\w+]){_GROUP}(?:(?:[ \t\u00a0\u202f.-]{{1,3}}|(?<=\))){_GROUP})*")
_PHONE_GROUP = re.compile(r"(?:\+|\(\+?)?\d+\)?")


def _blanked(text: str, taken: Iterable[Span]) -> str:
    """Return ``text`` with protected and already hidden spans overwritten, offsets kept."""
    chars = list(text)
    spans = [(start, end) for start, end, _ in taken]
    for match in _PROTECTED.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        is_imei_shape = len(digits) == _IMEI_LENGTH and match.group()[:1].isdigit()
        if is_imei_shape and not luhn.is_valid(digits):
            continue
        spans.append(match.span())
    for start, end in spans:
        chars[start:end] = "x" * (end - start)
    return "".join(chars)


def _only_looks_like_a_phone(text: str, start: int, end: int, raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if not _MIN_PHONE_DIGITS <= len(digits) <= _MAX_PHONE_DIGITS:
        return True
    if len(digits) == _IMEI_LENGTH and luhn.is_valid(digits):
        return True
    if _DATE.fullmatch(raw):
        return True
    if len(digits) > _MAX_NATIONAL_DIGITS and not raw.startswith(("+", "00", "(+")):
        return True
    if raw.isdigit() and not raw.startswith("0"):
        # A bare run of digits is a reference unless the words before it speak of a phone.
        return _PHONE_WORDS.search(text[max(0, start - _PHONE_CONTEXT) : start]) is None
    return False


def _valid_phone(raw: str) -> phonenumbers.PhoneNumber | None:
    for region in PHONE_REGIONS:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return number
    return None


def _grouped_as_written(raw: str, number: phonenumbers.PhoneNumber) -> bool:
    """Return whether ``raw`` groups its digits as the number's country writes them.

    A single group of bare digits passes: the words before it decide
    (``_only_looks_like_a_phone``).
    """
    if raw.isdigit():
        return True
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    groups = [len(group) for group in re.findall(r"\d+", raw)]
    return groups == [len(group) for group in re.findall(r"\d+", national)]


def _priority(raw: str) -> int:
    # "+33…" and "0033…" say outright that they are phone numbers, a trunk 0 or an area
    # code in brackets nearly so: within one run of digits they win over other readings.
    if raw.startswith(("+", "(+", "00")):
        return 0
    return 1 if raw.startswith(("0", "(")) else 2


def _phones_in_runs(text: str, blanked: str, taken: list[Span]) -> list[Span]:
    """Find phone numbers among runs of digit groups, whatever stands next to them.

    ``PhoneNumberMatcher`` reads a whole run of digits as one candidate, so a number
    written after another figure ("13 06 12 34 56 78") escapes it: here each window of
    consecutive groups is tried.
    """
    found: list[Span] = []
    for run in _PHONE_RUN.finditer(blanked):
        groups = [
            (run.start() + g.start(), run.start() + g.end())
            for g in _PHONE_GROUP.finditer(run.group())
        ]
        # A long run is a reference (a parcel, an account) unless a window of it is a
        # phone number grouped the way its country writes them.
        long_run = sum(c.isdigit() for c in run.group()) > _MAX_PHONE_DIGITS
        candidates: list[tuple[int, int, int, int]] = []
        for first in range(len(groups)):
            for last in range(first, len(groups)):
                start, end = groups[first][0], groups[last][1]
                raw = text[start:end]
                if sum(c.isdigit() for c in raw) > _MAX_PHONE_DIGITS:
                    break
                if _only_looks_like_a_phone(text, start, end, raw):
                    continue
                number = _valid_phone(raw)
                if number is None:
                    continue
                priority = _priority(raw)
                strict = priority == 2 or (long_run and priority == 1)
                if strict and not _grouped_as_written(raw, number):
                    continue
                candidates.append((priority, start - end, start, end))
        for _, _, start, end in sorted(candidates):
            span = (start, end, PHONE)
            if not _overlaps(span, taken) and not _overlaps(span, found):
                found.append(span)
    return found


def _phones(text: str, taken: list[Span]) -> list[Span]:
    blanked = _blanked(text, taken)
    found: list[Span] = []
    for region in PHONE_REGIONS:
        matcher = phonenumbers.PhoneNumberMatcher(
            blanked, region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            span = (match.start, match.end, PHONE)
            raw = text[match.start : match.end]
            if _overlaps(span, found) or _only_looks_like_a_phone(
                text, match.start, match.end, raw
            ):
                continue
            if _priority(raw) == 2 and not _grouped_as_written(raw, match.number):
                continue
            found.append(span)
    return found + _phones_in_runs(text, blanked, [*taken, *found])


# --- Putting it together --------------------------------------------------------------------


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in spans)


def mask_contact_details(text: str) -> Masked:
    """Return ``text`` with phone numbers, emails, IBANs and card numbers replaced.

    Each is replaced by its placeholder (``PLACEHOLDERS``); ``kinds`` lists the kinds
    hidden, each once, in the order email address, bank details, card number, phone number.
    Rules and what stays: module docstring.
    """
    taken: list[Span] = []
    for detector in (_emails, _ibans, _cards):
        for span in detector(text):
            if not _overlaps(span, taken):
                taken.append(span)
    taken.extend(_phones(text, taken))
    if not taken:
        return Masked(text=text, kinds=())
    pieces: list[str] = []
    position = 0
    for start, end, kind in sorted(taken):
        pieces.append(text[position:start])
        pieces.append(PLACEHOLDERS[kind])
        position = end
    pieces.append(text[position:])
    present = {kind for _, _, kind in taken}
    return Masked(text="".join(pieces), kinds=tuple(k for k in PLACEHOLDERS if k in present))
