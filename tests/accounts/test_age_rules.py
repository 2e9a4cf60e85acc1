"""Age rules (AGE-1): sign-up refusals, minors and parental authorisation, the pure rules."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from recommerce.accounts import age
from recommerce.accounts.age import AgeBand
from recommerce.accounts.models import ParentalConsent, User
from recommerce.accounts.services.parental import (
    parental_consent_confirm,
    parental_consent_request,
)
from recommerce.accounts.services.users import (
    user_age_band,
    user_may_transact,
    user_parental_authorisation_record,
)
from recommerce.privacy.models import AuditEvent
from tests.accounts.conftest import PASSWORD, make_user

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2025, 6, 15, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()
TOO_YOUNG = "Sorry, you must be at least 13 years old to open an account."


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def signup(client: Client, email: str, **fields: str):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "Sam Leroy",
        "country": "FR",
        **fields,
    }
    return client.post("/account/signup/", data)


def counts() -> tuple[int, int]:
    return User.objects.count(), EmailAddress.objects.count()


# --- Sign-up -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("birth_date", ["2012-06-16", "2015-01-01", "2025-06-15"])
def test_p_age_1_signup_under_13_is_refused_and_stores_nothing(client, pinned, birth_date):
    before = counts()

    response = signup(client, "child@example.com", birth_date=birth_date)

    assert response.status_code == 200
    assert TOO_YOUNG in response.content.decode()
    assert counts() == before
    assert not User.objects.filter(email="child@example.com").exists()
    assert mail.outbox == []
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_p_age_1_signup_under_13_is_refused_even_with_the_adult_box_ticked(client, pinned):
    before = counts()

    response = signup(client, "child@example.com", birth_date="2013-06-16", adult_attested="on")

    assert response.status_code == 200
    assert TOO_YOUNG in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_p_age_1_signup_on_13th_birthday_opens_a_minor_account_that_cannot_transact(client, pinned):
    response = signup(client, "teen@example.com", birth_date="2012-06-15")

    assert (response.status_code, response["Location"]) == (302, "/account/confirm-email/")
    teen = User.objects.get(email="teen@example.com")
    assert (teen.birth_date, teen.country.code, teen.adult_attested_at) == (
        dt.date(2012, 6, 15),
        "FR",
        None,
    )
    assert user_age_band(user=teen) is AgeBand.MINOR
    assert user_may_transact(user=teen) is False


@pytest.mark.django_db
def test_p_age_1_parental_authorisation_lets_a_minor_transact(pinned):
    teen = make_user("teen@example.com", birth_date=dt.date(2009, 1, 20))
    assert user_may_transact(user=teen) is False

    user_parental_authorisation_record(user=teen, actor=teen, guardian_name="  Claire Leroy ")

    teen = User.objects.get(pk=teen.pk)
    assert (teen.parental_authorisation_at, teen.parental_authorisation_by) == (
        NOW,
        "Claire Leroy",
    )
    assert user_may_transact(user=teen) is True
    event = AuditEvent.objects.get()
    assert (event.action, event.subject, event.fields) == (
        "age.parental_authorisation",
        teen,
        ["parental_authorisation_at", "parental_authorisation_by"],
    )


@pytest.mark.django_db
def test_p_age_1_the_parent_authorises_through_the_emailed_link(client, pinned):
    teen = make_user("teen@example.com", full_name="Lou Leroy", birth_date=dt.date(2009, 1, 20))
    client.force_login(teen)

    own = client.post("/account/parental-authorisation/", {"guardian_email": "TEEN@example.com"})
    assert own.status_code == 400
    assert (ParentalConsent.objects.count(), mail.outbox) == (0, [])

    asked = client.post("/account/parental-authorisation/", {"guardian_email": "claire@ex.org"})
    assert (asked.status_code, asked["Location"]) == (302, "/account/profile/")
    assert user_may_transact(user=User.objects.get(pk=teen.pk)) is False  # not yet
    [message] = mail.outbox
    assert message.to == ["claire@ex.org"]
    link = re.search(r"/account/parental-consent/(\S+)/", message.body)
    assert link is not None
    token = link.group(1)
    assert not ParentalConsent.objects.filter(token_hash=token).exists()  # only its hash

    client.logout()  # the parent has no account
    page = client.get(link.group(0))
    assert page.status_code == 200 and "Lou asks you" in page.content.decode()
    unticked = client.post(link.group(0), {"guardian_name": "Claire Leroy"})
    assert unticked.status_code == 400
    assert User.objects.get(pk=teen.pk).parental_authorisation_at is None

    done = client.post(link.group(0), {"guardian_name": "Claire Leroy", "confirm": "on"})

    assert done.status_code == 200
    teen = User.objects.get(pk=teen.pk)
    assert (teen.parental_authorisation_at, teen.parental_authorisation_by) == (NOW, "Claire Leroy")
    assert user_may_transact(user=teen) is True
    event = AuditEvent.objects.get(action="age.parental_authorisation")
    assert (event.actor, event.subject) == (None, teen)
    assert client.get(link.group(0)).status_code == 404  # used once


@pytest.mark.django_db
def test_p_age_1_a_consent_link_expires_after_seven_days(client, pinned):
    teen = make_user("teen@example.com", birth_date=dt.date(2009, 1, 20))
    request = parental_consent_request(user=teen, guardian_email="claire@ex.org")
    with (
        time_machine.travel(NOW + dt.timedelta(days=7), tick=False),
        pytest.raises(ValidationError),
    ):
        parental_consent_confirm(token=request.token, guardian_name="Claire Leroy")
    assert User.objects.get(pk=teen.pk).parental_authorisation_at is None


@pytest.mark.django_db
def test_p_age_1_an_adult_cannot_ask_for_a_parental_authorisation(pinned):
    adult = make_user("adult@example.com", birth_date=dt.date(1990, 1, 1))
    with pytest.raises(ValidationError):
        parental_consent_request(user=adult, guardian_email="claire@ex.org")
    assert (ParentalConsent.objects.count(), mail.outbox) == (0, [])


@pytest.mark.django_db
def test_p_age_1_parental_authorisation_needs_a_name_and_a_minor(pinned):
    teen = make_user("teen@example.com", birth_date=dt.date(2009, 1, 20))
    adult = make_user("adult@example.com", birth_date=dt.date(1980, 1, 20))

    with pytest.raises(ValidationError) as no_name:
        user_parental_authorisation_record(user=teen, actor=teen, guardian_name="   ")
    with pytest.raises(ValidationError) as not_minor:
        user_parental_authorisation_record(user=adult, actor=adult, guardian_name="Someone")

    assert no_name.value.message_dict == {
        "guardian_name": ["Give the parent's or guardian's full name."]
    }
    assert not_minor.value.messages == ["Only a minor's account needs a parental authorisation."]
    assert User.objects.filter(parental_authorisation_at__isnull=False).count() == 0
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_p_age_1_france_requires_a_birth_date(client, pinned):
    before = counts()

    response = signup(client, "adult@example.com", country="FR", adult_attested="on")

    assert response.status_code == 200
    assert "Please give your date of birth." in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_p_age_1_a_country_not_listed_asks_for_a_birth_date(client, pinned):
    response = signup(client, "adult@example.com", country="DE", adult_attested="on")

    assert response.status_code == 200
    assert "Please give your date of birth." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_p_age_1_united_states_accepts_the_adult_attestation(client, pinned):
    response = signup(client, "adult@example.com", country="US", adult_attested="on")

    assert (response.status_code, response["Location"]) == (302, "/account/confirm-email/")
    adult = User.objects.get(email="adult@example.com")
    assert (adult.country.code, adult.birth_date, adult.adult_attested_at) == ("US", None, NOW)
    assert user_age_band(user=adult) is AgeBand.ADULT
    assert user_may_transact(user=adult) is True


@pytest.mark.django_db
def test_p_age_1_united_states_needs_the_attestation_or_a_date(client, pinned):
    response = signup(client, "someone@example.com", country="US")

    assert response.status_code == 200
    assert "Confirm that you are 18 or older, or give your date of birth." in (
        response.content.decode()
    )
    assert not User.objects.exists()


@pytest.mark.django_db
def test_p_age_1_birth_date_in_the_future_is_refused(client, pinned):
    response = signup(client, "future@example.com", birth_date="2025-06-16")

    assert response.status_code == 200
    assert "The date of birth cannot be in the future." in response.content.decode()
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


@pytest.mark.django_db
def test_p_age_1_today_is_the_date_in_paris_not_utc(client):
    # 23:30 UTC on 14 June is already 15 June in Paris: the 13th birthday has come.
    with time_machine.travel(dt.datetime(2025, 6, 14, 23, 30, tzinfo=dt.UTC), tick=False):
        response = signup(client, "teen@example.com", birth_date="2012-06-15")

    assert response.status_code == 302
    assert User.objects.get().email == "teen@example.com"


@pytest.mark.django_db
def test_p_age_1_no_declaration_means_no_transaction(pinned):
    person = make_user("unknown@example.com")

    assert user_age_band(user=person) is AgeBand.UNKNOWN
    assert user_may_transact(user=person) is False


# --- Pure rules -------------------------------------------------------------------------------


def anniversary(birth_date: dt.date, year: int) -> dt.date:
    """The day a birthday is celebrated in ``year`` (29 February moves to 1 March)."""
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31))


@given(birth_date=birth_dates, days=st.integers(min_value=0, max_value=110 * 366))
def test_p_age_1_age_on_counts_the_birthdays_that_have_passed(birth_date, days):
    today = birth_date + dt.timedelta(days=days)
    passed = sum(
        1
        for year in range(birth_date.year + 1, today.year + 1)
        if anniversary(birth_date, year) <= today
    )

    assert age.age_on(birth_date, today) == passed


@given(birth_date=birth_dates)
def test_p_age_1_bands_change_exactly_on_the_13th_and_18th_birthdays(birth_date):
    thirteenth = anniversary(birth_date, birth_date.year + 13)
    eighteenth = anniversary(birth_date, birth_date.year + 18)

    def band(today: dt.date) -> AgeBand:
        return age.age_band(birth_date=birth_date, adult_attested=False, today=today)

    assert band(thirteenth - dt.timedelta(days=1)) is AgeBand.CHILD
    assert band(thirteenth) is AgeBand.MINOR
    assert band(eighteenth - dt.timedelta(days=1)) is AgeBand.MINOR
    assert band(eighteenth) is AgeBand.ADULT


@given(birth_date=birth_dates, today=birth_dates, attested=st.booleans())
def test_p_age_1_a_birth_date_outranks_the_attestation(birth_date, today, attested):
    with_date = age.age_band(birth_date=birth_date, adult_attested=attested, today=today)

    assert with_date is age.age_band(birth_date=birth_date, adult_attested=False, today=today)


@pytest.mark.parametrize(
    ("today", "years", "band"),
    [
        (dt.date(2026, 2, 28), 17, AgeBand.MINOR),
        (dt.date(2026, 3, 1), 18, AgeBand.ADULT),
        (dt.date(2028, 2, 28), 19, AgeBand.ADULT),
        (dt.date(2028, 2, 29), 20, AgeBand.ADULT),
        (dt.date(2021, 2, 28), 12, AgeBand.CHILD),
        (dt.date(2021, 3, 1), 13, AgeBand.MINOR),
    ],
)
def test_p_age_1_a_29_february_birthday_turns_on_1_march(today, years, band):
    born = dt.date(2008, 2, 29)

    assert age.age_on(born, today) == years
    assert age.age_band(birth_date=born, adult_attested=False, today=today) is band


@pytest.mark.parametrize(
    ("band", "authorised", "allowed"),
    [
        (AgeBand.ADULT, False, True),
        (AgeBand.MINOR, False, False),
        (AgeBand.MINOR, True, True),
        (AgeBand.CHILD, True, False),
        (AgeBand.UNKNOWN, True, False),
    ],
)
def test_p_age_1_who_may_transact(band, authorised, allowed):
    assert age.may_transact(band=band, parental_authorisation=authorised) is allowed
