"""The retention job (RETAIN-1): each registered period applied on its own clock.

Rows past their period are deleted or cleared as the registry says, rows inside it are
untouched, a dry run counts without changing anything, and the report lists every rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from recommerce.accounts.models import User
from recommerce.checkout.models import Cart, CartLine
from recommerce.checkout.services.cart import cart_for_user, cart_line_add
from recommerce.orders.models import Invoice, Order
from recommerce.orders.services.invoices import invoice_issue_for_order
from recommerce.platform.idempotency import idempotent_call
from recommerce.platform.models import IdempotentRequest
from recommerce.platform.providers import clear_provider_cache
from recommerce.privacy import purposes
from recommerce.privacy.models import (
    AuditEvent,
    DataRequest,
    ErasureRecord,
    RetentionRun,
)
from recommerce.privacy.registry import Erasure, Registry, Retention, personal, registry
from recommerce.privacy.services import retention
from recommerce.privacy.services.requests import data_request_close, data_request_submit
from recommerce.privacy.services.retention import retention_rules, retention_run
from tests.accounts.conftest import make_staff, make_user
from tests.checkout.conftest import make_offer
from tests.orders.conftest import make_order, make_seller
from tests.privacy.test_rights_erasure import database_models

pytestmark = pytest.mark.django_db

UTC = dt.UTC
T0 = dt.datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
YEAR = dt.timedelta(days=365)


@pytest.fixture(autouse=True)
def quick(settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_provider_cache()
    yield
    clear_provider_cache()


def at(moment: dt.datetime) -> Any:
    return time_machine.travel(moment, tick=False)


def active(*users: User, when: dt.datetime) -> None:
    """Mark people as recently signed in, so the inactive-account rule leaves them alone."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(last_login=when)


def report(run: RetentionRun, model: str) -> list[dict[str, Any]]:
    return [entry for entry in run.report if entry["model"] == model]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    rows = {}
    for model in database_models():
        if model._meta.label == "privacy.RetentionRun":
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = sorted(
            model._base_manager.values_list(*names), key=lambda r: str(r[0])
        )
    return rows


# --- Technical records --------------------------------------------------------------------


def test_retain_1_api_replay_records_older_than_two_days_are_deleted() -> None:
    user = make_user("api@example.org")

    def call(key: str) -> None:
        idempotent_call(
            actor=f"user:{user.pk}",
            key=key,
            operation="cart.add",
            body={"offer": 1},
            call=lambda: (201, {"ok": True}),
        )

    with at(T0):
        call("old")
    with at(T0 + dt.timedelta(days=1)):
        call("recent")
    other_actor = IdempotentRequest.objects.create(
        actor="seller:9", key="old", operation="x", request_hash="h"
    )
    IdempotentRequest.objects.filter(pk=other_actor.pk).update(created_at=T0)

    run = retention_run(now=T0 + dt.timedelta(days=2, hours=1))

    assert run.error == ""
    assert sorted(IdempotentRequest.objects.values_list("key", flat=True)) == ["recent"]
    assert report(run, "platform.IdempotentRequest") == [
        {
            "rule": "2 days after the request: actor, response",
            "model": "platform.IdempotentRequest",
            "action": "delete",
            "rows": 2,
        }
    ]


def test_retain_1_carts_untouched_for_90_days_are_deleted() -> None:
    old_owner, new_owner = make_user("old-cart@example.org"), make_user("new-cart@example.org")
    offer = make_offer(stock=5)
    with at(T0):
        old_cart = cart_for_user(user=old_owner)
        cart_line_add(cart=old_cart, offer_id=offer.pk)
    with at(T0 + dt.timedelta(days=60)):
        new_cart = cart_for_user(user=new_owner)
        cart_line_add(cart=new_cart, offer_id=offer.pk)
    now = T0 + dt.timedelta(days=91)
    active(old_owner, new_owner, when=now)

    run = retention_run(now=now)

    assert list(Cart.objects.values_list("pk", flat=True)) == [new_cart.pk]
    assert list(CartLine.objects.values_list("cart", flat=True)) == [new_cart.pk]
    assert report(run, "checkout.Cart") == [
        {
            "rule": "90 days after the cart's last change: session_key, user",
            "model": "checkout.Cart",
            "action": "delete",
            "rows": 1,
        }
    ]


# --- Accounts -----------------------------------------------------------------------------


def test_retain_1_accounts_inactive_for_three_years_are_erased() -> None:
    with at(T0):
        dormant = make_user("dormant@example.org", full_name="Dormant Person")
        staff = make_staff(None, "old-staff@example.org")
        blocked = make_user("blocked@example.org", full_name="Blocked Person")
        make_order(blocked, make_seller(), status=Order.Status.SHIPPED)
    with at(T0 + 2 * YEAR):
        recent = make_user("recent@example.org", full_name="Recent Person")
    User.objects.filter(pk=dormant.pk).update(last_login=T0 + dt.timedelta(days=10))
    now = T0 + 3 * YEAR + dt.timedelta(days=11)
    sellers = User.objects.exclude(pk__in=[dormant.pk, staff.pk, blocked.pk, recent.pk])
    active(*sellers, when=now)

    dry = retention_run(dry_run=True, now=now)
    run = retention_run(now=now)

    (rule,) = report(run, "accounts.User")
    assert (rule["action"], rule["rows"]) == ("erase inactive accounts", 1)
    assert report(dry, "accounts.User") == [rule]
    shell = User.objects.get(pk=dormant.pk)
    assert (shell.email, shell.full_name, shell.is_active) == (
        f"erased-{dormant.pk}@erased.invalid",
        "",
        False,
    )
    assert ErasureRecord.objects.get(subject_id=dormant.pk).request_reference == "retention"
    for kept, email in ((staff, "old-staff@example.org"), (recent, "recent@example.org")):
        assert User.objects.get(pk=kept.pk).email == email
        assert not ErasureRecord.objects.filter(subject_id=kept.pk).exists()
    # An open order postpones the erasure; the next nights leave it to the resume task.
    postponed = ErasureRecord.objects.get(subject_id=blocked.pk)
    assert postponed.status == ErasureRecord.Status.POSTPONED
    assert User.objects.get(pk=blocked.pk).email == "blocked@example.org"
    retention_run(now=now + dt.timedelta(days=1))
    assert ErasureRecord.objects.filter(subject_id=blocked.pk).count() == 1


# --- Orders and invoices ------------------------------------------------------------------


@pytest.fixture
def delivered(django_capture_on_commit_callbacks: Callable[..., Any]) -> dict[str, Any]:
    """An order delivered at T0 with its invoice; the buyer stays active."""
    buyer = make_user("buyer@example.org", full_name="Alice Martin")
    with at(T0 - dt.timedelta(days=3)):
        order = make_order(buyer, make_seller())
        invoice = invoice_issue_for_order(order=order)
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.DELIVERED, delivered_at=T0, tracking_number="SP123"
    )
    return {"buyer": buyer, "order": Order.objects.get(pk=order.pk), "invoice": invoice}


def _run_keeping_people_active(now: dt.datetime) -> RetentionRun:
    active(*User.objects.all(), when=now)
    return retention_run(now=now)


def test_retain_1_delivery_details_are_cleared_five_years_after_delivery(
    delivered: dict[str, Any],
) -> None:
    order: Order = delivered["order"]

    _run_keeping_people_active(T0 + 5 * YEAR - dt.timedelta(days=1))
    kept = Order.objects.get(pk=order.pk)
    assert (kept.delivery_name, kept.delivery_line1, kept.buyer_id, kept.tracking_number) == (
        "Alice Martin",
        "12 Rue des Lilas",
        delivered["buyer"].pk,
        "SP123",
    )

    run = _run_keeping_people_active(T0 + 5 * YEAR + dt.timedelta(days=1))

    cleared = Order.objects.get(pk=order.pk)
    assert (
        cleared.delivery_name,
        cleared.delivery_line1,
        cleared.delivery_line2,
        cleared.delivery_phone,
        cleared.buyer_email,
        cleared.buyer_id,
        cleared.tracking_number,
        cleared.delivered_at,
    ) == ("[erased]", "[erased]", "", "", "erased-0@erased.invalid", None, "", None)
    # The accounting side is held for ten years.
    assert (cleared.billing_name, cleared.billing_line1, cleared.total_minor) == (
        "Agathe Facturation",
        "99 Avenue de la Facture",
        order.total_minor,
    )
    (follow_up,) = [
        e for e in report(run, "orders.Order") if e["rule"].startswith("5 years after delivery")
    ]
    assert (follow_up["action"], follow_up["rows"]) == ("clear", 1)


def test_retain_1_invoices_are_held_ten_years_then_cleared(delivered: dict[str, Any]) -> None:
    invoice: Invoice = delivered["invoice"]
    details = dict(invoice.customer_details)
    assert details["name"] == "Agathe Facturation"

    _run_keeping_people_active(T0 + 9 * YEAR)
    held = Invoice.objects.get(pk=invoice.pk)
    assert (held.customer_details, held.buyer_id, held.number) == (
        details,
        delivered["buyer"].pk,
        invoice.number,
    )

    run = _run_keeping_people_active(T0 + 11 * YEAR)

    assert run.error == ""
    cleared = Invoice.objects.get(pk=invoice.pk)
    # A required JSON column keeps a marker, not an empty value it refuses (Hardening 4.4).
    assert (cleared.customer_details, cleared.buyer_id) == ({"erased": True}, None)
    assert (cleared.number, cleared.total_minor) == (invoice.number, invoice.total_minor)
    assert [e["rows"] for e in report(run, "orders.Invoice")] == [1]
    order = Order.objects.get(pk=delivered["order"].pk)
    assert (order.billing_name, order.billing_line1) == ("[erased]", "[erased]")


def test_retain_1_an_invoice_is_held_until_its_own_legal_hold_date(
    delivered: dict[str, Any],
) -> None:
    invoice: Invoice = delivered["invoice"]
    hold_ends = dt.datetime.combine(invoice.legal_hold_until, dt.time(0), tzinfo=UTC)

    _run_keeping_people_active(hold_ends - dt.timedelta(days=1))

    assert Invoice.objects.get(pk=invoice.pk).customer_details == invoice.customer_details


def test_retain_1_a_clock_on_a_date_field_counts_whole_days(
    delivered: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry change the test above asks for works: held through its last day."""
    invoice: Invoice = delivered["invoice"]
    by_hold_date = Registry()
    by_hold_date.register(
        Invoice,
        personal(
            "customer_details",
            category="user.financial.invoice",
            subject="buyer",
            purposes=[purposes.LEGAL_ACCOUNTING],
            retention=Retention(days=0, starts="its legal hold date", clock=("legal_hold_until",)),
            erasure=Erasure.LEGAL_HOLD,
        ),
    )
    monkeypatch.setattr(retention, "registry", by_hold_date)
    last_day = dt.datetime.combine(invoice.legal_hold_until, dt.time(23, 0), tzinfo=UTC)

    retention_run(now=last_day - dt.timedelta(hours=2))
    assert Invoice.objects.get(pk=invoice.pk).customer_details == invoice.customer_details

    run = retention_run(now=last_day + dt.timedelta(hours=2))

    # A required JSON column keeps a marker, not an empty value it refuses (Hardening 4.4).
    assert Invoice.objects.get(pk=invoice.pk).customer_details == {"erased": True}
    assert [(e["model"], e["action"], e["rows"]) for e in run.report[:1]] == [
        ("orders.Invoice", "clear", 1)
    ]


# --- Requests, audit rows -----------------------------------------------------------------


def test_retain_1_request_records_are_kept_24_months_after_closing() -> None:
    user = make_user("asker@example.org", full_name="Asker Person")
    with at(T0):
        request = data_request_submit(
            kind=DataRequest.Kind.ACCESS,
            channel=DataRequest.Channel.ACCOUNT,
            jurisdiction=DataRequest.Jurisdiction.GDPR,
            full_name="Asker Person",
            email="asker@example.org",
            user=user,
            details="Everything you hold, please.",
        )
        data_request_close(request=request, actor=None, answer="Attached.")
    with at(T0 + dt.timedelta(days=700)):
        recent = data_request_submit(
            kind=DataRequest.Kind.ACCESS,
            channel=DataRequest.Channel.ACCOUNT,
            jurisdiction=DataRequest.Jurisdiction.GDPR,
            full_name="Asker Person",
            email="asker@example.org",
            user=user,
        )
        data_request_close(request=recent, actor=None, answer="Attached.")

    _run_keeping_people_active(T0 + dt.timedelta(days=731))

    old = DataRequest.objects.get(pk=request.pk)
    assert (old.full_name, old.email, old.details, old.answer, old.user_id) == (
        "[erased]",
        "erased-0@erased.invalid",
        "",
        "",
        None,
    )
    assert (old.reference, old.status) == (request.reference, DataRequest.Status.COMPLETED)
    kept = DataRequest.objects.get(pk=recent.pk)
    assert (kept.full_name, kept.email, kept.user_id) == (
        "Asker Person",
        "asker@example.org",
        user.pk,
    )


# --- Dry run and the report ---------------------------------------------------------------


def test_retain_1_dry_run_counts_without_changing_anything(delivered: dict[str, Any]) -> None:
    user = delivered["buyer"]
    with at(T0):
        cart_line_add(cart=cart_for_user(user=user), offer_id=make_offer().pk)
        idempotent_call(
            actor=f"user:{user.pk}",
            key="k",
            operation="op",
            body={},
            call=lambda: (200, {}),
        )
    now = T0 + 11 * YEAR
    active(*User.objects.all(), when=now)
    before = snapshot()

    dry = retention_run(dry_run=True, now=now)

    assert snapshot() == before
    assert dry.dry_run is True and dry.error == "" and dry.finished_at is not None
    counts = {(e["model"], e["rule"]): e["rows"] for e in dry.report}
    assert counts[("checkout.Cart", "90 days after the cart's last change: session_key, user")] == 1
    assert counts[("platform.IdempotentRequest", "2 days after the request: actor, response")] == 1
    assert sum(n for (m, _), n in counts.items() if m == "orders.Order") == 2
    assert sum(n for (m, _), n in counts.items() if m == "orders.Invoice") == 1

    real = retention_run(now=now)

    applied = {(e["model"], e["rule"]): e["rows"] for e in real.report}
    for key in (
        ("checkout.Cart", "90 days after the cart's last change: session_key, user"),
        ("platform.IdempotentRequest", "2 days after the request: actor, response"),
    ):
        assert applied[key] == counts[key]
    assert not Cart.objects.exists() and not IdempotentRequest.objects.exists()
    # Applied once, nothing is left to do.
    assert {e["rows"] for e in retention_run(dry_run=True, now=now).report} == {0}


def test_retain_1_report_lists_every_rule_with_its_count() -> None:
    run = retention_run(now=T0)

    rules = retention_rules()
    assert len(run.report) == len(rules) + 3
    assert [(e["model"], e["rule"]) for e in run.report[: len(rules)]] == [
        (
            model._meta.label,
            f"{period.describe()}: {', '.join(f.field_name for f in fields)}",
        )
        for model, period, fields in rules
    ]
    assert run.report[-3:] == [
        {"rule": "expired sessions", "model": "sessions.Session", "action": "delete", "rows": 0},
        {
            "rule": "30 days after a message was written to the file inbox",
            "model": "mail files",
            "action": "delete",
            "rows": 0,
        },
        {
            "rule": "exports not downloaded within 72 hours",
            "model": "privacy.ExportArchive",
            "action": "delete file",
            "rows": 0,
        },
    ]
    assert {e["rows"] for e in run.report} == {0}
    assert {e["action"] for e in run.report} <= {
        "delete",
        "clear",
        "nothing to clear",
        "erase inactive accounts",
        "delete file",
    }
    # Every model with a clocked period has a rule.
    clocked = {
        f.model_label for f in registry if f.retention.clock and f.retention.days is not None
    }
    assert {e["model"] for e in run.report[: len(rules)]} == clocked


def test_retain_1_a_failing_rule_is_reported_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user("api@example.org")
    with at(T0):
        idempotent_call(
            actor=f"user:{user.pk}", key="k", operation="op", body={}, call=lambda: (200, {})
        )
    real = retention._apply

    def broken(model: Any, *args: Any, **kwargs: Any) -> Any:
        if model._meta.label == "checkout.Cart":
            raise RuntimeError("lock timeout")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(retention, "_apply", broken)
    now = T0 + dt.timedelta(days=3)
    active(user, when=now)

    run = retention_run(now=now)

    assert run.error == "checkout.Cart: lock timeout"
    assert report(run, "checkout.Cart")[0]["action"] == "failed"
    assert not IdempotentRequest.objects.exists()


def test_retain_1_audit_rows_are_pseudonymised_after_three_years() -> None:
    person = make_user("audited@example.org")
    staff = make_staff(None, "auditor@example.org")
    with at(T0):
        old = AuditEvent.objects.create(
            actor=staff, subject=person, action="x", object_type="t", fields=["email"]
        )
    recent = AuditEvent.objects.create(
        actor=staff, subject=person, action="y", object_type="t", fields=["phone"]
    )
    AuditEvent.objects.filter(pk=recent.pk).update(created_at=T0 + 2 * YEAR)

    _run_keeping_people_active(T0 + 3 * YEAR + dt.timedelta(days=1))

    old.refresh_from_db()
    recent.refresh_from_db()
    # A required JSON list keeps a marker, not an empty value it refuses (Hardening 4.4).
    assert (old.subject_id, old.actor_id, old.fields) == (None, None, ["[erased]"])
    assert (recent.subject_id, recent.actor_id, recent.fields) == (person.pk, staff.pk, ["phone"])
