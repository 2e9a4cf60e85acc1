"""Which uses a person can stop (CONSENT-7), and the gate code paths read."""

from __future__ import annotations

import pytest

from recommerce.privacy import purposes
from recommerce.privacy.models import ProcessingLimit
from recommerce.privacy.purposes import Family
from recommerce.privacy.selectors import people_allowed, processing_allowed
from recommerce.privacy.services.limits import (
    LimitRefused,
    limitable_purposes,
    processing_limit_lift,
    processing_limit_set,
)
from tests.accounts.conftest import make_user


def test_consent_7_marketing_can_always_be_stopped_security_and_the_contract_cannot():
    codes = {purpose.code for purpose in limitable_purposes()}
    marketing = {p.code for p in purposes.ALL if p.family is Family.MARKETING}
    assert marketing <= codes
    assert purposes.ANALYTICS.code in codes
    assert not codes & {
        purposes.FRAUD_PREVENTION.code,
        purposes.SECURITY.code,
        purposes.SERVICE_ORDERS.code,
        purposes.LEGAL_ACCOUNTING.code,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [purposes.FRAUD_PREVENTION, purposes.SERVICE_ORDERS])
def test_consent_7_an_objection_to_a_use_that_cannot_stop_is_refused(purpose):
    person = make_user()
    with pytest.raises(LimitRefused, match="cannot be stopped"):
        processing_limit_set(user=person, purpose=purpose, kind="objection")
    assert not ProcessingLimit.objects.exists()
    assert processing_allowed(user=person, purpose=purpose)


@pytest.mark.django_db
def test_consent_7_an_objection_stops_the_use_until_it_is_lifted():
    person, other = make_user(), make_user()
    processing_limit_set(user=person, purpose=purposes.MARKETING_AUDIENCES, kind="objection")
    processing_limit_set(user=person, purpose=purposes.MARKETING_AUDIENCES, kind="objection")
    assert ProcessingLimit.objects.count() == 1  # asking twice keeps one limit in force
    assert not processing_allowed(user=person, purpose=purposes.MARKETING_AUDIENCES)
    assert processing_allowed(user=person, purpose=purposes.ANALYTICS)
    everyone = {person.pk, other.pk}
    assert people_allowed(user_ids=everyone, purpose=purposes.MARKETING_AUDIENCES) == {other.pk}

    assert processing_limit_lift(user=person, purpose=purposes.MARKETING_AUDIENCES) == 1
    assert processing_allowed(user=person, purpose=purposes.MARKETING_AUDIENCES)
    assert people_allowed(user_ids=everyone, purpose=purposes.MARKETING_AUDIENCES) == everyone
