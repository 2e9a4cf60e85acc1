"""How an erasure request closes, and what closes with it (RIGHT-3, RIGHT-5, RETAIN-1).

Hardening 4.1: an erasure request closes as completed only when its erasure is done;
otherwise as refused or partly done, with the legal reason and what stays until when.
Hardening 4.3: the person's other open requests close with the erasure; a company left
with no member goes; accounting records keep a reason code, not the buyer's words.
Hardening 4.5: the erased person's sessions end at the moment of erasure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from recommerce.accounts.models import Company, CompanyMembership, User
from recommerce.accounts.services.companies import company_create
from recommerce.orders.models import Invoice, Order
from recommerce.orders.services import fulfilment
from recommerce.payments import services as payment_services
from recommerce.payments.models import Refund
from recommerce.platform import clock
from recommerce.privacy.models import DataRequest, ErasureRecord
from recommerce.privacy.registry import registry
from recommerce.privacy.services.erasure import erasure_start
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.requests import (
    RequestError,
    data_request_close,
    data_request_closings,
    data_request_submit,
    data_request_verify_by_staff,
)
from tests.accounts.conftest import PASSWORD, make_staff
from tests.privacy.test_rights_erasure import buy, deliver, make_person, recorders

pytestmark = pytest.mark.django_db

Status = DataRequest.Status
Kind = DataRequest.Kind
BASE = "/staff/privacy/"


def dpo() -> User:
    staff = make_staff(None, "dpo@example.com")
    staff.user_permissions.add(Permission.objects.get(codename="handle_datarequest"))
    return User.objects.get(pk=staff.pk)


def ask(user: User, kind: str, **extra: Any) -> DataRequest:
    return data_request_submit(
        kind=kind,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction="gdpr",
        full_name=user.full_name,
        email=user.email,
        user=user,
        **extra,
    )


def closed_mail(request: DataRequest) -> str:
    (sent,) = [m for m in mail.outbox if request.reference in m.subject and "answered" in m.subject]
    return sent.body


# --- 4.1 An erasure request closes as its ledger allows ---------------------------------------


def test_p_right_3_a_postponed_erasure_cannot_be_completed_by_hand(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
):
    """Hardening 4.1: "Complete with an answer" is refused while every row is intact.

    promise: RIGHT-3
    """
    recorders(monkeypatch)
    person = make_person()
    (order,) = buy(person, django_capture_on_commit_callbacks, sellers=1).orders
    staff = dpo()
    request = ask(person, Kind.ERASURE)
    data_request_fulfil(request=request, actor=staff)
    request.refresh_from_db()
    assert ErasureRecord.objects.get(request_reference=request.reference).status == "postponed"
    assert data_request_closings(request) == {Status.REFUSED}
    mail.outbox.clear()

    with pytest.raises(RequestError, match="completed by its erasure"):
        data_request_close(request=request, actor=staff, answer="Your data is erased.")
    with pytest.raises(RequestError, match="partly done"):
        data_request_close(request=request, actor=staff, answer="Some of it.", partly=True)

    request.refresh_from_db()
    assert (request.status, request.answer, request.closed_at) == (Status.IN_PROGRESS, "", None)
    assert mail.outbox == []
    assert User.objects.get(pk=person.pk).email == person.email

    # Refusing says why and what stays, with the day the obstacle ends at the latest.
    data_request_close(
        request=request,
        actor=staff,
        answer="Art. 17(3)(b) GDPR: your order is a contract still being performed.",
        refused=True,
    )
    request.refresh_from_db()
    assert request.status == Status.REFUSED
    body = closed_mail(request)
    assert "is refused" in body
    assert "Your account and its data stay as they are for now." in body
    assert f"Order {order.number} is waiting to be shipped" in body
    assert "at the latest" in body


def test_p_right_3_the_console_offers_no_completion_for_a_postponed_erasure(
    client: Client, django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch
):
    """Hardening 4.1: the page shows Refuse only, and a forged "complete" changes nothing.

    promise: RIGHT-3
    """
    recorders(monkeypatch)
    person = make_person()
    buy(person, django_capture_on_commit_callbacks, sellers=1)
    staff = dpo()
    request = ask(person, Kind.ERASURE)
    data_request_fulfil(request=request, actor=staff)
    client.force_login(staff)

    page = client.get(f"{BASE}{request.reference}/").content.decode()
    assert "Complete with an answer" not in page
    assert "Refuse the request" in page

    client.post(f"{BASE}{request.reference}/complete/", {"complete-answer": "Done."})

    request.refresh_from_db()
    assert (request.status, request.closed_at) == (Status.IN_PROGRESS, None)


def test_p_right_3_a_done_erasure_completes_and_tells_what_stays_until_when(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
):
    """Hardening 4.1: the answer lists the records kept by law, each with its last day.

    promise: RIGHT-3, RETAIN-1
    """
    recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    deliver(bought, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(order=bought.orders[0], kind=Invoice.Kind.SALE)
    request = ask(person, Kind.ERASURE)

    data_request_fulfil(request=request, actor=dpo())

    request.refresh_from_db()
    record = ErasureRecord.objects.get(request_reference=request.reference)
    assert (record.status, request.status) == ("done", Status.COMPLETED)
    kept = {entry["what"]: entry for entry in record.kept}
    assert kept["Invoices"]["until"] == invoice.legal_hold_until.isoformat()
    body = closed_mail(request)
    day = f"{invoice.legal_hold_until.day} {invoice.legal_hold_until:%B %Y}"
    assert f"Invoices (keep accounting records and invoices): kept until {day}." in body
    assert "Your data-protection requests" in body


def test_p_right_3_an_erasure_whose_recipients_were_not_told_closes_as_partly_done(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
):
    """Hardening 4.1: data erased, a recipient unreachable: partly done, not completed.

    promise: RIGHT-3
    """
    recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    deliver(bought, django_capture_on_commit_callbacks)

    def down(recipient: str, references: Any) -> None:
        raise ConnectionError("seller mailbox unreachable")

    monkeypatch.setitem(registry.recipient_notifiers, "seller", down)
    staff = dpo()
    request = ask(person, Kind.ERASURE)
    data_request_fulfil(request=request, actor=staff)
    request.refresh_from_db()
    assert ErasureRecord.objects.get(request_reference=request.reference).status == "failed"
    assert data_request_closings(request) == {Status.PARTLY_DONE}

    with pytest.raises(RequestError, match="already erased"):
        data_request_close(request=request, actor=staff, answer="No.", refused=True)
    data_request_close(
        request=request,
        actor=staff,
        answer="The seller could not be reached to delete its copy; we keep trying.",
        partly=True,
    )

    request.refresh_from_db()
    assert request.status == Status.PARTLY_DONE
    body = closed_mail(request)
    assert "partly carried out" in body and "Invoices (" in body


# --- 4.3 What closes with the erasure ---------------------------------------------------------


def test_p_right_5_the_persons_other_open_requests_close_with_the_erasure(
    monkeypatch: pytest.MonkeyPatch,
):
    """Hardening 4.3: a correction and a public request are answered, their clocks start.

    promise: RIGHT-5, RETAIN-1
    """
    recorders(monkeypatch)
    person = make_person()
    staff = dpo()
    correction = ask(person, Kind.RECTIFICATION, details="My name is misspelt.")
    public = data_request_submit(
        kind=Kind.ACCESS,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction="gdpr",
        full_name=person.full_name,
        email=person.email.upper(),
    )
    data_request_verify_by_staff(request=public, actor=staff, method="signed letter")
    stranger = data_request_submit(
        kind=Kind.ACCESS,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction="gdpr",
        full_name="Someone Else",
        email="someone@example.org",
    )
    erasure = ask(person, Kind.ERASURE)

    data_request_fulfil(request=erasure, actor=staff)

    for request in (correction, public):
        request.refresh_from_db()
        assert request.status == Status.COMPLETED
        assert request.closed_at is not None
        assert "erased on" in request.answer and erasure.reference in request.answer
    assert "nothing is left to correct" in correction.answer
    assert "Invoices" not in correction.answer or "kept" in correction.answer
    stranger.refresh_from_db()
    assert (stranger.status, stranger.closed_at) == (Status.RECEIVED, None)
    record = ErasureRecord.objects.get(request_reference=erasure.reference)
    assert record.related_requests == sorted([correction.reference, public.reference])


def test_p_right_3_a_company_left_with_no_member_goes_with_its_last_member(
    monkeypatch: pytest.MonkeyPatch,
):
    """Hardening 4.3: the company's name does not outlive everyone behind it.

    promise: RIGHT-3
    """
    recorders(monkeypatch)
    alone = make_person("alone@example.org", name="Solène Seule")
    company = company_create(owner=alone, legal_name="Solène Seule EI", country="FR")
    pair = make_person("first@example.org", name="Paul Premier")
    shared = company_create(owner=pair, legal_name="Duo SARL", country="FR")
    other = make_person("second@example.org", name="Sara Second")
    CompanyMembership.objects.create(company=shared, user=other, role="buyer")

    assert erasure_start(user=alone).status == "done"
    assert erasure_start(user=pair).status == "done"

    assert not Company.objects.filter(pk=company.pk).exists()
    assert Company.objects.get(pk=shared.pk).legal_name == "Duo SARL"


def test_p_retain_1_refunds_and_credit_notes_keep_a_code_not_the_buyers_words(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
):
    """Hardening 4.3: the cancel reason stays on the order; accounting gets a code.

    promise: RETAIN-1, RIGHT-3
    """
    recorders(monkeypatch)
    person = make_person()
    (order,) = buy(person, django_capture_on_commit_callbacks, sellers=1).orders
    words = "My husband Zyxwq found it cheaper elsewhere"

    sandbox: Any = payment_services.payment_provider()
    # Later than the sandbox's confirmation delay, as ``buy`` was.
    with time_machine.travel(clock.now() + dt.timedelta(seconds=30)):
        with django_capture_on_commit_callbacks(execute=True):
            fulfilment.order_cancel(order=order, actor=person, reason=words)
        with django_capture_on_commit_callbacks(execute=True):
            sandbox.outbox_deliver_due()

    refund = Refund.objects.get(payment=order.payment)
    assert refund.reason == Refund.Reason.ORDER_CANCELLED
    note = Invoice.objects.get(order=order, kind=Invoice.Kind.CREDIT_NOTE)
    assert [line["description"] for line in note.lines] == ["Order cancelled"]
    assert Order.objects.get(pk=order.pk).cancel_reason == words
    assert "zyxwq" not in str(note.lines).lower() and "zyxwq" not in refund.reason.lower()


# --- 4.5 Sessions end at the erasure ----------------------------------------------------------


def test_p_sec_2_an_erased_persons_sessions_end_at_the_erasure(monkeypatch: pytest.MonkeyPatch):
    """Hardening 4.5: web sessions and app tokens are gone when the erasure commits.

    promise: RIGHT-3, SEC-2
    """
    recorders(monkeypatch)
    person = make_person()
    bystander = make_person("bystander@example.org", name="Bea Bystander")
    web, theirs = Client(), Client()
    assert web.login(email=person.email, password=PASSWORD)
    assert theirs.login(email=bystander.email, password=PASSWORD)
    app = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": person.email, "password": PASSWORD},
        content_type="application/json",
    )
    token = app.json()["meta"]["session_token"]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store().exists(token)
    assert Session.objects.count() == 3

    erasure_start(user=person)

    assert not store().exists(token)
    assert not store().exists(web.session.session_key)
    assert store().exists(theirs.session.session_key)
    assert Session.objects.count() == 1
