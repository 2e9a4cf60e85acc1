"""Device identifiers recorded at dispatch: one IMEI or serial number per unit shipped.

The rule, applied to what the seller types for each unit:

- a value of 15 digits, once spaces and dashes are taken out, is an IMEI: it must pass
  ``platform.identifiers.imei`` (Luhn check digit included) and is kept as 15 digits;
- anything else is a serial number: 4 to 30 letters, digits or dashes, kept in capitals;
- every unit of every line gets exactly one, and no value appears twice in the order.

Every refusal names the item and the unit, so a seller with ten units knows which to fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError

from recommerce.orders.models import Order, OrderLine, UnitIdentifier
from recommerce.platform.identifiers import imei

Kind = UnitIdentifier.Kind
_SEPARATORS = re.compile(r"[\s-]+")
_SERIAL = re.compile(r"[A-Z0-9-]{4,30}")


def unit_identifier_parse(value: str) -> tuple[str, str]:
    """Return ``(kind, normalised value)`` for what was typed for one unit.

    Raises ``ValidationError`` with a sentence that says what is wrong.
    """
    typed = value.strip()
    if not typed:
        raise ValidationError("Enter the unit's IMEI or serial number.", code="required")
    compact = _SEPARATORS.sub("", typed)
    if compact.isascii() and compact.isdigit() and len(compact) == 15:
        return Kind.IMEI, imei(compact)
    serial = typed.upper()
    if not 4 <= len(serial) <= 30:
        raise ValidationError(
            f"A serial number has 4 to 30 characters; “{typed}” has {len(typed)}. "
            "An IMEI has 15 digits.",
            code="invalid_length",
        )
    if not _SERIAL.fullmatch(serial):
        raise ValidationError(
            f"A serial number has only letters, digits and dashes; “{typed}” has other characters.",
            code="invalid_format",
        )
    return Kind.SERIAL, serial


def _unit_name(line: OrderLine, position: int) -> str:
    return f"{line.title}, unit {position}" if line.quantity > 1 else line.title


def units_check(*, order: Order, units: Mapping[int, Sequence[str]]) -> list[UnitIdentifier]:
    """Return the order's unit identifiers (unsaved) from ``units``: line id → one per unit.

    Raises ``ValidationError`` under ``units`` with every problem found, each naming the
    item and unit it concerns.
    """
    lines = list(order.lines.all())
    known = {line.pk for line in lines}
    problems = [
        f"Line {line_id} is not part of order {order.number}."
        for line_id in sorted(set(units) - known, key=str)
    ]
    found: list[UnitIdentifier] = []
    seen: dict[str, str] = {}
    for line in lines:
        given = [str(v) for v in units.get(line.pk, ())]
        if len(given) != line.quantity:
            problems.append(
                f"{line.title}: give one IMEI or serial number per unit, "
                f"{line.quantity} in all ({len(given)} given)."
            )
            continue
        for position, typed in enumerate(given, start=1):
            name = _unit_name(line, position)
            try:
                kind, value = unit_identifier_parse(typed)
            except ValidationError as error:
                problems.extend(f"{name}: {message}" for message in error.messages)
                continue
            if value in seen:
                problems.append(
                    f"{name}: {value} is already given for {seen[value]}; each device has its own."
                )
                continue
            seen[value] = name
            found.append(UnitIdentifier(line=line, kind=kind, value=value, position=position))
    if problems:
        raise ValidationError({"units": problems})
    return found


def order_units_record(*, order: Order, units: Mapping[int, Sequence[str]]) -> None:
    """Record the identifiers of every unit of a locked order that is being shipped."""
    UnitIdentifier.objects.bulk_create(units_check(order=order, units=units))
