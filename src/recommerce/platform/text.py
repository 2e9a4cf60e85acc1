"""Text that people type: refuse the characters that corrupt or spoof it.

One rule for every API string and every form text field. Refused:

- control characters (Unicode category Cc: C0, DEL, C1), which PostgreSQL refuses (NUL)
  or which break exports, mails and logs; a field that allows multi-line text keeps
  tab, line feed and carriage return;
- format characters (Cf): bidirectional overrides, embeddings, isolates and marks, zero-width
  spaces, soft hyphens, byte-order marks, tags: invisible, they make one text read as
  another (``Ev\u202eliv`` displays reversed). The zero-width joiner and non-joiner stay:
  Persian, Indic scripts and emoji sequences need them;
- lone surrogates (Cs), which no encoder accepts, and the line and paragraph separators
  (Zl, Zp), which some readers take for a line break in a single-line value.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from pydantic import Field

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_JOINERS = frozenset({"\u200c", "\u200d"})
_LINE_BREAKS = frozenset({"\t", "\n", "\r"})


class MultiLine:
    """Mark a text field that may hold several lines (tab, line feed, carriage return)."""

    def __repr__(self) -> str:
        return "MultiLine()"


MULTILINE = MultiLine()
MultiLineText = Annotated[
    str, MULTILINE, Field(json_schema_extra={"x-multiline": True}, description="Multi-line text.")
]
"""A ``str`` annotation for API input fields that take multi-line text (``x-multiline``)."""


def unsafe_character(value: str, *, multiline: bool = False) -> str | None:
    """Return the first refused character of ``value``, or None when the text is clean."""
    if value.isascii() and value.isprintable():
        return None  # the common case, decided without a look-up per character
    for char in value:
        if char in _JOINERS or (multiline and char in _LINE_BREAKS):
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return char
    return None


def describe(char: str) -> str:
    """Name a character for an error message: ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(char, "")
    code = f"U+{ord(char):04X}"
    return f"{code} {name}" if name else code


def unsafe_text_message(char: str) -> str:
    """Return the message shown for a refused character."""
    return (
        f"Remove the invisible control or formatting character {describe(char)}: "
        "this field takes plain text."
    )


def unsafe_text_in(value: Any, *, multiline: bool = False) -> str | None:
    """Return the first refused character in ``value`` or anything it contains (keys too)."""
    if isinstance(value, str):
        return unsafe_character(value, multiline=multiline)
    if isinstance(value, dict):
        for key, item in value.items():
            found = unsafe_text_in(key) or unsafe_text_in(item, multiline=multiline)
            if found:
                return found
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            found = unsafe_text_in(item, multiline=multiline)
            if found:
                return found
    return None


@deconstructible
class SafeTextValidator:
    """Refuse control and invisible formatting characters (see the module's docstring)."""

    code = "unsafe_character"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        char = unsafe_text_in(value, multiline=self.multiline)
        if char is not None:
            raise ValidationError(unsafe_text_message(char), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SafeTextValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))
