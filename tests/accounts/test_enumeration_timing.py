"""Sign-in takes as long for an unknown address as for a known one (SEC-2: no enumeration).

A backend that skipped the password hash for unknown addresses would answer them about ten
times faster than known ones; medians of several tries make the check stable.
"""

from __future__ import annotations

import statistics
import time

import pytest
from django.test import override_settings

from tests.accounts.conftest import make_user

pytestmark = pytest.mark.django_db
TRIES = 5


def median_ms(client, email: str) -> float:
    timings = []
    for _ in range(TRIES):
        started = time.perf_counter()
        response = client.post("/account/login/", {"login": email, "password": "Wrong-pass-42"})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200  # the same form error either way
    return statistics.median(timings)


@override_settings(ACCOUNT_RATE_LIMITS=False)
def test_p_sec_2_failed_sign_in_takes_the_same_time_for_unknown_and_known_emails(client):
    make_user("known@example.com")
    median_ms(client, "warm-up@example.com")
    known = median_ms(client, "known@example.com")
    unknown = median_ms(client, "nobody@example.com")
    assert 0.5 < unknown / known < 2, (known, unknown)


@override_settings(ACCOUNT_RATE_LIMITS=False)
def test_p_sec_2_failed_sign_in_answers_the_same_for_unknown_and_known_emails(client):
    make_user("known@example.com")
    known = client.post("/account/login/", {"login": "known@example.com", "password": "x-Wrong-1"})
    unknown = client.post(
        "/account/login/", {"login": "nobody@example.com", "password": "x-Wrong-1"}
    )
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
