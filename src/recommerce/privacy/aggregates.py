"""Small-group suppression for the figures staff see (RETAIN-2).

A count over fewer than ``settings.PRIVACY_MIN_GROUP`` people can single someone out ("the
one erasure request from Lyon"), so such a group is shown as "fewer than N" with no number.
Hiding one group is not enough when the others and their total are shown: subtraction gives
it back. Whenever exactly one group is hidden, the smallest shown group is hidden with it,
so only the sum of the two can be derived, and that sum is never below the threshold. A
total counts each person once, however many groups they are in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, slots=True)
class Group:
    """One line of an aggregate: its label and its count, or no count when suppressed.

    ``secondary`` marks a group hidden only so that a small one cannot be derived: its own
    count is not small, so it must not be described as "fewer than N".
    """

    label: str
    count: int | None
    suppressed: bool
    secondary: bool = False


def _threshold(threshold: int | None) -> int:
    return settings.PRIVACY_MIN_GROUP if threshold is None else threshold


def suppress_small(counts: Mapping[str, int], *, threshold: int | None = None) -> list[Group]:
    """Return ``counts`` as groups, in order, hiding any group too small to publish.

    A group of fewer than ``threshold`` people (default ``settings.PRIVACY_MIN_GROUP``)
    has no count. If that hides exactly one group while others stay shown, the smallest
    shown group (the first of equals) is hidden too, so the total cannot reveal it.
    """
    limit = _threshold(threshold)
    small = {label for label, count in counts.items() if count < limit}
    shown = [
        (count, index, label)
        for index, (label, count) in enumerate(counts.items())
        if label not in small
    ]
    secondary = {min(shown)[2]} if len(small) == 1 and shown else set()
    return [
        Group(label, None, True, secondary=label in secondary)
        if label in small | secondary
        else Group(label, count, False)
        for label, count in counts.items()
    ]


def suppressed_total(total: int, *, label: str = "Total", threshold: int | None = None) -> Group:
    """Return a table's ``total`` (people, each counted once), hidden below the threshold:
    "fewer than N people asked anything" is itself a group small enough to point at someone.
    """
    if total < _threshold(threshold):
        return Group(label, None, True)
    return Group(label, total, False)
