"""Condition grades and the minimums every offer guarantees."""

from __future__ import annotations

from django.db import models

MIN_WARRANTY_MONTHS = 12
MIN_BATTERY_HEALTH_PCT = 80


class Grade(models.TextChoices):
    PREMIUM = "premium", "Premium"
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"


GRADE_DEFINITIONS: dict[str, str] = {
    Grade.PREMIUM: "Flawless, with genuine manufacturer parts and battery.",
    Grade.EXCELLENT: "Micro-scratches invisible at 20 cm; none on the screen.",
    Grade.GOOD: "Scratches invisible at 50 cm; none on the screen.",
    Grade.FAIR: "Visible scratches and dents; light scratches on the screen.",
}
EVERY_GRADE_PROMISE = (
    f"Fully functional, tested, battery health at least {MIN_BATTERY_HEALTH_PCT} % and a "
    f"warranty of at least {MIN_WARRANTY_MONTHS} months."
)
GRADE_ORDER: tuple[str, ...] = tuple(g.value for g in Grade)
