"""Erasure (RIGHT-3): one pass over the registry, atomic, resumable, replayed after a restore.

The canary test gives a person distinctive values, spreads them through every part of the
platform by its own services (sign-up, address book, checkout, payment, delivery, invoices,
disclosures, objections, API calls, an uploaded document), then reads every column of every
table and every stored file: after the erasure the values survive only where the registry
declares a legal hold.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth import authenticate
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from recommerce.accounts.models import Address, Seller, SellerDocument, SellerMembership, User
from recommerce.accounts.services import seller_create
from recommerce.accounts.services.sellers import seller_document_add
from recommerce.accounts.services.users import address_create
from recommerce.checkout.models import Cart, CartLine, Checkout
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.checkout.services.checkout import checkout_pay, checkout_start
from recommerce.orders.models import Invoice, Order, Payout, TrackingEvent
from recommerce.orders.services import fulfilment
from recommerce.payments import services as payment_services
from recommerce.payments.models import Chargeback, Payment
from recommerce.platform import clock
from recommerce.platform.idempotency import idempotent_call
from recommerce.platform.models import IdempotentRequest
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy import purposes
from recommerce.privacy.encryption.files import MAGIC
from recommerce.privacy.models import (
    AuditEvent,
    DataRequest,
    Disclosure,
    ErasureNotice,
    ErasureRecord,
    ExportArchive,
    ProcessingLimit,
    StaffAccess,
)
from recommerce.privacy.registry import Erasure, registry
from recommerce.privacy.rights import erase
from recommerce.privacy.services import staff_access_record
from recommerce.privacy.services.erasure import (
    erasure_blockers,
    erasure_run,
    erasure_start,
)
from recommerce.privacy.services.exports import export_request
from recommerce.privacy.services.handling import data_request_fulfil
from recommerce.privacy.services.limits import processing_limit_set
from recommerce.privacy.services.requests import data_request_submit
from tests.accounts.conftest import PASSWORD, make_staff, make_user
from tests.checkout.conftest import make_offer
from tests.storage import throwaway_storage

pytestmark = pytest.mark.django_db

CANARY_NAME = "Zyxwq Canary"
CANARY_EMAIL = "canary-7f3a@example.org"
CANARY_PHONE = "+33698765431"
CANARY_STREET = "8 allée Vqxjz"
CANARY_CITY = "Qwyzxville"
CANARY_POSTAL_CODE = "75011"

# One distinctive piece of each kind of value, searched case-insensitively.
TOKENS = {
    "name": "zyxwq",
    "email": "canary-7f3a",
    "phone": "698765431",
    "street": "vqxjz",
    "city": "qwyzxville",
}
RECIPIENT_KINDS = (
    "seller",
    "carrier",
    "insurer",
    "payment_provider",
    "credit_partner",
    "fraud_service",
)
PAID = "4242424242424242"


# --- Environment ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def storage_dirs(settings: Any, tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Send uploads and private files to throw-away folders the scan can read in full."""
    dirs = throwaway_storage(settings, tmp_path)
    clear_provider_cache()
    yield dirs
    clear_provider_cache()


# --- Builders ---------------------------------------------------------------------------------


def make_person(email: str = CANARY_EMAIL, *, name: str = CANARY_NAME) -> User:
    """An adult with a phone and a delivery and a billing address, all distinctive."""
    user = make_user(
        email, full_name=name, phone=CANARY_PHONE, country="FR", birth_date=dt.date(1988, 3, 9)
    )
    for kind in (Address.Kind.DELIVERY, Address.Kind.BILLING):
        address_create(
            actor=user,
            user=user,
            kind=kind,
            full_name=name,
            line1=CANARY_STREET,
            postal_code=CANARY_POSTAL_CODE,
            city=CANARY_CITY,
            country="FR",
            phone=CANARY_PHONE,
        )
    return user


@dataclass
class Bought:
    orders: list[Order]
    owners: dict[int, User]  # seller id → owner who fulfils


def buy(user: User, capture: Callable[..., Any], *, sellers: int = 2) -> Bought:
    """Buy one unit from each of ``sellers`` new sellers through the checkout and pay."""
    offers = [make_offer(stock=3, price_minor=20_000 + 1000 * n) for n in range(sellers)]
    owners = {}
    for offer in offers:
        owner = make_user(full_name=f"Owner {offer.seller.name}")
        SellerMembership.objects.create(
            seller=offer.seller, user=owner, role=SellerMembership.Role.OWNER
        )
        owners[offer.seller_id] = owner
    cart = cart_for_user(user=user)
    for offer in offers:
        cart_line_add(cart=cart, offer_id=offer.pk, quantity=1)
    checkout = checkout_start(user=user, cart=cart)
    payment = checkout_pay(
        checkout=checkout,
        return_url=f"http://testserver/checkout/{checkout.reference}/return/",
        cancel_url=f"http://testserver/checkout/{checkout.reference}/cancelled/",
    )
    sandbox: Any = payment_services.payment_provider()
    sandbox.card_pay(public_id=payment.provider_session_id, number=PAID)
    with (
        time_machine.travel(clock.now() + dt.timedelta(seconds=10)),
        capture(execute=True),
    ):
        sandbox.outbox_deliver_due()
    orders = list(Order.objects.filter(buyer=user, payment=payment).order_by("pk"))
    assert len(orders) == sellers
    return Bought(orders=orders, owners=owners)


def deliver(bought: Bought, capture: Callable[..., Any]) -> None:
    """Ship every order with the platform's carrier and let the parcels arrive."""
    for order in bought.orders:
        with capture(execute=True):
            units = {
                line.pk: [f"SN-{order.number}-{line.pk}-{n}" for n in range(line.quantity)]
                for line in order.lines.all()
            }
            fulfilment.order_ship(order=order, units=units, actor=bought.owners[order.seller_id])
    with time_machine.travel(clock.now() + dt.timedelta(days=3)), capture(execute=True):
        for order in bought.orders:
            fulfilment.order_tracking_refresh(order=order)
    for order in bought.orders:
        order.refresh_from_db()
        assert order.status == Order.Status.DELIVERED


def upload_document(person: User) -> SellerDocument:
    """The person, a finance member of a seller being set up, uploads its registration."""
    seller = seller_create(
        name="Atelier Reprise",
        legal_name="Atelier Reprise SAS",
        country="FR",
        status=Seller.Status.DRAFT,
    )
    owner = make_user(full_name="Other Owner")
    SellerMembership.objects.create(seller=seller, user=owner, role=SellerMembership.Role.OWNER)
    SellerMembership.objects.create(seller=seller, user=person, role=SellerMembership.Role.FINANCE)
    content = f"%PDF-1.4\nExtrait Kbis. Gérant: {CANARY_NAME}, {CANARY_STREET}\n".encode()
    upload = SimpleUploadedFile("kbis.pdf", content, content_type="application/pdf")
    return seller_document_add(
        seller=seller, actor=person, kind=SellerDocument.Kind.REGISTRATION, upload=upload
    )


def recorders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, list[str]]]:
    """Replace every recipient notifier by one that records what it was told."""
    told: list[tuple[str, str, list[str]]] = []
    for kind in RECIPIENT_KINDS:

        def notify(recipient: str, references: Sequence[str], kind: str = kind) -> None:
            told.append((kind, recipient, sorted(references)))

        monkeypatch.setitem(registry.recipient_notifiers, kind, notify)
    return told


# --- Scans ------------------------------------------------------------------------------------

Place = tuple[str, str]


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.lower()
    return json.dumps(value, ensure_ascii=False, default=str).lower()


def database_models() -> list[type[models.Model]]:
    """Return every model with a table in the database (test-only models have none)."""
    tables = set(connection.introspection.table_names())
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables and not model._meta.proxy
    ]


def scan_database() -> dict[str, set[Place]]:
    """Return, per kind of canary value, every (model, column) holding it, in every table."""
    found: dict[str, set[Place]] = {kind: set() for kind in TOKENS}
    for model in database_models():
        columns = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not columns:
            continue
        names = [f.attname for f in columns]
        for row in model._base_manager.values_list(*names):
            for column, value in zip(columns, row, strict=True):
                if value in (None, "", [], {}):
                    continue
                text = _text(value)
                for kind, token in TOKENS.items():
                    if token in text:
                        found[kind].add((model._meta.label, column.name))
    return found


def scan_files(roots: dict[str, Path]) -> dict[str, set[Place]]:
    """Return, per kind, every stored file holding it (inside ZIP archives too)."""
    found: dict[str, set[Place]] = {kind: set() for kind in TOKENS}
    for root_name, root in roots.items():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            chunks = [path.read_bytes()]
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    chunks += [archive.read(name) for name in archive.namelist()]
            text = b"\n".join(chunks).decode("utf-8", "replace").lower()
            for kind, token in TOKENS.items():
                if token in text:
                    found[kind].add((root_name, path.relative_to(root).as_posix()))
    return found


def places(found: dict[str, set[Place]]) -> set[Place]:
    return set().union(*found.values())


def db_snapshot(*, skip: Sequence[str] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table (but ``skip``), to compare before and after."""
    rows = {}
    for model in database_models():
        if model._meta.label in skip:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = sorted(
            model._base_manager.values_list(*names), key=lambda r: str(r[0])
        )
    return rows


LEDGER = ("privacy.ErasureRecord", "privacy.ErasureNotice")


# --- The canary -------------------------------------------------------------------------------


@pytest.fixture
def canary(
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    """A person whose values are everywhere, with two delivered orders and much more."""
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks)
    deliver(bought, django_capture_on_commit_callbacks)
    cart_line_add(cart=cart_for_user(user=person), offer_id=make_offer().pk, quantity=1)
    staff = make_staff(None, "dpo@example.com")
    staff_access_record(
        staff=staff, subject=person, what=f"profile of {CANARY_NAME}", path="/staff/people/"
    )
    processing_limit_set(
        user=person,
        purpose=purposes.MARKETING_EMAIL,
        kind=ProcessingLimit.Kind.OBJECTION,
        reason=f"{CANARY_NAME} objected by phone",
    )
    idempotent_call(
        actor=f"user:{person.pk}",
        key="profile-1",
        operation="profile.update",
        body={"full_name": CANARY_NAME},
        call=lambda: (200, {"full_name": CANARY_NAME, "email": CANARY_EMAIL}),
    )
    SocialAccount.objects.create(
        user=person,
        provider="google",
        uid="g-1029384756",
        extra_data={"email": CANARY_EMAIL, "name": CANARY_NAME},
    )
    document = upload_document(person)
    TOTP.activate(person, generate_totp_secret())
    with django_capture_on_commit_callbacks(execute=True):
        archive = export_request(user=person)  # a copy of their data waits in private storage
    archive.refresh_from_db()
    assert archive.status == ExportArchive.Status.READY
    return {
        "person": person,
        "bought": bought,
        "document": document,
        "staff": staff,
        "export": archive,
    }


# What the law makes the platform keep after an erasure, and only that (legal hold).
HELD_IN_DATABASE = {
    ("orders.Order", "billing_name"),
    ("orders.Order", "billing_line1"),
    ("orders.Order", "billing_city"),
    ("orders.Invoice", "customer_details"),
    ("privacy.DataRequest", "full_name"),
    ("privacy.DataRequest", "email"),
}


def test_right_3_canary_survives_only_under_legal_hold(
    canary: dict[str, Any],
    storage_dirs: dict[str, Path],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person: User = canary["person"]
    document: SellerDocument = canary["document"]

    before_db, before_files = scan_database(), scan_files(storage_dirs)
    for kind in TOKENS:
        assert before_db[kind], f"no {kind} in the database before the erasure"
    assert {
        ("accounts.User", "email"),
        ("accounts.User", "full_name"),
        ("accounts.User", "phone"),
        ("accounts.Address", "line1"),
        ("account.EmailAddress", "email"),
        ("socialaccount.SocialAccount", "extra_data"),
        ("checkout.Checkout", "delivery"),
        ("orders.Order", "delivery_name"),
        ("orders.Order", "buyer_email"),
        ("orders.Invoice", "customer_details"),
        ("platform.IdempotentRequest", "response"),
        ("privacy.StaffAccess", "what"),
        ("privacy.ProcessingLimit", "reason"),
    } <= places(before_db)
    # The seller's registration extract and the export name the person, but both are
    # sealed at rest (SEC-1): no scan of the disk reads them.
    assert places(before_files) == set()
    sealed_extract = storage_dirs["private"] / document.file.name
    sealed_export = storage_dirs["private"] / canary["export"].file_name
    assert sealed_extract.read_bytes().startswith(MAGIC)
    assert sealed_export.read_bytes().startswith(MAGIC)

    request = data_request_submit(
        kind=DataRequest.Kind.ERASURE,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=CANARY_NAME,
        email=CANARY_EMAIL,
        user=person,
    )
    with django_capture_on_commit_callbacks(execute=True):
        data_request_fulfil(request=request, actor=canary["staff"])

    record = ErasureRecord.objects.get(subject_id=person.pk)
    assert (record.status, record.error, record.blockers) == (ErasureRecord.Status.DONE, "", [])
    request.refresh_from_db()
    assert request.status == DataRequest.Status.COMPLETED
    assert request.user_id is None

    after_db = places(scan_database())
    assert after_db == HELD_IN_DATABASE
    for label, field in after_db:
        assert registry.personal_fields[(label, field)].erasure is Erasure.LEGAL_HOLD
    # The seller's registration extract is the company's, kept (sealed) for its legal period.
    assert places(scan_files(storage_dirs)) == set()
    assert sealed_extract.read_bytes().startswith(MAGIC)
    assert not sealed_export.exists()  # the export goes with the person
    assert registry.personal_fields[("accounts.SellerDocument", "file")].erasure is (
        Erasure.LEGAL_HOLD
    )

    # Rows that were only about the person are gone; kept records no longer point at them.
    orders = canary["bought"].orders
    assert not Address.objects.filter(user=person).exists()
    assert not Cart.objects.filter(user=person).exists()
    assert not CartLine.objects.filter(cart__user=person).exists()
    assert not Checkout.objects.filter(user=person).exists()
    assert not ProcessingLimit.objects.filter(user=person).exists()
    assert not IdempotentRequest.objects.filter(actor=f"user:{person.pk}").exists()
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not ExportArchive.objects.filter(user=person).exists()
    assert not SellerMembership.objects.filter(user=person).exists()
    assert not TrackingEvent.objects.filter(order__in=orders).exists()
    assert Order.objects.filter(pk__in=[o.pk for o in orders], buyer=None).count() == 2
    assert (
        Invoice.objects.filter(order__in=orders, buyer=None).count()
        == Invoice.objects.filter(order__in=orders).count()
    )
    assert Payment.objects.filter(pk=orders[0].payment_id, payer=None).exists()
    assert not AuditEvent.objects.filter(subject=person).exists()
    assert not Disclosure.objects.filter(subject=person).exists()
    assert not StaffAccess.objects.filter(subject=person).exists()
    # Each recipient of an earlier disclosure was told, through its own adapter, and what
    # it was told carries no value of the person.
    notices = ErasureNotice.objects.filter(erasure=record)
    assert sorted(notices.values_list("recipient_kind", "status")) == [
        ("carrier", "sent"),
        ("fraud_service", "sent"),
        ("payment_provider", "sent"),
        ("seller", "sent"),
        ("seller", "sent"),
    ]
    owners = canary["bought"].owners
    for order in orders:
        (message,) = [
            m
            for m in mail.outbox
            if m.to == [owners[order.seller_id].email] and "erased" in m.subject
        ]
        assert order.number in message.body
    told = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox if "erased" in m.subject)
    told = told.lower()
    assert not [token for token in TOKENS.values() if token in told]


def test_right_3_erased_person_cannot_sign_in_and_their_session_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorders(monkeypatch)
    person = make_person()
    browser = Client()
    browser.force_login(person)
    profile = reverse("accounts:profile")
    assert browser.get(profile).status_code == 200

    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.DONE
    shell = User.objects.get(pk=person.pk)
    assert (shell.email, shell.full_name, shell.phone) == (
        f"erased-{person.pk}@erased.invalid",
        "",
        "",
    )
    assert (shell.is_active, shell.has_usable_password()) == (False, False)
    assert authenticate(None, email=CANARY_EMAIL, password=PASSWORD) is None
    assert authenticate(None, email=shell.email, password=PASSWORD) is None
    assert Client().login(email=CANARY_EMAIL, password=PASSWORD) is False
    assert browser.get(profile).status_code == 302


# --- Blockers ---------------------------------------------------------------------------------


def test_right_3_open_order_postpones_and_changes_nothing(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    (order,) = bought.orders
    assert order.status == Order.Status.PAID
    before = db_snapshot(skip=LEDGER)

    reasons = erasure_blockers(user=person)
    record = erasure_start(user=person)

    # Each blocker says when it ends (Hardening 4.2).
    assert len(reasons) == 1
    assert reasons[0].startswith(
        f"Order {order.number} is waiting to be shipped by {order.seller.name}. It ends when "
        "it is cancelled or delivered; if it is not shipped by "
    )
    assert (record.status, record.blockers, record.erased_at) == (
        ErasureRecord.Status.POSTPONED,
        reasons,
        None,
    )
    assert db_snapshot(skip=LEDGER) == before
    assert not ErasureNotice.objects.exists()

    # Once the order is delivered, the postponed erasure goes through.
    deliver(bought, django_capture_on_commit_callbacks)
    assert erasure_blockers(user=person) == []
    resumed = erasure_run(record=ErasureRecord.objects.get(pk=record.pk))
    assert (resumed.status, resumed.blockers) == (ErasureRecord.Status.DONE, [])
    assert User.objects.get(pk=person.pk).email == f"erased-{person.pk}@erased.invalid"


def test_right_3_sole_owner_of_a_live_seller_is_postponed() -> None:
    person = make_person()
    seller = seller_create(name="Solo Refurb", legal_name="Solo Refurb SAS", country="FR")
    SellerMembership.objects.create(seller=seller, user=person, role=SellerMembership.Role.OWNER)
    before = db_snapshot(skip=LEDGER)

    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.POSTPONED
    assert record.blockers == [
        "You are the only owner of the seller account “Solo Refurb”. It ends when you add "
        "another owner or close the seller account."
    ]
    assert db_snapshot(skip=LEDGER) == before


def test_right_3_a_payment_in_progress_or_an_open_dispute_postpones(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = make_person()
    cart = cart_for_user(user=person)
    cart_line_add(cart=cart, offer_id=make_offer().pk, quantity=1)
    checkout = checkout_start(user=person, cart=cart)
    payment = checkout_pay(
        checkout=checkout,
        return_url="http://testserver/return/",
        cancel_url="http://testserver/cancelled/",
    )
    assert payment.status in (Payment.Status.PENDING, Payment.Status.PROCESSING)
    before = db_snapshot(skip=LEDGER)

    record = erasure_start(user=person)

    assert (record.status, record.blockers) == (
        ErasureRecord.Status.POSTPONED,
        [
            "A payment is being processed. It ends when the payment provider accepts or "
            "refuses it, usually within minutes; an abandoned payment page expires with its "
            "checkout."
        ],
    )
    assert db_snapshot(skip=LEDGER) == before

    Payment.objects.filter(pk=payment.pk).update(status=Payment.Status.CAPTURED)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        Chargeback.objects.create(
            payment=payment,
            provider_dispute_id="dp_1",
            amount_minor=payment.amount_minor,
            reason="fraudulent",
            status=Chargeback.Status.OPEN,
        )
    # Hardening 4.2: every blocker gives its end, a dispute the day banks usually decide.
    assert erasure_blockers(user=person) == [
        "A payment dispute is open: the law lets us keep your data until it is settled. It "
        "ends when your bank decides the dispute, which card networks give it 75 days to "
        "do: usually by 16 May 2026."
    ]


# --- Failures and resumption ------------------------------------------------------------------


def test_right_3_a_failing_recipient_leaves_the_erasure_failed_then_resumable(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    told = recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    deliver(bought, django_capture_on_commit_callbacks)
    (order,) = bought.orders

    def down(recipient: str, references: Sequence[str]) -> None:
        raise ConnectionError("seller mailbox unreachable")

    monkeypatch.setitem(registry.recipient_notifiers, "seller", down)
    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.FAILED
    assert record.error == "1 recipient(s) could not be told; resume to retry."
    assert record.erased_at is not None  # the data itself is erased, once
    assert User.objects.get(pk=person.pk).full_name == ""
    seller_notice = ErasureNotice.objects.get(erasure=record, recipient_kind="seller")
    assert (seller_notice.status, seller_notice.last_error, seller_notice.references) == (
        ErasureNotice.Status.FAILED,
        "seller mailbox unreachable",
        [order.number],
    )
    sent_before = [t for t in told if t[0] != "seller"]

    monkeypatch.setitem(
        registry.recipient_notifiers,
        "seller",
        lambda recipient, references: told.append(("seller", recipient, list(references))),
    )
    resumed = erasure_run(record=ErasureRecord.objects.get(pk=record.pk))

    assert (resumed.status, resumed.error) == (ErasureRecord.Status.DONE, "")
    assert resumed.finished_at is not None
    assert ("seller", order.seller.name, [order.number]) in told
    # Recipients already told are not told twice.
    assert [t for t in told if t[0] != "seller"] == sent_before
    assert set(ErasureNotice.objects.filter(erasure=record).values_list("status", flat=True)) == {
        ErasureNotice.Status.SENT
    }


def test_right_3_erasure_is_atomic_and_resumes_after_a_crash(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    deliver(bought, django_capture_on_commit_callbacks)
    before = db_snapshot(skip=LEDGER)
    real = erase.holding_erase
    calls: list[str] = []

    def third_call_crashes(holding: Any, **kwargs: Any) -> tuple[str, int]:
        calls.append(holding.label)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(holding, **kwargs)

    monkeypatch.setattr(erase, "holding_erase", third_call_crashes)
    record = erasure_start(user=person)

    assert len(calls) == 3
    assert (record.status, record.error, record.erased_at) == (
        ErasureRecord.Status.FAILED,
        "Data not erased: disk full",
        None,
    )
    assert db_snapshot(skip=LEDGER) == before
    assert not ErasureNotice.objects.exists()

    monkeypatch.setattr(erase, "holding_erase", real)
    resumed = erasure_run(record=ErasureRecord.objects.get(pk=record.pk))

    assert resumed.status == ErasureRecord.Status.DONE
    assert resumed.attempts == 2
    assert User.objects.get(pk=person.pk).email == f"erased-{person.pk}@erased.invalid"
    assert not Address.objects.filter(user=person).exists()


# --- Shared records ---------------------------------------------------------------------------


def test_right_3_second_approvers_link_on_a_shared_payout_is_kept() -> None:
    first, second = make_staff(None, "fin1@example.com"), make_staff(None, "fin2@example.com")
    seller = seller_create(name="Shared Payouts", legal_name="Shared Payouts SAS", country="FR")
    payout = Payout.objects.create(
        seller=seller,
        amount_minor=12_345,
        currency="EUR",
        status="paid",
        run_date=dt.date(2025, 3, 1),
        created_by=first,
        approved_by=second,
    )
    other = Payout.objects.create(
        seller=seller,
        amount_minor=500,
        currency="EUR",
        status="paid",
        run_date=dt.date(2025, 4, 1),
        created_by=second,
        approved_by=first,
    )

    record = erasure_start(user=first)

    assert record.status == ErasureRecord.Status.DONE
    payout.refresh_from_db()
    other.refresh_from_db()
    assert (payout.created_by_id, payout.approved_by_id) == (None, second.pk)
    assert (other.created_by_id, other.approved_by_id) == (second.pk, None)
    assert (payout.amount_minor, other.amount_minor) == (12_345, 500)


def test_right_3_staff_links_on_the_persons_audit_rows_are_kept() -> None:
    person = make_person()
    staff = make_staff(None, "support@example.com")
    seen = staff_access_record(staff=staff, subject=person, what=f"profile of {CANARY_NAME}")

    erasure_start(user=person)

    seen.refresh_from_db()
    assert (seen.subject_id, seen.staff_id) == (None, staff.pk)
    assert seen.what.startswith("pseudonym:") and CANARY_NAME not in seen.what
    own_changes = AuditEvent.objects.filter(object_type="accounts.address")
    assert own_changes.count() == 2
    links: set[tuple[Any, Any]] = set(own_changes.values_list("subject", "actor"))
    assert links == {(None, None)}


# Replay after a backup restore: tests/privacy/test_erasure_ledger.py and
# tests/privacy/test_backup_restore.py.


def test_right_3_a_missing_recipient_adapter_fails_rather_than_claims_done(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = make_person()
    Disclosure.objects.create(
        subject=person,
        recipient_kind=Disclosure.RecipientKind.AD_PARTNER,
        recipient="Ad network",
        fields=["email"],
        purpose=purposes.MARKETING_AUDIENCES.code,
        legal_basis=purposes.MARKETING_AUDIENCES.basis.value,
    )
    monkeypatch.delitem(registry.recipient_notifiers, "ad_partner", raising=False)

    record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.FAILED
    notice = ErasureNotice.objects.get(erasure=record)
    assert (notice.recipient, notice.status, notice.last_error) == (
        "Ad network",
        ErasureNotice.Status.FAILED,
        "No adapter tells a ad_partner of an erasure.",
    )


def test_right_3_export_files_and_identity_documents_of_the_person_are_deleted(
    storage_dirs: dict[str, Path],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorders(monkeypatch)
    person = make_person()
    name = storages["private"].save("exports/x.zip", ContentFile(CANARY_NAME.encode()))
    ExportArchive.objects.create(user=person, status=ExportArchive.Status.READY, file_name=name)
    document = storages["private"].save("identity/DSR-1.enc", ContentFile(b"ciphertext"))
    DataRequest.objects.create(
        reference="DSR-1",
        kind=DataRequest.Kind.ACCESS,
        channel=DataRequest.Channel.WEB_FORM,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        user=person,
        full_name=CANARY_NAME,
        email=CANARY_EMAIL,
        received_at=clock.now(),
        due_on=clock.today(),
        identity_document=document,
    )

    with django_capture_on_commit_callbacks(execute=True):
        record = erasure_start(user=person)

    assert record.status == ErasureRecord.Status.DONE
    assert not (storage_dirs["private"] / name).exists()
    assert not (storage_dirs["private"] / document).exists()
    assert DataRequest.objects.get(reference="DSR-1").identity_document == ""


def test_right_3_the_resume_task_finishes_failed_and_postponed_erasures(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from recommerce.privacy.tasks import erasures_resume_task

    recorders(monkeypatch)
    crashed, waiting = make_person(), make_person("waiting@example.org", name="Waiting Buyer")
    bought = buy(waiting, django_capture_on_commit_callbacks, sellers=1)
    real = erase.holding_erase

    def crash(holding: Any, **kwargs: Any) -> tuple[str, int]:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(erase, "holding_erase", crash)
    failed = erasure_start(user=crashed)
    postponed = erasure_start(user=waiting)
    assert (failed.status, postponed.status) == ("failed", "postponed")
    monkeypatch.setattr(erase, "holding_erase", real)

    erasures_resume_task.call_local()

    failed.refresh_from_db()
    postponed.refresh_from_db()
    assert (failed.status, failed.attempts) == (ErasureRecord.Status.DONE, 2)
    assert (postponed.status, postponed.attempts) == (ErasureRecord.Status.POSTPONED, 0)
    assert User.objects.get(pk=waiting.pk).email == "waiting@example.org"

    deliver(bought, django_capture_on_commit_callbacks)
    erasures_resume_task.call_local()

    postponed.refresh_from_db()
    assert (postponed.status, postponed.blockers) == (ErasureRecord.Status.DONE, [])
    assert User.objects.get(pk=waiting.pk).email == f"erased-{waiting.pk}@erased.invalid"
    assert ErasureRecord.objects.count() == 2


def test_right_3_resuming_an_erasure_request_closes_it(
    django_capture_on_commit_callbacks: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    told = recorders(monkeypatch)
    person = make_person()
    bought = buy(person, django_capture_on_commit_callbacks, sellers=1)
    request = data_request_submit(
        kind=DataRequest.Kind.ERASURE,
        channel=DataRequest.Channel.ACCOUNT,
        jurisdiction=DataRequest.Jurisdiction.GDPR,
        full_name=CANARY_NAME,
        email=CANARY_EMAIL,
        user=person,
    )
    staff = make_staff(None, "dpo@example.com")

    data_request_fulfil(request=request, actor=staff)

    assert request.status == DataRequest.Status.IN_PROGRESS
    assert list(request.events.values_list("action", flat=True))[-1] == "erasure postponed"
    deliver(bought, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    record = erasure_run(record=ErasureRecord.objects.get(request_reference=request.reference))

    assert record.status == ErasureRecord.Status.DONE
    request.refresh_from_db()
    assert (request.status, request.user_id) == (DataRequest.Status.COMPLETED, None)
    assert request.answer.startswith("Your data is erased.")
    assert [m.to for m in mail.outbox if "answered" in m.subject] == [[CANARY_EMAIL]]
    assert {kind for kind, _, _ in told} == {
        "seller",
        "carrier",
        "payment_provider",
        "fraud_service",
    }


def test_right_3_the_providers_notifications_about_the_person_go_with_the_erasure(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """RIGHT-3: notifications name a payment by its checkout session: they are found too."""
    from recommerce.payments.models import Payment, WebhookEvent

    recorders(monkeypatch)
    person = make_person()
    other = make_person("other-payer@example.org", name="Other Payer")
    deliver(
        buy(person, django_capture_on_commit_callbacks, sellers=1),
        django_capture_on_commit_callbacks,
    )
    buy(other, django_capture_on_commit_callbacks, sellers=1)
    mine = Payment.objects.filter(payer=person).values_list("provider_session_id", flat=True)
    theirs = Payment.objects.filter(payer=other).values_list("provider_session_id", flat=True)
    assert WebhookEvent.objects.filter(object_id__in=list(mine)).count() >= 1
    others_before = WebhookEvent.objects.filter(object_id__in=list(theirs)).count()
    assert others_before >= 1

    assert erasure_start(user=person).status == ErasureRecord.Status.DONE

    assert WebhookEvent.objects.filter(object_id__in=list(mine)).count() == 0
    assert WebhookEvent.objects.filter(object_id__in=list(theirs)).count() == others_before
