"""Data-subject requests through their services (RIGHT-2, RIGHT-4, RIGHT-5, CONSENT-7).

Receipt and its deadlines, identity by emailed code and a matching fact, identity
documents kept encrypted and deleted on close, one extension inside the first period,
objections that gate processing, and rectification of registered fields only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from recommerce.accounts.models import Address, User
from recommerce.accounts.services.users import address_create
from recommerce.privacy import purposes
from recommerce.privacy.encryption.files import unseal_bytes
from recommerce.privacy.models import (
    AuditEvent,
    DataRequest,
    DataRequestEvent,
    ProcessingLimit,
    StaffAccess,
)
from recommerce.privacy.selectors import people_allowed, processing_allowed
from recommerce.privacy.services.handling import NO_DATA, data_request_fulfil, data_request_rectify
from recommerce.privacy.services.limits import (
    LimitRefused,
    processing_limit_lift,
    processing_limit_set,
)
from recommerce.privacy.services.requests import (
    RequestError,
    data_request_close,
    data_request_document_ask,
    data_request_document_read,
    data_request_document_upload,
    data_request_extend,
    data_request_send_code,
    data_request_start,
    data_request_submit,
    data_request_verify,
    data_request_verify_by_staff,
)
from tests.accounts.conftest import make_staff, make_user

pytestmark = pytest.mark.django_db

Kind, Status, Channel = DataRequest.Kind, DataRequest.Status, DataRequest.Channel
GDPR, CCPA = DataRequest.Jurisdiction.GDPR, DataRequest.Jurisdiction.CCPA
PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield root


def person(email: str = "ines.morel@example.org", **extra: Any) -> User:
    """An account holder with a phone and one address (postal code 69003)."""
    user = make_user(email, full_name="Inès Morel", phone="+33611223344", **extra)
    address_create(
        actor=user,
        user=user,
        kind=Address.Kind.DELIVERY,
        full_name="Inès Morel",
        line1="4 rue Garibaldi",
        postal_code="69003",
        city="Lyon",
        country="FR",
    )
    return user


def dpo() -> User:
    """The data-protection officer (one per test, whoever asks first makes them)."""
    existing = User.objects.filter(email="dpo@example.com").first()
    if existing is not None:
        return existing
    staff = make_staff(None, "dpo@example.com")
    staff.user_permissions.add(Permission.objects.get(codename="handle_datarequest"))
    return User.objects.get(pk=staff.pk)


def web_request(email: str = "ines.morel@example.org", **extra: Any) -> DataRequest:
    fields: dict[str, Any] = {
        "kind": Kind.ACCESS,
        "channel": Channel.WEB_FORM,
        "jurisdiction": GDPR,
        "full_name": "Inès Morel",
        "email": email,
        **extra,
    }
    return data_request_submit(**fields)


def emailed_code(request: DataRequest) -> str:
    (message,) = [m for m in mail.outbox if request.reference in m.subject]
    found = re.search(r"^\s+(\d{6})$", str(message.body), re.MULTILINE)
    assert found is not None
    return found.group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def actions(request: DataRequest) -> list[str]:
    return list(DataRequestEvent.objects.filter(request=request).values_list("action", flat=True))


def signed_in_request(user: User, kind: str, **extra: Any) -> DataRequest:
    return data_request_submit(
        kind=kind,
        channel=Channel.ACCOUNT,
        jurisdiction=GDPR,
        full_name=user.full_name,
        email=user.email,
        user=user,
        **extra,
    )


# --- Receipt and deadlines (RIGHT-5) ----------------------------------------------------------


@time_machine.travel(dt.datetime(2025, 1, 31, 10, 0, tzinfo=PARIS), tick=False)
def test_right_4_web_form_request_is_acknowledged_with_a_code_by_email() -> None:
    request = web_request()

    assert (request.status, request.channel, request.user) == (Status.RECEIVED, "web_form", None)
    assert re.fullmatch(r"DSR-25[0-9A-F]{8,}", request.reference)
    assert (request.due_on, request.acknowledge_by) == (dt.date(2025, 2, 28), None)
    assert request.code_attempts == 0 and len(request.code_hash) == 64
    assert request.code_expires_at == timezone.now() + dt.timedelta(minutes=30)
    (message,) = mail.outbox
    assert message.to == ["ines.morel@example.org"]
    assert message.subject == f"Recommerce: Confirm your request ({request.reference})"
    code = emailed_code(request)
    assert f"/privacy/request/{request.reference}/verify/?code={code}" in message.body
    assert code not in request.code_hash
    assert actions(request) == ["received", "verification code sent"]


def test_right_5_gdpr_request_of_31_january_is_due_28_february() -> None:
    with time_machine.travel(dt.datetime(2025, 1, 31, 23, 30, tzinfo=PARIS), tick=False):
        request = web_request()

    assert request.due_on == dt.date(2025, 2, 28)
    assert request.answer_by == dt.date(2025, 2, 28)


def test_right_5_ccpa_request_must_be_acknowledged_within_ten_business_days() -> None:
    with time_machine.travel(dt.datetime(2025, 1, 31, 9, 0, tzinfo=PARIS), tick=False):
        request = web_request(jurisdiction=CCPA)

    assert request.acknowledge_by == dt.date(2025, 2, 14)
    assert request.due_on == dt.date(2025, 3, 17)


def test_right_5_written_request_counts_from_the_day_the_letter_arrived() -> None:
    staff = dpo()
    with time_machine.travel(dt.datetime(2025, 2, 20, 9, 0, tzinfo=PARIS), tick=False):
        request = data_request_submit(
            kind=Kind.ACCESS,
            channel=Channel.WRITTEN,
            jurisdiction=GDPR,
            full_name="Inès Morel",
            email="ines.morel@example.org",
            actor=staff,
            received_on=dt.date(2025, 1, 31),
        )

    assert timezone.localdate(request.received_at) == dt.date(2025, 1, 31)
    assert request.due_on == dt.date(2025, 2, 28)
    assert request.handled_by == staff
    # The period started with the letter: an extension after 28 February is too late.
    with (
        time_machine.travel(dt.datetime(2025, 3, 1, 9, 0, tzinfo=PARIS), tick=False),
        pytest.raises(RequestError, match="before the first deadline"),
    ):
        data_request_extend(request=request, actor=staff, reason="Many records.")
    request.refresh_from_db()
    assert request.extended_due_on is None


def test_right_4_bad_kind_jurisdiction_or_purpose_is_a_clear_error() -> None:
    with pytest.raises(RequestError, match=re.escape("Choose what you are asking for.")):
        web_request(kind="everything")
    with pytest.raises(RequestError, match="Choose the law"):
        web_request(jurisdiction="mars")
    with pytest.raises(RequestError, match="Choose a listed use"):
        web_request(kind=Kind.OBJECTION, purpose="marketing.carrier_pigeon")
    with pytest.raises(RequestError, match="Choose a listed use"):
        web_request(kind=Kind.RESTRICTION)
    assert not DataRequest.objects.exists()
    assert mail.outbox == []


# --- Identity (RIGHT-4) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "value"),
    [("postal_code", "69 003"), ("phone_last4", "3344"), ("order_number", None)],
)
def test_right_4_code_and_a_matching_fact_verify_the_identity(
    fact: str, value: str | None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    user = person()
    if value is None:
        from tests.orders.conftest import make_order, make_seller

        value = make_order(user, make_seller()).number.lower()
    request = web_request()

    verified = data_request_verify(
        reference=request.reference, code=emailed_code(request), data_points={fact: value}
    )

    assert (verified.status, verified.user) == (Status.VERIFIED, user)
    assert verified.verification_method == "email code and a matching fact"
    assert verified.data_points == {fact: value}
    assert verified.code_hash == ""
    assert actions(verified)[-1] == "identity verified"


def test_right_4_wrong_codes_are_counted_and_the_fifth_locks_the_request() -> None:
    person()
    request = web_request()
    code = emailed_code(request)

    for attempt in range(1, 6):
        with pytest.raises(RequestError, match=re.escape("This code is not the one we sent.")):
            data_request_verify(
                reference=request.reference, code=wrong(code), data_points={"postal_code": "69003"}
            )
        request.refresh_from_db()
        assert request.code_attempts == attempt

    with pytest.raises(
        RequestError, match=re.escape("Too many wrong codes. Ask us to send a new one.")
    ):
        data_request_verify(
            reference=request.reference, code=code, data_points={"postal_code": "69003"}
        )
    request.refresh_from_db()
    assert (request.status, request.user, request.code_attempts) == (Status.RECEIVED, None, 5)

    # A new code starts again from zero.
    data_request_send_code(request=request)
    request.refresh_from_db()
    assert request.code_attempts == 0
    mail.outbox = mail.outbox[-1:]
    assert (
        data_request_verify(
            reference=request.reference,
            code=emailed_code(request),
            data_points={"postal_code": "69003"},
        ).status
        == Status.VERIFIED
    )


def test_right_4_an_expired_code_is_refused() -> None:
    person()
    with time_machine.travel(dt.datetime(2025, 5, 5, 10, 0, tzinfo=PARIS), tick=False):
        request = web_request()
    code = emailed_code(request)

    expired = re.escape("This code has expired. Ask us to send a new one.")
    with (
        time_machine.travel(dt.datetime(2025, 5, 5, 10, 31, tzinfo=PARIS), tick=False),
        pytest.raises(RequestError, match=expired),
    ):
        data_request_verify(
            reference=request.reference, code=code, data_points={"postal_code": "69003"}
        )
    request.refresh_from_db()
    assert (request.status, request.user, request.verified_at) == (Status.RECEIVED, None, None)


def test_right_4_right_code_but_no_matching_fact_leaves_the_identity_in_doubt() -> None:
    person()
    request = web_request()

    doubtful = data_request_verify(
        reference=request.reference,
        code=emailed_code(request),
        data_points={"postal_code": "13001"},
    )

    assert (doubtful.status, doubtful.user, doubtful.verified_at) == (Status.RECEIVED, None, None)
    assert actions(doubtful)[-1] == "identity in doubt"
    stored = DataRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.user_id, stored.data_points) == (
        Status.RECEIVED,
        None,
        {"postal_code": "13001"},
    )
    # The code is spent: the next step is staff's (an identity document).
    with pytest.raises(RequestError, match=re.escape("This request is not waiting for a code.")):
        data_request_verify(reference=request.reference, code=emailed_code(request), data_points={})


def test_right_4_no_account_for_the_address_is_answered_so() -> None:
    request = web_request("nobody@example.org")
    verified = data_request_verify(
        reference=request.reference, code=emailed_code(request), data_points={}
    )
    assert (verified.status, verified.user) == (Status.VERIFIED, None)
    assert verified.verification_method == "email code (no account found)"

    data_request_fulfil(request=verified, actor=dpo())

    verified.refresh_from_db()
    assert (verified.status, verified.answer) == (Status.COMPLETED, NO_DATA)


# --- Identity documents (RIGHT-4, SEC-1) ------------------------------------------------------


def test_right_4_collect_8_identity_document_only_when_asked_encrypted_deleted_on_close(
    private_storage: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    user = person()
    staff = dpo()
    request = web_request()
    data_request_verify(
        reference=request.reference, code=emailed_code(request), data_points={"postal_code": "1"}
    )
    with pytest.raises(RequestError, match="No identity document is expected"):
        data_request_document_upload(request=request, content=b"%PDF-1.4", content_type="x")

    data_request_document_ask(request=request, actor=staff, note="A passport or an ID card.")
    assert mail.outbox[-1].subject == (
        f"Recommerce: We need to confirm who you are ({request.reference})"
    )
    assert "A passport or an ID card." in mail.outbox[-1].body
    request.refresh_from_db()
    original = b"%PDF-1.4\nPASSPORT 19XK44021 MOREL INES 1990-02-14\n"
    data_request_document_upload(request=request, content=original, content_type="application/pdf")

    request.refresh_from_db()
    stored_files = [p for p in private_storage.rglob("*") if p.is_file()]
    assert [p.relative_to(private_storage).parent.as_posix() for p in stored_files] == ["identity"]
    stored = stored_files[0].read_bytes()
    assert original not in stored and b"PASSPORT" not in stored
    assert original.hex().encode() not in stored
    assert request.identity_document == stored_files[0].relative_to(private_storage).as_posix()
    assert request.identity_document_type == "application/pdf"
    # Sealed with the key ring of the encrypted columns, so rotate-keys re-encrypts it too.
    assert unseal_bytes(stored) == original

    with pytest.raises(PermissionError):
        data_request_document_read(request=request, staff=make_staff(None, "other@example.com"))
    assert data_request_document_read(request=request, staff=staff) == original
    assert (
        StaffAccess.objects.filter(
            staff=staff, subject=None, what=f"identity document of {request.reference}"
        ).count()
        == 1
    )

    data_request_verify_by_staff(request=request, actor=staff, method="passport checked")
    request.refresh_from_db()
    assert (request.status, request.user) == (Status.VERIFIED, user)
    data_request_start(request=request, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        data_request_close(request=request, actor=staff, answer="Here is what we hold.")

    request.refresh_from_db()
    assert (request.status, request.identity_document, request.identity_document_type) == (
        Status.COMPLETED,
        "",
        "",
    )
    assert [p for p in private_storage.rglob("*") if p.is_file()] == []


def test_right_4_a_second_upload_replaces_the_first(
    private_storage: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request = web_request("nobody@example.org")
    data_request_document_ask(request=request, actor=dpo(), note="")
    request.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        data_request_document_upload(request=request, content=b"first", content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        data_request_document_upload(request=request, content=b"second", content_type="image/png")

    request.refresh_from_db()
    files = [p for p in private_storage.rglob("*") if p.is_file()]
    assert [p.relative_to(private_storage).as_posix() for p in files] == [request.identity_document]


# --- Extensions (RIGHT-5) ---------------------------------------------------------------------


def test_right_5_extension_once_and_only_before_the_first_deadline() -> None:
    staff = dpo()
    with time_machine.travel(dt.datetime(2025, 1, 31, 10, 0, tzinfo=PARIS), tick=False):
        request = signed_in_request(person(), Kind.ACCESS)
        late = signed_in_request(make_user("late@example.org", full_name="Late"), Kind.ACCESS)

    with time_machine.travel(dt.datetime(2025, 2, 28, 18, 0, tzinfo=PARIS), tick=False):
        with pytest.raises(RequestError, match="Give the reason"):
            data_request_extend(request=request, actor=staff, reason="  ")
        data_request_extend(request=request, actor=staff, reason="Records in three systems.")
    request.refresh_from_db()
    assert (request.due_on, request.extended_due_on, request.answer_by) == (
        dt.date(2025, 2, 28),
        dt.date(2025, 4, 30),
        dt.date(2025, 4, 30),
    )
    assert request.extension_reason == "Records in three systems."
    assert mail.outbox[-1].subject == (
        f"Recommerce: We need more time for your request ({request.reference})"
    )
    assert actions(request)[-1] == "deadline extended"

    with time_machine.travel(dt.datetime(2025, 3, 2, 10, 0, tzinfo=PARIS), tick=False):
        with pytest.raises(RequestError, match="extended already"):
            data_request_extend(request=request, actor=staff, reason="Still more.")
        with pytest.raises(RequestError, match="before the first deadline"):
            data_request_extend(request=late, actor=staff, reason="Too late.")
    request.refresh_from_db()
    late.refresh_from_db()
    assert request.extended_due_on == dt.date(2025, 4, 30)
    assert (late.extended_due_on, late.extension_reason) == (None, "")


def test_right_5_ccpa_extension_adds_45_days() -> None:
    with time_machine.travel(dt.datetime(2025, 1, 31, 10, 0, tzinfo=PARIS), tick=False):
        request = data_request_submit(
            kind=Kind.ACCESS,
            channel=Channel.ACCOUNT,
            jurisdiction=CCPA,
            full_name="Inès Morel",
            email="ines.morel@example.org",
            user=person(),
        )
        data_request_extend(request=request, actor=dpo(), reason="Large account.")
    request.refresh_from_db()
    assert (request.due_on, request.extended_due_on) == (dt.date(2025, 3, 17), dt.date(2025, 5, 1))


# --- Restriction and objection (CONSENT-7) ----------------------------------------------------


def test_consent_7_objection_to_marketing_email_stops_that_processing() -> None:
    user, other = person(), make_user("other@example.org")
    request = signed_in_request(
        user, Kind.OBJECTION, purpose=purposes.MARKETING_EMAIL.code, details="No more newsletters."
    )
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is True

    data_request_fulfil(request=request, actor=dpo())

    limit = ProcessingLimit.objects.get(user=user)
    assert (limit.purpose, limit.kind, limit.reason, limit.request, limit.lifted_at) == (
        "marketing.email",
        "objection",
        "No more newsletters.",
        request,
        None,
    )
    request.refresh_from_db()
    assert request.status == Status.COMPLETED
    assert (
        request.answer
        == "Processing for “Send newsletters and offers by email or SMS” is stopped for you."
    )
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is False
    assert processing_allowed(user=user, purpose=purposes.ANALYTICS) is True
    assert processing_allowed(user=other, purpose=purposes.MARKETING_EMAIL) is True
    assert people_allowed(user_ids=[user.pk, other.pk], purpose=purposes.MARKETING_EMAIL) == {
        other.pk
    }
    # Setting it again keeps the one limit in force.
    again = processing_limit_set(
        user=user, purpose=purposes.MARKETING_EMAIL, kind=ProcessingLimit.Kind.OBJECTION
    )
    assert again.pk == limit.pk

    assert processing_limit_lift(user=user, purpose=purposes.MARKETING_EMAIL) == 1
    assert processing_allowed(user=user, purpose=purposes.MARKETING_EMAIL) is True
    assert people_allowed(user_ids=[user.pk, other.pk], purpose=purposes.MARKETING_EMAIL) == {
        user.pk,
        other.pk,
    }


@pytest.mark.parametrize(
    "purpose", [purposes.LEGAL_ACCOUNTING, purposes.LEGAL_DATA_PROTECTION, purposes.SERVICE_ORDERS]
)
def test_consent_7_a_legal_obligation_or_the_contract_cannot_be_limited(
    purpose: purposes.Purpose,
) -> None:
    user = person()
    with pytest.raises(LimitRefused, match="cannot be stopped"):
        processing_limit_set(user=user, purpose=purpose, kind=ProcessingLimit.Kind.RESTRICTION)
    assert not ProcessingLimit.objects.exists()
    assert processing_allowed(user=user, purpose=purpose) is True


def test_consent_7_a_request_to_limit_a_legal_obligation_is_refused_with_the_reason() -> None:
    user = person()
    request = signed_in_request(user, Kind.RESTRICTION, purpose=purposes.LEGAL_ACCOUNTING.code)

    data_request_fulfil(request=request, actor=dpo())

    request.refresh_from_db()
    assert request.status == Status.REFUSED
    assert request.answer == (
        "“Keep accounting records and invoices” rests on legal obligation; it cannot be "
        "stopped by a restriction or an objection."
    )
    assert not ProcessingLimit.objects.exists()


# --- Rectification (RIGHT-2) ------------------------------------------------------------------


def _rectification(user: User) -> DataRequest:
    request = signed_in_request(user, Kind.RECTIFICATION, details="My name is misspelt.")
    data_request_fulfil(request=request, actor=dpo())
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    return request


def test_right_2_rectification_changes_a_registered_field_with_an_audit_row() -> None:
    user = person()
    staff = dpo()
    request = _rectification(user)

    data_request_rectify(
        request=request,
        actor=staff,
        model_label="accounts.User",
        pk=user.pk,
        field="full_name",
        value="Inès Morel-Garnier",
    )
    address = Address.objects.get(user=user)
    data_request_rectify(
        request=request,
        actor=staff,
        model_label="accounts.Address",
        pk=address.pk,
        field="city",
        value="Villeurbanne",
    )

    assert User.objects.get(pk=user.pk).full_name == "Inès Morel-Garnier"
    assert Address.objects.get(pk=address.pk).city == "Villeurbanne"
    rows = AuditEvent.objects.filter(action="rectified").order_by("pk")
    assert [(r.actor, r.subject, r.object_type, r.object_id, r.fields) for r in rows] == [
        (staff, user, "accounts.user", str(user.pk), ["full_name"]),
        (staff, user, "accounts.address", str(address.pk), ["city"]),
    ]
    assert actions(request)[-2:] == ["rectified", "rectified"]


@pytest.mark.parametrize(
    ("model_label", "field", "value", "message"),
    [
        ("orders.Order", "billing_name", "Someone", "Records under a legal hold"),
        ("accounts.User", "password", "plain-text", "changed by their owner"),
        ("accounts.User", "is_staff", "true", "not personal data this request can correct"),
        ("accounts.Seller", "iban", "FR76", "Records under a legal hold"),
        ("accounts.User", "email", "not an email", "Enter a valid email address."),
        ("accounts.Nope", "x", "y", "not personal data this request can correct"),
    ],
)
def test_right_2_rectification_refuses_what_it_may_not_change(
    model_label: str, field: str, value: str, message: str
) -> None:
    user = person()
    request = _rectification(user)
    pk: Any = user.pk
    if model_label == "orders.Order":
        from tests.orders.conftest import make_order, make_seller

        pk = make_order(user, make_seller()).pk
    before = User.objects.filter(pk=user.pk).values().get()

    with pytest.raises(RequestError, match=message):
        data_request_rectify(
            request=request, actor=dpo(), model_label=model_label, pk=pk, field=field, value=value
        )

    assert User.objects.filter(pk=user.pk).values().get() == before
    assert not AuditEvent.objects.filter(action="rectified").exists()


def test_right_2_rectification_cannot_reach_another_persons_record() -> None:
    user, other = person(), person("someone@example.org")
    request = _rectification(user)
    theirs = Address.objects.get(user=other)

    with pytest.raises(RequestError, match="does not belong to the person who asked"):
        data_request_rectify(
            request=request,
            actor=dpo(),
            model_label="accounts.Address",
            pk=theirs.pk,
            field="line1",
            value="1 rue Volée",
        )
    with pytest.raises(RequestError, match="does not belong to the person who asked"):
        data_request_rectify(
            request=request,
            actor=dpo(),
            model_label="accounts.User",
            pk=other.pk,
            field="full_name",
            value="Stolen",
        )

    assert Address.objects.get(pk=theirs.pk).line1 == "4 rue Garibaldi"
    assert User.objects.get(pk=other.pk).full_name == "Inès Morel"
    assert not AuditEvent.objects.filter(action="rectified").exists()


def test_right_2_only_a_rectification_in_progress_changes_data() -> None:
    user = person()
    access = signed_in_request(user, Kind.ACCESS)
    with pytest.raises(RequestError, match="Only a rectification request in progress"):
        data_request_rectify(
            request=access,
            actor=dpo(),
            model_label="accounts.User",
            pk=user.pk,
            field="full_name",
            value="X",
        )
    assert User.objects.get(pk=user.pk).full_name == "Inès Morel"
