"""Measure privacy requests end to end: access until the export file is ready, erasure
until it is committed, for a person with 5 orders and one with 100, on PostgreSQL.

Each size is a database of background people (s = 10,000, l = 1,000,000), a fifth of
whom bought once, so tables and indexes have a realistic size. The measured people are
made fresh for every repetition (an erasure changes them), through the accounts and cart
services, with orders written as the checkout journey writes them: a checkout, a captured
card payment, the order with its delivery and billing copy, one or two lines, the invoice,
five tracking steps, the disclosures to the payment provider, the seller and the carrier,
and the provider's notification. Before measuring, one purchase goes through the real
journey (cart → checkout → sandbox card → order → shipped → delivered) and its rows are
compared with a made one's.

- access: ``data_request_submit`` (signed in, so verified at once) → ``data_request_fulfil``
  (queues the export) → the worker's load of the archive → ``export_build`` (the ZIP in
  private storage);
- erasure: ``data_request_submit`` → ``data_request_fulfil`` (blockers, the one-transaction
  erasure, the recipients' notices), then the ledger must say ``done``.

Both run in this process, as the web request and the worker would, with no worker
running. Query counts and database time come from a light execute wrapper (the debug
cursor would add its own time); ``--profile`` adds a cProfile listing.

Usage::

    .venv/bin/python bench/privacy.py --sizes s,l --repeat 10

Databases ``recommerce_privacy_<size>`` are built once and reused; ``--rebuild`` starts
them afresh. Exports and emails go to a temporary directory deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import PG_SERVER, PYTHON, ROOT, log, percentile

PEOPLE = {"s": 10_000, "l": 1_000_000}
ORDERS_PER_PERSON = (5, 100)
BACKGROUND_EMAIL = "bg-{}@example.test"
TRACKING_STEPS = ("label_created", "picked_up", "in_transit", "out_for_delivery", "delivered")
# Fixed keys: the databases outlive the temporary directory where keys would be made.
BENCH_ENV = {
    "SECRET_KEY": "bench-privacy-" + "k" * 50,
    "ENCRYPTION_KEYS": "cmVjb21tZXJjZS1wcml2YWN5LWJlbmNoLWtleS0zMmI=",
    "BLIND_INDEX_KEY": "bench-privacy-blind-index-key-0123456789",
    "SANDBOX_PAYMENTS_CONFIRM_SECONDS": "0",
    "DEBUG": "0",
}


# --- Data ---------------------------------------------------------------------------------


def insert_series(model: Any, count: int, values: dict[str, str]) -> None:
    """Insert ``count`` rows of ``model`` made in SQL from ``k`` = 1..count.

    ``values`` maps fields to SQL expressions; other fields take their Django default, so
    a field added later with a default needs no change here.
    """
    from django.db import connection

    columns: list[str] = []
    exprs: list[str] = []
    args: list[Any] = []
    unknown = set(values) - {f.name for f in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {sorted(unknown)}")
    for field in model._meta.concrete_fields:
        if field.name in values:
            columns.append(field.column)
            exprs.append(values[field.name].replace("%", "%%"))  # modulo, not a parameter
        elif field.primary_key:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(field.column)
            exprs.append("now()")
        elif not field.null:
            default = field.get_default()
            if default is None:
                raise ValueError(f"{model._meta.label}.{field.name} needs a value")
            columns.append(field.column)
            exprs.append("%s")
            args.append(field.get_db_prep_save(default, connection))
    names = ", ".join(f'"{c}"' for c in columns)
    # Made from the model's columns and this script's own expressions, never from input.
    table, select, source = model._meta.db_table, ", ".join(exprs), f"generate_series(1, {count})"
    sql = f'INSERT INTO "{table}" ({names}) SELECT {select} FROM {source} AS k'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, args)


def first_id(model: Any, **lookup: Any) -> int:
    ids = model._base_manager.filter(**lookup).order_by("pk").values_list("pk", flat=True)
    return int(ids[:1][0])


def background_fill(people: int) -> None:
    """Add background people, addresses, carts and a year of orders with everything they make."""
    from allauth.account.models import EmailAddress
    from django.db import connection, transaction

    from recommerce.accounts.models import Address, User
    from recommerce.checkout.models import Cart, CartLine, Checkout
    from recommerce.orders.models import Invoice, Order, OrderLine, TrackingEvent
    from recommerce.payments.models import Payment, WebhookEvent
    from recommerce.privacy.models import AuditEvent, Disclosure

    orders = people // 5
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            "CREATE TEMP TABLE bench_offer ON COMMIT DROP AS SELECT row_number() OVER "
            "(ORDER BY id) AS n, id, variant_id, seller_id, price_minor, grade "
            "FROM offers_offer WHERE is_active"
        )
        cursor.execute("ALTER TABLE bench_offer ADD PRIMARY KEY (n)")
        cursor.execute("ANALYZE bench_offer")
        cursor.execute("SELECT count(*) FROM bench_offer")
        offers = cursor.fetchone()[0]
        log(f"users: {people:,}")
        insert_series(User, people, {
            "email": "'bg-' || k || '@example.test'", "password": "'!'",
            "full_name": "'Background Person ' || k", "country": "'FR'", "language": "'en'",
            "date_joined": "now() - make_interval(days => k % 900)",
            "birth_date": "DATE '1960-01-01' + (k % 15000)",
        })  # fmt: skip
        u0 = first_id(User, email=BACKGROUND_EMAIL.format(1))
        user = f"({u0} + (k - 1) % {people})"
        insert_series(EmailAddress, people, {
            "email": "'bg-' || k || '@example.test'", "verified": "true", "primary": "true",
            "user": user,
        })  # fmt: skip
        log(f"addresses: {people // 2:,}, carts: {people // 10:,}")
        insert_series(Address, people // 2, {
            "user": f"({u0} + 2 * (k - 1))", "kind": "'delivery'", "is_default": "true",
            "full_name": "'Background Person ' || (2 * k - 1)", "line1": "k || ' rue du Banc'",
            "postal_code": "'75011'", "city": "'Paris'", "country": "'FR'",
            "phone": "'+336' || lpad((k % 100000000)::text, 8, '0')",
        })  # fmt: skip
        a0 = first_id(Address, user_id=u0)
        insert_series(AuditEvent, people // 2, {
            "actor": f"({u0} + 2 * (k - 1))", "subject": f"({u0} + 2 * (k - 1))",
            "action": "'address.create'", "object_type": "'accounts.address'",
            "object_id": f"({a0} + k - 1)::text",
            "fields": "'[\"city\", \"full_name\", \"line1\", \"postal_code\"]'::jsonb",
        })  # fmt: skip
        insert_series(Cart, people // 10, {"user": f"({u0} + 10 * (k - 1) + 3)"})
        c0 = first_id(Cart, user_id=u0 + 3)
        offer = f"(SELECT {{}} FROM bench_offer WHERE n = 1 + (k * 7) % {offers})"  # noqa: S608
        insert_series(CartLine, people // 10, {
            "cart": f"({c0} + k - 1)", "quantity": "1", "added_at": "now()",
            "offer": offer.format("id"), "price_seen_minor": offer.format("price_minor"),
        })  # fmt: skip

        # Order k: bought by one of the first quarter of people, one or two units of an offer.
        log(f"orders: {orders:,}, with payments, checkouts, lines, invoices, tracking")

        def buyer_of(k: str) -> str:
            return f"({u0} + ({k} * 7919) % {max(1, people // 4)})"

        def when_of(k: str) -> str:
            return f"(now() - make_interval(days => 10 + {k} % 365))"

        buyer, when = buyer_of("k"), when_of("k")
        offer = f"(SELECT {{}} FROM bench_offer WHERE n = 1 + (k * 13) % {offers})"  # noqa: S608
        price = offer.format("price_minor") + " * (1 + k % 2)"
        insert_series(Payment, orders, {
            "reference": "'COBG' || k", "idempotency_key": "'COBG' || k || '-1'",
            "provider": "'sandbox'", "provider_session_id": "'cs_bg_' || k",
            "provider_payment_id": "'pi_bg_' || k", "status": "'captured'", "plan": "'full'",
            "amount_minor": price, "currency": "'EUR'", "captured_minor": price,
            "provider_token": "'pm_bg_' || k", "card_brand": "'visa'", "card_last4": "'4242'",
            "captured_at": when, "created_at": when, "updated_at": when, "payer": buyer,
        })  # fmt: skip
        p0 = first_id(Payment, reference="COBG1")
        address = (
            "jsonb_build_object('name', 'Background Person', 'line1', k || ' rue du Banc', "
            "'postal_code', '75011', 'city', 'Paris', 'country', 'FR', 'phone', '+33612345678')"
        )
        insert_series(Checkout, orders, {
            "reference": "'COBG' || k", "user": buyer, "status": "'completed'",
            "currency": "'EUR'", "delivery": address, "billing": address,
            "items_minor": price, "total_minor": price, "vat_minor": f"{price} / 6",
            "risk": "'approve'", "expires_at": when, "completed_at": when,
            "payment": f"({p0} + k - 1)", "created_at": when, "updated_at": when,
        })  # fmt: skip
        insert_series(Order, orders, {
            "number": "'BG' || lpad(k::text, 9, '0')", "checkout_reference": "'COBG' || k",
            "payment": f"({p0} + k - 1)", "seller": offer.format("seller_id"), "buyer": buyer,
            "status": "'delivered'", "currency": "'EUR'", "items_minor": price,
            "total_minor": price, "vat_minor": f"{price} / 6",
            "commission_minor": f"{price} / 10", "buyer_email": "'bg@example.test'",
            "delivery_name": "'Background Person'", "delivery_line1": "k || ' rue du Banc'",
            "delivery_postal_code": "'75011'", "delivery_city": "'Paris'",
            "delivery_country": "'FR'", "delivery_phone": "'+33612345678'",
            "billing_name": "'Background Person'", "billing_line1": "k || ' rue du Banc'",
            "billing_postal_code": "'75011'", "billing_city": "'Paris'",
            "billing_country": "'FR'", "shipping_method": "'standard'",
            "shipping_label": "'Standard delivery'",
            "delivery_estimate_from": f"({when})::date + 2",
            "delivery_estimate_to": f"({when})::date + 4", "carrier": "'Sandbox Parcel'",
            "tracking_number": "'SPBG' || k", "paid_at": when,
            "accepted_at": when, "shipped_at": when, "delivered_at": f"{when} + interval '2 days'",
            "created_at": when, "updated_at": when,
        })  # fmt: skip
        o0 = first_id(Order, number="BG000000001")
        order = "(" + str(o0) + " + ({} - 1))"
        lines = orders + orders // 2
        line_order = f"(CASE WHEN k <= {orders} THEN k ELSE 2 * (k - {orders}) END)"
        line_offer = offer.replace("(k * 13)", f"({line_order} * 13)")
        insert_series(OrderLine, lines, {
            "order": order.format(line_order), "offer": line_offer.format("id"),
            "variant": line_offer.format("variant_id"), "title": "'Refurbished device'",
            "grade": line_offer.format("grade"), "warranty_months": "12", "quantity": "1",
            "unit_price_minor": line_offer.format("price_minor"), "vat_rate_bp": "2000",
        })  # fmt: skip
        insert_series(Invoice, orders, {
            "kind": "'sale'", "issuer_key": "'seller:' || " + offer.format("seller_id"),
            "number": "'BG-' || k", "seller": offer.format("seller_id"),
            "order": order.format("k"), "buyer": buyer,
            "issuer_details": "'{\"name\": \"Seller SAS\"}'::jsonb",
            "customer_details": "jsonb_build_object('name', 'Background Person', "
            "'address', jsonb_build_array(k || ' rue du Banc', '75011 Paris', 'FR'))",
            "lines": f"jsonb_build_array(jsonb_build_object('description', 'Refurbished "
            f"device', 'quantity', 1 + k % 2, 'gross', {price}))",
            "currency": "'EUR'", "net_minor": f"{price} - {price} / 6",
            "vat_minor": f"{price} / 6", "total_minor": price, "issued_at": when,
            "legal_hold_until": f"({when})::date + 3650",
        })  # fmt: skip
        steps = "(ARRAY['" + "','".join(TRACKING_STEPS) + "'])"
        insert_series(TrackingEvent, orders * 5, {
            "order": f"({o0} + (k - 1) / 5)", "code": f"{steps}[1 + (k - 1) % 5]",
            "description": "'Parcel step'", "location": "'Sorting centre'",
            "occurred_at": "now() - make_interval(days => 10 + ((k - 1) / 5) % 365) "
            "+ make_interval(hours => 10 * ((k - 1) % 5))",
        })  # fmt: skip
        log(f"disclosures: {orders * 3:,}, provider notifications: {orders:,}")
        kinds = "(ARRAY['payment_provider','seller','carrier'])"
        n = "(1 + (k - 1) / 3)"
        insert_series(Disclosure, orders * 3, {
            "subject": buyer_of(n), "recipient_kind": f"{kinds}[1 + (k - 1) % 3]",
            "recipient": "'recipient ' || ((k - 1) % 3)",
            "fields": "'[\"delivery_name\", \"email\"]'::jsonb", "purpose": "'service.orders'",
            "legal_basis": "'performance of a contract'",
            "reference": f"CASE WHEN (k - 1) % 3 = 0 THEN 'COBG' || {n} "
            f"ELSE 'BG' || lpad({n}::text, 9, '0') END",
            "created_at": when_of(n),
        })  # fmt: skip
        # Stored as webhook_receive stores the sandbox's payment.succeeded, and applied.
        payload = (
            "jsonb_build_object('event_id', 'evt_bg_' || k, 'kind', 'payment.succeeded', "
            "'provider_type', 'payment.succeeded', 'session_id', 'cs_bg_' || k, "
            f"'payment_id', 'pi_bg_' || k, 'object_id', '', 'amount_minor', {price}, "
            "'currency', 'EUR', 'card_brand', 'visa', 'card_last4', '4242', "
            "'token', 'pm_bg_' || k, 'failure_code', '', 'reason', '', "
            f"'created', extract(epoch from {when})::bigint)"
        )
        insert_series(WebhookEvent, orders, {
            "provider": "'sandbox'", "event_id": "'evt_bg_' || k",
            "type": "'payment.succeeded'", "object_id": "'cs_bg_' || k",
            "payload": payload, "received_at": when, "processed_at": when,
        })  # fmt: skip


def prepare(size: str) -> float:
    """Migrate, seed the catalog and add the background people unless already there."""
    from django.core.management import call_command
    from django.db import connection

    from recommerce.accounts.models import User
    from recommerce.catalog.models import DeviceModel

    call_command("migrate", interactive=False, verbosity=0)
    # A ledger of this run's own (its var directory is new): the database kept from an
    # earlier run has erased people, so migrate does not start one beside it.
    from recommerce.privacy.ledger import ledger_store

    ledger_store().create()
    people = PEOPLE[size]
    if User.objects.filter(email=BACKGROUND_EMAIL.format(people)).exists():
        return 0.0
    started = time.perf_counter()
    if not DeviceModel.objects.exists():
        log(f"{size}: catalog (recommerce seed --size s)")
        call_command("seed", size="s", verbosity=0)
    background_fill(people)
    log(f"{size}: VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# --- The measured people ------------------------------------------------------------------


class People:
    """Make people the way the platform does: account, addresses, cart, past orders."""

    def __init__(self, run: str) -> None:
        from recommerce.accounts.models import Seller
        from recommerce.demo.people import DEMO_SELLER_NAME
        from recommerce.offers.models import Offer

        self.run, self.count = run, 0
        self.seller = Seller.objects.get(name=DEMO_SELLER_NAME)
        chosen = Offer.objects.filter(seller=self.seller, is_active=True).order_by("pk")[:20]
        # Carts and the real purchase take stock: the bench's offers never run out.
        Offer.objects.filter(pk__in=list(chosen.values_list("pk", flat=True))).update(
            stock=1_000_000
        )
        self.offers = list(chosen.select_related("variant"))

    def account(self) -> Any:
        import datetime as dt

        from allauth.account.models import EmailAddress

        from recommerce.accounts.models import User
        from recommerce.accounts.services.users import address_create
        from recommerce.checkout.services.cart import cart_for_user, cart_line_add

        self.count += 1
        email = f"bench-{self.run}-{self.count}@example.test"
        user = User.objects.create_user(
            email, None, full_name=f"Bench Person {self.count}", country="FR",
            birth_date=dt.date(1985, 5, 17), phone="+33612345678",
        )  # fmt: skip
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for kind in ("delivery", "billing"):
            address_create(
                actor=user, user=user, kind=kind, full_name=user.full_name,
                line1=f"{self.count} rue du Banc", postal_code="75011", city="Paris",
                country="FR", phone="+33612345678",
            )  # fmt: skip
        cart_line_add(cart=cart_for_user(user=user), offer_id=self.offers[0].pk)
        return user

    def owner(self) -> Any:
        """The shop's owner: the demo's seller login exists only with the demo data set."""
        from recommerce.accounts.models import SellerMembership, User

        membership = SellerMembership.objects.filter(seller=self.seller, role="owner").first()
        if membership is not None:
            return membership.user
        user = User.objects.create_user(f"bench-owner-{self.run}@example.test", None)
        SellerMembership.objects.create(seller=self.seller, user=user, role="owner")
        return user

    def person(self, orders: int) -> Any:
        """Return a new person with ``orders`` delivered orders (one or two lines each)."""
        user = self.account()
        self.orders_add(user, orders)
        return user

    def orders_add(self, user: Any, count: int) -> None:
        import datetime as dt

        from django.utils import timezone

        from recommerce.checkout.models import Checkout
        from recommerce.orders.models import Invoice, Order, OrderLine, TrackingEvent
        from recommerce.payments.models import Payment, WebhookEvent
        from recommerce.payments.providers.base import EventKind, ProviderEvent
        from recommerce.payments.services.transitions import event_payload
        from recommerce.privacy.models import Disclosure

        now = timezone.now()
        tag = f"{self.run}{user.pk}"
        address = {
            "name": user.full_name, "company": "", "line1": f"{self.count} rue du Banc",
            "line2": "", "postal_code": "75011", "city": "Paris", "region": "",
            "country": "FR", "phone": "+33612345678",
        }  # fmt: skip
        plans = []
        for j in range(count):
            units = [self.offers[(j + i) % len(self.offers)] for i in range(2 - j % 2)]
            total = sum(o.price_minor for o in units)
            plans.append((f"CP{tag}X{j}", units, total, now - dt.timedelta(days=count - j + 10)))
        payments = Payment.objects.bulk_create(
            Payment(
                reference=ref, idempotency_key=f"{ref}-1", provider="sandbox",
                provider_session_id=f"cs_{ref}", provider_payment_id=f"pi_{ref}",
                status="captured", amount_minor=total, currency="EUR", captured_minor=total,
                provider_token=f"pm_{ref}", card_brand="visa", card_last4="4242",
                captured_at=at, payer=user,
            )
            for ref, _, total, at in plans
        )  # fmt: skip
        Checkout.objects.bulk_create(
            Checkout(
                reference=ref, user=user, status="completed", currency="EUR",
                delivery=address, billing=address, items_minor=total, total_minor=total,
                vat_minor=total // 6, risk="approve", expires_at=at, completed_at=at,
                payment=payment,
            )
            for (ref, _, total, at), payment in zip(plans, payments, strict=True)
        )  # fmt: skip
        orders = Order.objects.bulk_create(
            Order(
                number=f"B{tag}X{j}"[-20:], checkout_reference=ref, payment=payment,
                seller=self.seller, buyer=user, status=Order.Status.DELIVERED, currency="EUR",
                items_minor=total, total_minor=total, vat_minor=total // 6,
                commission_minor=total // 10, buyer_email=user.email,
                **{f"delivery_{k}": v for k, v in address.items()},
                **{f"billing_{k}": v for k, v in address.items() if k not in ("region", "phone")},
                shipping_method="standard", shipping_label="Standard delivery",
                delivery_estimate_from=at.date(), delivery_estimate_to=at.date(),
                carrier="Sandbox Parcel", tracking_number=f"SP{ref}", paid_at=at,
                accepted_at=at, shipped_at=at, delivered_at=at + dt.timedelta(days=2),
            )
            for j, ((ref, _, total, at), payment) in enumerate(zip(plans, payments, strict=True))
        )  # fmt: skip
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order, offer=offer, variant=offer.variant, title=str(offer.variant),
                grade=offer.grade, warranty_months=12, quantity=1,
                unit_price_minor=offer.price_minor, vat_rate_bp=2000,
            )
            for order, (_, units, _, _) in zip(orders, plans, strict=True)
            for offer in units
        )  # fmt: skip
        Invoice.objects.bulk_create(
            Invoice(
                kind="sale", issuer_key=f"seller:{self.seller.pk}", number=f"BP-{order.number}",
                seller=self.seller, order=order, buyer=user,
                issuer_details={"name": self.seller.legal_name, "country": "FR"},
                customer_details={"name": user.full_name, "address": [address["line1"],
                                  "75011 Paris", "FR"], "company": "", "vat_number": ""},
                lines=[{"description": str(o.variant), "quantity": 1, "gross": o.price_minor,
                        "vat_rate_bp": 2000} for o in units],
                currency="EUR", net_minor=total - total // 6, vat_minor=total // 6,
                total_minor=total, mentions=[f"Order {order.number}."], issued_at=at,
                legal_hold_until=(at + dt.timedelta(days=3650)).date(),
            )
            for order, (_, units, total, at) in zip(orders, plans, strict=True)
        )  # fmt: skip
        TrackingEvent.objects.bulk_create(
            TrackingEvent(
                order=order, code=code, description="Parcel step", location="Sorting centre",
                occurred_at=order.shipped_at + dt.timedelta(hours=10 * i),
            )
            for order in orders
            for i, code in enumerate(TRACKING_STEPS)
        )  # fmt: skip
        Disclosure.objects.bulk_create(
            Disclosure(
                subject=user, recipient_kind=kind, recipient=recipient, fields=["email"],
                purpose="service.orders", legal_basis="performance of a contract",
                reference=reference,
            )
            for order in orders
            for kind, recipient, reference in (
                ("payment_provider", "payment provider (sandbox)", order.checkout_reference),
                ("seller", self.seller.name, order.number),
                ("carrier", "Sandbox Parcel", order.number),
            )
        )  # fmt: skip
        # The sandbox's payment.succeeded as webhook_receive stores and applies it. (Rows
        # with only {"object": ...} and no processed_at stopped payments' reconciliation.)
        events = [
            ProviderEvent(
                event_id=f"evt_{p.reference}", kind=EventKind.PAYMENT_SUCCEEDED,
                provider_type=EventKind.PAYMENT_SUCCEEDED.value,
                session_id=p.provider_session_id, payment_id=p.provider_payment_id,
                amount_minor=p.amount_minor, currency=p.currency, card_brand=p.card_brand,
                card_last4=p.card_last4, token=p.provider_token,
                created=int(p.captured_at.timestamp()),
            )
            for p in payments
        ]  # fmt: skip
        WebhookEvent.objects.bulk_create(
            WebhookEvent(
                provider="sandbox", event_id=event.event_id, type=event.provider_type,
                object_id=event.session_id, payload=event_payload(event), processed_at=now,
            )
            for event in events
        )  # fmt: skip

    def bought_for_real(self) -> Any:
        """Return a person who bought once through the real journey, delivered."""
        import datetime as dt

        import time_machine
        from django.conf import settings

        from recommerce.checkout.services.cart import cart_for_user, cart_line_add
        from recommerce.checkout.services.checkout import checkout_pay, checkout_start
        from recommerce.checkout.services.completion import checkout_complete
        from recommerce.orders.services.fulfilment import (
            order_accept,
            order_ship,
            order_tracking_refresh,
        )
        from recommerce.payments import services as payments

        user = self.account()
        cart = cart_for_user(user=user)
        cart_line_add(cart=cart, offer_id=self.offers[1].pk)
        checkout = checkout_start(user=user, cart=cart)
        url = f"{settings.SITE_URL}/checkout/{checkout.reference}/"
        payment = checkout_pay(checkout=checkout, return_url=url, cancel_url=url)
        payments.payment_provider().card_pay(  # type: ignore[attr-defined]
            public_id=payment.provider_session_id, number="4242424242424242"
        )
        placed = checkout_complete(payment=payments.payment_sync(payment=payment))
        owner = self.owner()
        cart_line_add(cart=cart, offer_id=self.offers[0].pk)
        for order in placed:
            units = {
                line.pk: [f"BENCH-{line.pk}-{n}" for n in range(1, line.quantity + 1)]
                for line in order.lines.all()
            }
            order_ship(order=order_accept(order=order, actor=owner), actor=owner, units=units)
            with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=7)):
                order_tracking_refresh(order=order)
        return user


def holdings(user: Any) -> dict[str, int]:
    from recommerce.privacy.rights.rows import person_holdings

    return {h.label: len(h.pks) for h in person_holdings(user)}


def rows_compare(people: People) -> dict[str, Any]:
    """Compare a real buyer's rows with a made one's (one order, two lines)."""
    real = holdings(people.bought_for_real())
    made = holdings(people.person(1))
    differ = {k: [real.get(k, 0), made.get(k, 0)] for k in sorted(real.keys() | made.keys())
              if real.get(k, 0) != made.get(k, 0)}  # fmt: skip
    log(f"rows of a real one-order buyer: {real}")
    if differ:
        # The made notifications are stored as webhook_receive stores the journey's (their
        # object_id is the session), so they should not differ.
        log(f"real vs made differ [real, made]: {differ}")
    return {"real": real, "differ": differ}


# --- Measurement --------------------------------------------------------------------------

STATEMENT = {
    "SELECT": re.compile(r'\bFROM\s+"(\w+)"'),
    "INSERT": re.compile(r'\bINTO\s+"(\w+)"'),
    "UPDATE": re.compile(r'^\s*UPDATE\s+"(\w+)"'),
    "DELETE": re.compile(r'\bFROM\s+"(\w+)"'),
}


def statement(sql: str) -> str:
    """Return a statement's verb and main table, e.g. ``UPDATE orders_order``."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    pattern = STATEMENT.get(verb)
    if pattern is None:
        return verb.lower()
    found = pattern.search(sql)
    return f"{verb} {found.group(1) if found else '?'}"


class Queries:
    """Record each statement's kind and database time (an execute wrapper, nearly free)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.items.append((sql, time.perf_counter() - started))


def timed(action: Any) -> tuple[Any, dict[str, Any]]:
    from django.db import connection

    queries = Queries()
    with connection.execute_wrapper(queries):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    by: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for sql, seconds in queries.items:
        entry = by[statement(sql)]
        entry[0] += 1
        entry[1] += seconds * 1000
    return result, {
        "ms": elapsed * 1000,
        "queries": len(queries.items),
        "db_ms": sum(s for _, s in queries.items) * 1000,
        "by": dict(by),
    }


def access(person: Any) -> Any:
    """Ask for a copy signed in, then do what the request and the worker do."""
    from recommerce.privacy.models import ExportArchive
    from recommerce.privacy.services.exports import export_build
    from recommerce.privacy.services.handling import data_request_fulfil
    from recommerce.privacy.services.requests import data_request_submit

    request = data_request_submit(
        kind="access", channel="account", jurisdiction="gdpr",
        full_name=person.full_name, email=person.email, user=person,
    )  # fmt: skip
    data_request_fulfil(request=request, actor=person)
    # What the worker's task loads before building.
    archive = ExportArchive.objects.select_related("user", "request").get(request=request)
    return export_build(archive=archive)


def access_check(archive: Any, orders: int) -> str:
    import io
    import zipfile

    from recommerce.privacy.encryption.files import sealed_storage

    if archive.status != "ready":
        return f"archive {archive.status}"
    with sealed_storage().open(archive.file_name, "rb") as handle:
        document = json.loads(zipfile.ZipFile(io.BytesIO(handle.read())).read("data.json"))
    found = len(document["sections"].get("orders.order", {}).get("records", []))
    return "ok" if found == orders else f"{found} orders exported, not {orders}"


def erasure(person: Any) -> Any:
    from recommerce.privacy.services.handling import data_request_fulfil
    from recommerce.privacy.services.requests import data_request_submit

    request = data_request_submit(
        kind="erasure", channel="account", jurisdiction="gdpr",
        full_name=person.full_name, email=person.email, user=person,
    )  # fmt: skip
    return data_request_fulfil(request=request, actor=person)


def erasure_check(request: Any, person: Any, email: str) -> str:
    from allauth.account.models import EmailAddress

    from recommerce.accounts.models import User
    from recommerce.orders.models import Order
    from recommerce.privacy.models import ErasureRecord

    record = ErasureRecord.objects.filter(request_reference=request.reference).first()
    if record is None:
        return "no erasure record"
    left = []
    if User.objects.filter(pk=person.pk, email=email).exists():
        left.append("email on the account")
    if Order.objects.filter(buyer_id=person.pk).exists():
        left.append("orders linked")
    if EmailAddress.objects.filter(email=email).exists():
        left.append("allauth email address")
    status = record.status if record.status == "done" else f"{record.status}: {record.error}"
    return status + (f" (left: {', '.join(left)})" if left else "")


def summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    times = [s["ms"] for s in samples]
    by: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for sample in samples:
        for key, (count, ms) in sample["by"].items():
            by[key][0] += count / len(samples)
            by[key][1] += ms / len(samples)
    top = sorted(by.items(), key=lambda item: -item[1][1])[:12]
    return {
        "median": statistics.median(times),
        "p90": percentile(times, 90),
        "queries": statistics.median(s["queries"] for s in samples),
        "db_ms": statistics.median(s["db_ms"] for s in samples),
        "checks": sorted({s["check"] for s in samples}),
        "top": [[key, round(count, 1), round(ms, 2)] for key, (count, ms) in top],
    }


def profile(people: People, orders: int) -> None:
    import cProfile
    import pstats

    for name, action in (("access", access), ("erasure", erasure)):
        person = people.person(orders)
        profiler = cProfile.Profile()
        profiler.runcall(action, person)
        print(f"\n--- cProfile: {name}, {orders} orders ---", file=sys.stderr)
        stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(r"recommerce|django/db/models/(base|query|deletion)|zipfile|json", 35)


def quiet(max_load: float, longest: float = 300.0) -> float:
    """Wait until the machine's one-minute load is under ``max_load``; return the load."""
    deadline = time.monotonic() + longest
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def floor(calls: int = 500) -> dict[str, float]:
    """The least any request pays on this database, measured in the same run: a
    ``SELECT 1`` round trip and an empty transaction (median, ms)."""
    from django.db import connection, transaction

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def empty_transaction() -> None:
        with transaction.atomic():
            select_one()

    found = {}
    for name, action in (("SELECT 1", select_one), ("transaction", empty_transaction)):
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
        found[name] = round(statistics.median(times), 3)
    return found


def child(size: str, repeat: int, profiled: bool, max_load: float) -> None:
    """Prepare one size's database and measure it (run with its DATABASE_URL)."""
    import django

    django.setup()
    prepared = prepare(size)
    people = People(run=secrets.token_hex(3))
    rows: dict[str, Any] = {}
    try:
        rows = rows_compare(people)
    except ImportError as error:  # time-machine comes with the development tools
        log(f"no real-journey comparison: {error}")
    for action in (access, erasure):  # warm-up: imports, templates, connections
        action(people.person(5))
    samples: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    loads = []
    for rep in range(repeat):
        loads.append(quiet(max_load))
        for orders in ORDERS_PER_PERSON:
            person = people.person(orders)
            archive, sample = timed(lambda person=person: access(person))
            samples[(orders, "access")].append(sample | {"check": access_check(archive, orders)})
            person = people.person(orders)
            email = person.email  # the erasure changes the object it is given
            request, sample = timed(lambda person=person: erasure(person))
            check = erasure_check(request, person, email)
            samples[(orders, "erasure")].append(sample | {"check": check})
        log(f"{size}: repetition {rep + 1}/{repeat}: " + ", ".join(
            f"{o} {op} {s[-1]['ms']:.0f} ms" for (o, op), s in samples.items()))  # fmt: skip
    if profiled:
        profile(people, ORDERS_PER_PERSON[-1])
    result = {
        "floor": floor(),
        "size": size,
        "people": PEOPLE[size],
        "prepared_seconds": round(prepared, 1),
        "load": [round(min(loads), 2), round(max(loads), 2)],
        "rows": rows,
        "results": [
            {"orders": orders, "operation": op, **summary(items)}
            for (orders, op), items in sorted(samples.items())
        ],
    }
    print(json.dumps(result))


# --- Driver -------------------------------------------------------------------------------


def database(size: str, rebuild: bool) -> str:
    """Create ``recommerce_privacy_<size>`` if needed (afresh with ``rebuild``)."""
    name = f"recommerce_privacy_{size}"
    server = PG_SERVER + "/postgres"
    if rebuild:
        subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    exists = subprocess.run(
        ["psql", server, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
    return f"{PG_SERVER}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="s,l")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile a 100-order person")
    parser.add_argument(
        "--max-load", type=float, default=1.0,
        help="wait (up to 5 min) before each repetition until the 1-minute load is under this",
    )  # fmt: skip
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat, args.profile, args.max_load)
        return

    results = []
    for size in args.sizes.split(","):
        if size not in PEOPLE:
            parser.error(f"unknown size {size!r}; choose from {', '.join(PEOPLE)}")
        log(f"{size}: preparing {PEOPLE[size]:,} people")
        var_dir = tempfile.mkdtemp(prefix=f"recommerce-privacy-{size}-")
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "EMAIL_HOST")}
        env |= BENCH_ENV | {
            "DATABASE_URL": database(size, args.rebuild),
            "RECOMMERCE_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "recommerce.settings",
            "HUEY_IMMEDIATE": "0",
        }
        command = [PYTHON, __file__, "--child", size, "--repeat", str(args.repeat),
                   "--max-load", str(args.max_load)]  # fmt: skip
        try:
            output = subprocess.run(
                command + (["--profile"] if args.profile else []),
                env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
            ).stdout  # fmt: skip
        finally:
            shutil.rmtree(var_dir, ignore_errors=True)
        results.append(json.loads(output.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)

    goals = {5: 100, 100: 300}
    print(f"\nms per request, {args.repeat} people each (median / p90); queries: median\n")
    print("| size | people | person | operation | median | p90 | queries | database time "
          "| goal at l | checks |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for result in results:
        for row in result["results"]:
            print(
                f"| {result['size']} | {result['people']:,} | {row['orders']} orders "
                f"| {row['operation']} | {row['median']:.0f} ms | {row['p90']:.0f} ms "
                f"| {row['queries']:.0f} | {row['db_ms']:.0f} ms | ≤ {goals[row['orders']]} ms "
                f"| {', '.join(row['checks'])} |"
            )
    for result in results:
        low, high = result["load"]
        print(
            f"\nSize {result['size']}: {result['people']:,} people, data made in "
            f"{result['prepared_seconds']:.0f} s (0: reused); one-minute load {low} to {high}; "
            f"floor: SELECT 1 {result['floor']['SELECT 1']} ms, an empty transaction "
            f"{result['floor']['transaction']} ms."
        )
    for result in results:
        print(f"\nWhere the time goes, size {result['size']} (mean per request: statements, ms)")
        for row in result["results"]:
            top = "; ".join(f"{k} x{n:g} {ms:.1f}" for k, n, ms in row["top"][:8])
            print(f"- {row['orders']} orders, {row['operation']}: {top}")


if __name__ == "__main__":
    main()
