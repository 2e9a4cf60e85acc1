"""What changed between two renders of the notice, as lines of text a person can check.

The notice's templates put each paragraph and table row on its own line, so a line diff of
their text is a readable list of what was added and what was removed.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import strip_tags

_BREAK = re.compile(r"<br\s*/?>|</t[hd]>|</p>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Change:
    sign: str  # "+" added, "-" removed
    text: str


def text_lines(fragment: str) -> list[str]:
    """Return the readable text of each line of an HTML fragment, empty lines left out."""
    lines = []
    for line in fragment.splitlines():
        text = html.unescape(strip_tags(_BREAK.sub(" · ", line))).replace("•", "")
        text = _SPACES.sub(" ", text).strip(" ·")
        if text:
            lines.append(text)
    return lines


def notice_diff(old: str, new: str) -> list[Change]:
    """Return the lines removed from ``old`` and added in ``new``, in reading order."""
    changes = []
    for line in difflib.unified_diff(text_lines(old), text_lines(new), n=0, lineterm=""):
        if line.startswith(("---", "+++", "@@")):
            continue
        changes.append(Change(sign=line[0], text=line[1:]))
    return changes
