"""Profile and address book (RIGHT-2): services and the account pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from recommerce.accounts.models import Address, User
from recommerce.accounts.services.users import (
    address_create,
    address_delete,
    address_update,
    user_profile_update,
)
from recommerce.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def profile_post(**overrides: str) -> dict[str, str]:
    data = {
        "title": "ms",
        "full_name": "Alice Dupont",
        "phone": "06 12 34 56 78",
        "country": "FR",
        "language": "fr",
        "notify_by_email": "on",
    }
    data.update(overrides)
    return data


def new_address(user: User, kind: str = "delivery", **extra: object) -> Address:
    fields = {
        "full_name": "Alice Martin",
        "line1": "12 rue de la Paix",
        "postal_code": "75002",
        "city": "Paris",
        "country": "FR",
    }
    fields.update(extra)
    return address_create(actor=user, user=user, kind=kind, **fields)


def defaults(user: User, kind: str) -> list[int]:
    return list(
        Address.objects.filter(user=user, kind=kind, is_default=True).values_list("pk", flat=True)
    )


# --- Profile, through the service ---------------------------------------------------------


def test_p_right_2_profile_update_changes_fields_and_normalises_the_phone(verified_user):
    user_profile_update(
        user=verified_user,
        actor=verified_user,
        title="ms",
        full_name="Alice Dupont",
        phone="06 12 34 56 78",
        country="FR",
        notify_by_sms=True,
    )

    user = User.objects.get(pk=verified_user.pk)
    assert (user.title, user.full_name, user.phone, user.country.code, user.notify_by_sms) == (
        "ms",
        "Alice Dupont",
        "+33612345678",
        "FR",
        True,
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.subject) == ("profile.update", user, user)
    assert (event.object_type, event.object_id) == ("accounts.user", str(user.pk))
    assert event.fields == ["country", "full_name", "notify_by_sms", "phone", "title"]
    # The audit trail names fields, never their values.
    stored = " ".join(str(v) for v in AuditEvent.objects.values().get().values())
    for value in ("+33612345678", "Alice Dupont", "06 12 34 56 78"):
        assert value not in stored


def test_p_right_2_invalid_phone_is_refused_and_nothing_is_saved(verified_user):
    with pytest.raises(ValidationError) as refused:
        user_profile_update(
            user=verified_user,
            actor=verified_user,
            full_name="Changed Name",
            phone="12",
            country="FR",
        )

    assert refused.value.message_dict == {"phone": ["12 is too short to be a phone number."]}
    user = User.objects.get(pk=verified_user.pk)
    assert (user.full_name, user.phone, user.country.code) == ("Alice Martin", "", "")
    assert not AuditEvent.objects.exists()


def test_p_right_2_phone_without_country_code_is_refused_when_country_unknown(verified_user):
    with pytest.raises(ValidationError) as refused:
        user_profile_update(user=verified_user, actor=verified_user, phone="0612345678")

    assert refused.value.message_dict == {
        "phone": ["Start the number with + and its country calling code, such as +33."]
    }
    assert User.objects.get(pk=verified_user.pk).phone == ""
    assert not AuditEvent.objects.exists()


def test_p_right_2_profile_update_refuses_fields_outside_the_profile(verified_user):
    with pytest.raises(ValueError, match=r"Not editable here: email, is_staff\."):
        user_profile_update(
            user=verified_user,
            actor=verified_user,
            full_name="Mallory",
            email="mallory@example.com",
            is_staff=True,
        )

    user = User.objects.get(pk=verified_user.pk)
    assert (user.email, user.is_staff, user.full_name) == (
        "alice@example.com",
        False,
        "Alice Martin",
    )
    assert not AuditEvent.objects.exists()


def test_p_right_2_unchanged_profile_writes_no_audit_row(verified_user):
    user_profile_update(user=verified_user, actor=verified_user, full_name="Alice Martin")

    assert not AuditEvent.objects.exists()


# --- Profile, through the page -------------------------------------------------------------


def test_p_right_2_profile_page_saves_the_corrected_profile(client, verified_user):
    client.force_login(verified_user)

    response = client.post("/account/profile/", profile_post())

    assert (response.status_code, response["Location"]) == (302, "/account/profile/")
    user = User.objects.get(pk=verified_user.pk)
    assert (user.title, user.full_name, user.phone, user.country.code, user.language) == (
        "ms",
        "Alice Dupont",
        "+33612345678",
        "FR",
        "fr",
    )
    assert (user.notify_by_email, user.notify_by_sms) == (True, False)
    assert AuditEvent.objects.get().fields == ["country", "full_name", "language", "phone", "title"]


def test_p_right_2_profile_page_with_bad_phone_answers_400_and_changes_nothing(
    client, verified_user
):
    client.force_login(verified_user)

    response = client.post("/account/profile/", profile_post(phone="12"))

    assert response.status_code == 400
    assert "12 is too short to be a phone number." in response.content.decode()
    user = User.objects.get(pk=verified_user.pk)
    assert (user.title, user.full_name, user.phone, user.language) == ("", "Alice Martin", "", "en")
    assert not AuditEvent.objects.exists()


def test_p_right_2_profile_page_needs_a_signed_in_person(client):
    response = client.post("/account/profile/", profile_post())

    assert (response.status_code, response["Location"]) == (
        302,
        "/account/login/?next=/account/profile/",
    )
    assert not AuditEvent.objects.exists()


# --- Address book ---------------------------------------------------------------------------


def test_p_right_2_first_address_of_each_kind_becomes_the_default(verified_user):
    home = new_address(verified_user, phone="06 12 34 56 78")
    office = new_address(verified_user, line1="1 avenue de France")
    billing = new_address(verified_user, kind="billing")

    assert defaults(verified_user, "delivery") == [home.pk]
    assert defaults(verified_user, "billing") == [billing.pk]
    assert Address.objects.get(pk=office.pk).is_default is False
    assert Address.objects.get(pk=home.pk).phone == "+33612345678"
    event = AuditEvent.objects.filter(action="address.create").order_by("id").first()
    assert event.fields == ["city", "country", "full_name", "line1", "phone", "postal_code"]


def test_p_right_2_a_new_default_unsets_the_previous_one(verified_user):
    home = new_address(verified_user)
    office = new_address(verified_user, line1="1 avenue de France", is_default=True)

    assert defaults(verified_user, "delivery") == [office.pk]

    address_update(address=Address.objects.get(pk=home.pk), actor=verified_user, is_default=True)

    assert defaults(verified_user, "delivery") == [home.pk]
    update = AuditEvent.objects.get(action="address.update")
    assert (update.object_id, update.fields) == (str(home.pk), ["is_default"])


def test_p_right_2_address_with_bad_phone_is_refused_and_not_stored(verified_user):
    with pytest.raises(ValidationError) as refused:
        new_address(verified_user, phone="abc")

    assert refused.value.message_dict == {"phone": ["abc is not a phone number."]}
    assert not Address.objects.exists()
    assert not AuditEvent.objects.exists()


def test_p_right_2_deleting_the_default_promotes_another_address(verified_user):
    home = new_address(verified_user)
    office = new_address(verified_user, line1="1 avenue de France")
    cabin = new_address(verified_user, line1="3 chemin des Pins")
    billing = new_address(verified_user, kind="billing")

    address_delete(address=Address.objects.get(pk=home.pk), actor=verified_user)

    assert not Address.objects.filter(pk=home.pk).exists()
    assert defaults(verified_user, "delivery") == [office.pk]
    assert Address.objects.get(pk=cabin.pk).is_default is False
    assert defaults(verified_user, "billing") == [billing.pk]
    deleted = AuditEvent.objects.get(action="address.delete")
    assert (deleted.object_id, deleted.subject) == (str(home.pk), verified_user)


def test_p_right_2_owner_edits_an_address_through_the_page(client, verified_user):
    home = new_address(verified_user)
    client.force_login(verified_user)

    response = client.post(
        f"/account/addresses/{home.pk}/",
        {
            "kind": "delivery",
            "full_name": "Alice Martin",
            "line1": "14 rue de la Paix",
            "postal_code": "75002",
            "city": "Paris",
            "country": "FR",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/account/profile/")
    home = Address.objects.get(pk=home.pk)
    assert (home.line1, home.is_default) == ("14 rue de la Paix", True)
    assert AuditEvent.objects.get(action="address.update").fields == ["line1"]


def test_p_right_2_saving_the_default_again_audits_no_change(verified_user):
    home = new_address(verified_user)

    address_update(address=home, actor=verified_user, is_default=True)

    assert not AuditEvent.objects.filter(action="address.update").exists()


def test_p_sec_2_another_person_cannot_edit_or_delete_my_address(client, verified_user, other_user):
    home = new_address(verified_user)
    before = Address.objects.values().get(pk=home.pk)
    AuditEvent.objects.all().delete()
    client.force_login(other_user)

    shown = client.get(f"/account/addresses/{home.pk}/")
    edited = client.post(
        f"/account/addresses/{home.pk}/",
        {
            "kind": "delivery",
            "full_name": "Bob Durand",
            "line1": "Somewhere else",
            "postal_code": "69001",
            "city": "Lyon",
            "country": "FR",
        },
    )
    deleted = client.post(f"/account/addresses/{home.pk}/delete/")

    assert (shown.status_code, edited.status_code, deleted.status_code) == (404, 404, 404)
    assert Address.objects.values().get(pk=home.pk) == before
    assert not Address.objects.filter(user=other_user).exists()
    assert not AuditEvent.objects.exists()
