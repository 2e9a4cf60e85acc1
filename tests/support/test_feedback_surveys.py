"""Satisfaction surveys: offered once after a delivery or a closed claim, never to a person
who objected to surveys (CONSENT-7), answered once, only by their person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from recommerce.accounts.models import User
from recommerce.privacy import purposes
from recommerce.privacy.models import ProcessingLimit
from recommerce.privacy.services.limits import processing_limit_set
from recommerce.support.models import Claim, Survey
from recommerce.support.services import feedback as services
from tests.support.feedback_fixtures import Feedback, feedback_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 10, 9, 0, tzinfo=dt.UTC)


def offer(capture: Any) -> int:
    with time_machine.travel(NOW, tick=False), capture(execute=True):
        return services.surveys_offer_due()


def closed_claim(world: Feedback, buyer: User, closed_at: dt.datetime) -> Claim:
    order = world.delivered(buyer, delivered_at=closed_at - dt.timedelta(days=20))
    return Claim.objects.create(
        reference=f"CL-TEST{order.pk:04d}",
        order=order,
        buyer=buyer,
        kind=Claim.Kind.values[0],
        status=Claim.Status.CLOSED,
        requested=Claim.Resolution.values[0],
        window_closes_on=closed_at.date(),
        closed_at=closed_at,
    )


def test_a_delivery_and_a_closed_claim_get_one_survey_each(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    order = feedback.delivered(delivered_at=NOW - dt.timedelta(days=2))
    feedback.delivered(delivered_at=NOW - dt.timedelta(days=8))  # too old
    claim = closed_claim(feedback, feedback.buyer, NOW - dt.timedelta(days=1))
    assert offer(django_capture_on_commit_callbacks) == 2
    delivery = Survey.objects.get(trigger=Survey.Trigger.DELIVERY)
    after_claim = Survey.objects.get(trigger=Survey.Trigger.CLAIM_CLOSED)
    assert (delivery.order, delivery.person, delivery.offered_at) == (order, feedback.buyer, NOW)
    assert (after_claim.claim, after_claim.person) == (claim, feedback.buyer)
    assert len(delivery.token) == 43 and delivery.token != after_claim.token
    assert sorted(m.subject for m in mail.outbox) == ["Recommerce: How did it go?"] * 2
    assert any(f"/account/support/surveys/{delivery.token}/" in m.body for m in mail.outbox)
    mail.outbox.clear()
    assert offer(django_capture_on_commit_callbacks) == 0
    assert Survey.objects.count() == 2
    assert mail.outbox == []


def test_a_person_who_objected_to_surveys_is_not_asked(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    processing_limit_set(
        user=feedback.buyer, purpose=purposes.SURVEYS, kind=ProcessingLimit.Kind.OBJECTION
    )
    feedback.delivered(delivered_at=NOW - dt.timedelta(days=1))
    closed_claim(feedback, feedback.buyer, NOW - dt.timedelta(hours=3))
    feedback.delivered(feedback.other_buyer, delivered_at=NOW - dt.timedelta(days=1))
    assert offer(django_capture_on_commit_callbacks) == 1
    assert list(Survey.objects.values_list("person__email", flat=True)) == ["bob@example.com"]
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]


def test_erased_or_inactive_people_are_not_asked(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    feedback.delivered(delivered_at=NOW - dt.timedelta(days=1))
    feedback.delivered(feedback.other_buyer, delivered_at=NOW - dt.timedelta(days=1))
    User.objects.filter(pk=feedback.buyer.pk).update(email="x1@erased.invalid", is_active=False)
    User.objects.filter(pk=feedback.other_buyer.pk).update(is_active=False)
    assert offer(django_capture_on_commit_callbacks) == 0
    assert Survey.objects.count() == 0
    assert mail.outbox == []


def test_a_survey_is_answered_once_by_its_person(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    feedback.delivered(delivered_at=NOW - dt.timedelta(days=1))
    offer(django_capture_on_commit_callbacks)
    survey = Survey.objects.get()
    url = f"/account/support/surveys/{survey.token}/"
    other = Client()
    other.force_login(feedback.other_buyer)
    assert other.get(url).status_code == 404
    assert other.post(url, {"nps": "0", "satisfaction": "1"}).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in
    with pytest.raises(PermissionError):
        services.survey_answer(
            token=survey.token, nps=1, satisfaction=1, easy=None, person=feedback.other_buyer
        )
    survey.refresh_from_db()
    assert survey.answered_at is None
    client = Client()
    client.force_login(feedback.buyer)
    assert client.get(url).status_code == 200
    answer = client.post(
        url, {"nps": "9", "satisfaction": "4", "easy": "yes", "comment": "Quick delivery"}
    )
    assert answer.status_code == 302
    survey.refresh_from_db()
    assert (survey.nps, survey.satisfaction, survey.easy, survey.comment) == (
        9,
        4,
        True,
        "Quick delivery",
    )
    with pytest.raises(ValidationError) as refused:
        services.survey_answer(token=survey.token, nps=0, satisfaction=1, easy=False)
    assert refused.value.messages == ["This survey is already answered. Thank you!"]
    client.post(url, {"nps": "0", "satisfaction": "1", "easy": "no"})
    survey.refresh_from_db()
    assert (survey.nps, survey.satisfaction, survey.easy) == (9, 4, True)


def test_answers_out_of_range_are_refused(
    feedback: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    feedback.delivered(delivered_at=NOW - dt.timedelta(days=1))
    offer(django_capture_on_commit_callbacks)
    survey = Survey.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.survey_answer(token=survey.token, nps=11, satisfaction=0, easy=None)
    assert refused.value.message_dict == {
        "nps": ["Choose a number from 0 to 10."],
        "satisfaction": ["Choose how satisfied you are, from 1 to 5."],
    }
    survey.refresh_from_db()
    assert survey.answered_at is None
