"""Consents and objections outside cookies: call recording (CONSENT-6), biometrics (CONSENT-5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from recommerce.accounts import roles
from recommerce.privacy.models import AuditEvent, PersonalConsent
from recommerce.privacy.services.personal_consent import (
    BIOMETRIC,
    BIOMETRIC_CHECK,
    BIOMETRIC_TEXT_VERSION,
    DOCUMENT_CHECK,
    RECORDING_OBJECTION,
    ConsentError,
    biometric_check_allowed,
    identity_check_methods,
    personal_consent_record,
    recording_allowed,
)
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

MINE = reverse("privacy:mine")


@pytest.fixture
def person():
    return make_user("lea.consent@example.com", full_name="Léa Moreau")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(user) -> list[tuple[str, bool, str, str, int | None]]:
    return list(
        PersonalConsent.objects.filter(user=user)
        .order_by("id")
        .values_list("kind", "given", "text_version", "method", "recorded_by_id")
    )


def actions(user) -> list[tuple[int | None, str]]:
    return list(
        AuditEvent.objects.filter(subject=user, action__startswith="consent.")
        .order_by("id")
        .values_list("actor_id", "action")
    )


def section(client: Client) -> str:
    page = client.get(MINE).content.decode()
    found = re.search(r'<section class="panel" id="consents".*?</section>', page, re.S)
    assert found is not None
    return found.group(0)


# --- CONSENT-6: call and chat recording ------------------------------------------------------


def test_consent_6_a_person_objects_from_their_privacy_page_then_allows_again(person):
    client = signed_in(person)
    assert recording_allowed(user=person) is True
    assert "Do not record my calls and chats" in section(client)

    response = client.post(reverse("privacy:mine-recording"), {"recording": "object"})

    assert response.status_code == 302
    assert response["Location"] == f"{MINE}#consents"
    assert recording_allowed(user=person) is False
    assert rows(person) == [(RECORDING_OBJECTION, True, "", "profile", None)]
    assert actions(person) == [(person.pk, "consent.recording.object")]
    assert "Not recorded" in section(client)

    # The same choice twice writes no second row.
    client.post(reverse("privacy:mine-recording"), {"recording": "object"})
    assert len(rows(person)) == 1

    client.post(reverse("privacy:mine-recording"), {"recording": "allow"})
    assert recording_allowed(user=person) is True
    assert rows(person)[-1] == (RECORDING_OBJECTION, False, "", "profile", None)
    assert actions(person)[-1] == (person.pk, "consent.recording.allow")


def test_consent_6_support_records_an_objection_said_on_the_phone(person):
    agent = make_staff(roles.CUSTOMER_SERVICE, "agent@recommerce.example")
    staff = signed_in(agent)
    page = staff.get(reverse("staff:person", args=[person.pk])).content.decode()
    assert "Record their objection to recording" in page

    url = reverse("staff:person_recording_objection", args=[person.pk])
    response = staff.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:person", args=[person.pk])
    assert recording_allowed(user=person) is False
    assert rows(person) == [(RECORDING_OBJECTION, True, "", "support", agent.pk)]
    assert actions(person) == [(agent.pk, "consent.recording.object")]
    page = staff.get(reverse("staff:person", args=[person.pk])).content.decode()
    assert "Do not record calls or chats with this person" in page
    assert "(as you told customer service)" in section(signed_in(person))

    # Only the person lifts it, from their own page.
    signed_in(person).post(reverse("privacy:mine-recording"), {"recording": "allow"})
    assert recording_allowed(user=person) is True


def test_consent_6_recording_the_objection_needs_the_permission_and_a_post(person):
    url = reverse("staff:person_recording_objection", args=[person.pk])
    assert signed_in(make_staff(roles.FINANCE)).post(url).status_code == 403
    assert signed_in(make_staff(roles.CUSTOMER_SERVICE)).get(url).status_code == 405
    assert signed_in(make_user()).post(url).status_code == 404
    missing = reverse("staff:person_recording_objection", args=[person.pk + 1000])
    assert signed_in(make_staff(roles.CUSTOMER_SERVICE)).post(missing).status_code == 404
    assert rows(person) == []
    assert recording_allowed(user=person) is True


def test_consent_6_an_unclear_choice_changes_nothing(person):
    response = signed_in(person).post(reverse("privacy:mine-recording"), {"recording": "maybe"})
    assert response.status_code == 400
    assert "Choose whether your calls and chats may be recorded." in response.content.decode()
    assert rows(person) == []


# --- CONSENT-5: biometric identity checks ----------------------------------------------------


def test_consent_5_the_document_check_is_always_offered_and_biometrics_only_with_consent(person):
    assert identity_check_methods(user=person) == [DOCUMENT_CHECK]
    assert biometric_check_allowed(user=person) is False
    assert identity_check_methods(user=None) == [DOCUMENT_CHECK]
    html = section(signed_in(person))
    # The box is there, unticked: consent needs the person's own action.
    box = re.search(r'<input type="checkbox" name="agree"[^>]*>', html)
    assert box is not None and "checked" not in box.group(0)
    assert f"version {BIOMETRIC_TEXT_VERSION}" in html


def test_consent_5_pressing_the_button_without_ticking_the_box_gives_no_consent(person):
    client = signed_in(person)
    url = reverse("privacy:mine-biometric")
    response = client.post(url, {"decision": "give", "text_version": BIOMETRIC_TEXT_VERSION})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    stale = client.post(url, {"decision": "give", "agree": "on", "text_version": "2020-01"})
    assert stale.status_code == 400
    assert rows(person) == []
    assert biometric_check_allowed(user=person) is False
    assert identity_check_methods(user=person) == [DOCUMENT_CHECK]


def test_consent_5_explicit_consent_adds_the_biometric_check_and_withdrawal_removes_it(person):
    client = signed_in(person)
    url = reverse("privacy:mine-biometric")
    given = client.post(
        url, {"decision": "give", "agree": "on", "text_version": BIOMETRIC_TEXT_VERSION}
    )
    assert given.status_code == 302
    assert given["Location"] == f"{MINE}#consents"
    assert biometric_check_allowed(user=person) is True
    assert identity_check_methods(user=person) == [DOCUMENT_CHECK, BIOMETRIC_CHECK]
    assert rows(person) == [(BIOMETRIC, True, BIOMETRIC_TEXT_VERSION, "profile", None)]
    assert "Withdraw my consent" in section(client)

    withdrawn = client.post(url, {"decision": "withdraw"})

    assert withdrawn.status_code == 302
    assert biometric_check_allowed(user=person) is False
    assert identity_check_methods(user=person) == [DOCUMENT_CHECK]
    assert rows(person)[-1] == (BIOMETRIC, False, "", "profile", None)
    assert actions(person) == [
        (person.pk, "consent.biometric.give"),
        (person.pk, "consent.biometric.withdraw"),
    ]


def test_consent_5_a_consent_to_an_older_text_no_longer_counts(person):
    PersonalConsent.objects.create(
        user=person, kind=BIOMETRIC, given=True, text_version="2025-01", method="profile"
    )
    assert biometric_check_allowed(user=person) is False
    assert identity_check_methods(user=person) == [DOCUMENT_CHECK]


def test_consent_5_the_service_refuses_a_consent_without_the_current_text(person):
    with pytest.raises(ConsentError):
        personal_consent_record(user=person, kind=BIOMETRIC, given=True, method="profile")
    with pytest.raises(ConsentError):
        personal_consent_record(
            user=person, kind="tattoos", given=True, method="profile", text_version="x"
        )
    assert rows(person) == []
    assert actions(person) == []
