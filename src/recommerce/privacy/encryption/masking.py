"""Show sensitive values masked: enough to recognise them, not enough to use them."""

from __future__ import annotations

MASK_CHARACTER = "•"


def _is_separator(character: str) -> bool:
    return character.isspace() or character == "-"


def mask(value: str, *, visible: int = 4, character: str = MASK_CHARACTER) -> str:
    """Hide all but the last ``visible`` characters of ``value``, keeping spaces and dashes.

    ``mask("FR76 3000 6000 0112 3456 7890 189")`` gives
    ``"•••• •••• •••• •••• •••• •••0 189"``. At most half of the characters are ever shown,
    so a short value is never revealed whole.
    """
    if visible < 0:
        raise ValueError("visible must be zero or more.")
    significant = sum(1 for c in value if not _is_separator(c))
    to_hide = significant - min(visible, significant // 2)
    masked: list[str] = []
    for c in value:
        if to_hide and not _is_separator(c):
            masked.append(character)
            to_hide -= 1
        else:
            masked.append(c)
    return "".join(masked)
