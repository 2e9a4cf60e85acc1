"""The after-sales benchmark's data, made in SQL inside a Django process.

``build``: the catalog of ``recommerce seed --size <catalog>``, an owner for every seller,
background buyers, delivered orders, one ORDER conversation per order with ``messages``
messages in all (most threads short, a tenth of medium length, one in a hundred long) and
about one claim per 37 conversations with its history. Everything is written with
``INSERT … SELECT`` (one statement per table), once per database.

``setup``: what one run needs, made afresh each run: the measured buyers with their
sessions, a 50-message conversation each to read, a conversation each to write in, and a
pool of freshly delivered orders each to open claims on.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from catalog import log

# catalog size, background buyers, messages.
SIZES: dict[str, tuple[str, int, int]] = {
    "s": ("s", 5_000, 100_000),
    "m": ("m", 50_000, 1_000_000),
}
BACKGROUND_EMAIL = "as-bg-{}@example.test"
READ_MESSAGES = 50
BODIES = (
    "Hello, the battery drains faster than I expected since it arrived. Is that normal?",
    "Thank you for your message. Could you send a photo of the battery health screen?",
    "Here it is: 87 %. The box was fine, but the phone gets warm while charging.",
    "87 % is within the grade you bought. If it keeps heating, we can look at it.",
    "Does the warranty cover the charging port? It only charges at an angle.",
    "Yes, the 12 months cover the port. Open a claim from the order and we will repair it.",
    "Great, thanks. One more question: was the screen replaced before the sale?",
    "The screen is original; the grade describes only light marks on the frame.",
)


def insert_from(model: Any, values: dict[str, str], source: str) -> int:
    """Insert the rows of ``model`` that ``SELECT <values> FROM <source>`` makes; return how many.

    ``values`` maps fields to SQL expressions; other fields take their Django default (as
    ``privacy.insert_series`` does, with any source instead of one series).
    """
    from django.db import connection

    columns: list[str] = []
    exprs: list[str] = []
    params: list[Any] = []
    unknown = set(values) - {f.name for f in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {sorted(unknown)}")
    for field in model._meta.concrete_fields:
        if field.name in values:
            columns.append(field.column)
            exprs.append(values[field.name].replace("%", "%%"))
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
            params.append(field.get_db_prep_save(default, connection))
    names = ", ".join(f'"{c}"' for c in columns)
    table = model._meta.db_table
    sql = f'INSERT INTO "{table}" ({names}) SELECT {", ".join(exprs)} FROM {source}'  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _series(count: int) -> str:
    return f"generate_series(1, {int(count)}) AS k"


def _execute(*statements: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _scalar(sql: str) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _offers_table() -> int:
    """Number the active offers in a temporary table (``bench_offer``); return how many."""
    _execute(
        "DROP TABLE IF EXISTS bench_offer",
        "CREATE TEMP TABLE bench_offer AS SELECT row_number() OVER (ORDER BY id) AS n, id, "
        "variant_id, seller_id, price_minor, grade FROM offers_offer WHERE is_active",
        "ALTER TABLE bench_offer ADD PRIMARY KEY (n)",
        "ANALYZE bench_offer",
    )
    return int(_scalar("SELECT count(*) FROM bench_offer"))


def orders_insert(*, count: int, tag: str, buyer: str, delivered_days: str, offers: int) -> int:
    """Insert ``count`` delivered one-line orders numbered ``<tag><k>``; return the first id.

    ``buyer`` and ``delivered_days`` (days ago) are SQL expressions of ``k``. Each order has its
    captured payment and its line (a 12-month warranty), as the checkout writes them.
    """
    from recommerce.orders.models import Order, OrderLine
    from recommerce.payments.models import Payment

    source = _series(count)
    offer = f"(SELECT {{}} FROM bench_offer WHERE n = 1 + (k * 13) % {offers})"  # noqa: S608
    price = offer.format("price_minor")
    when = f"(now() - make_interval(days => {delivered_days} + 2))"
    insert_from(Payment, {
        "reference": f"'CO{tag}' || k", "idempotency_key": f"'CO{tag}' || k || '-1'",
        "provider": "'sandbox'", "provider_session_id": f"'cs_{tag}_' || k",
        "provider_payment_id": f"'pi_{tag}_' || k", "status": "'captured'", "plan": "'full'",
        "amount_minor": price, "currency": "'EUR'", "captured_minor": price,
        "provider_token": f"'pm_{tag}_' || k", "card_brand": "'visa'", "card_last4": "'4242'",
        "captured_at": when, "created_at": when, "updated_at": when, "payer": buyer,
    }, source)  # fmt: skip
    p0 = _scalar(f"SELECT id FROM payments_payment WHERE reference = 'CO{tag}1'")  # noqa: S608
    insert_from(Order, {
        "number": f"'{tag}' || k", "checkout_reference": f"'CO{tag}' || k",
        "payment": f"({p0} + k - 1)", "seller": offer.format("seller_id"), "buyer": buyer,
        "status": "'delivered'", "currency": "'EUR'", "items_minor": price,
        "total_minor": price, "vat_minor": f"{price} / 6", "commission_minor": f"{price} / 10",
        "buyer_email": "'buyer@example.test'", "delivery_name": "'Bench Buyer'",
        "delivery_line1": "k || ' rue du Banc'", "delivery_postal_code": "'75011'",
        "delivery_city": "'Paris'", "delivery_country": "'FR'",
        "delivery_phone": "'+33612345678'", "billing_name": "'Bench Buyer'",
        "billing_line1": "k || ' rue du Banc'", "billing_postal_code": "'75011'",
        "billing_city": "'Paris'", "billing_country": "'FR'", "shipping_method": "'standard'",
        "shipping_label": "'Standard delivery'", "delivery_estimate_from": f"({when})::date + 2",
        "delivery_estimate_to": f"({when})::date + 4", "carrier": "'Sandbox Parcel'",
        "tracking_number": f"'SP{tag}' || k", "paid_at": when, "accepted_at": when,
        "shipped_at": when, "delivered_at": f"{when} + interval '2 days'",
        "created_at": when, "updated_at": when,
    }, source)  # fmt: skip
    o0 = int(_scalar(f"SELECT id FROM orders_order WHERE number = '{tag}1'"))  # noqa: S608
    insert_from(OrderLine, {
        "order": f"({o0} + k - 1)", "offer": offer.format("id"),
        "variant": offer.format("variant_id"), "title": "'Refurbished device'",
        "grade": offer.format("grade"), "warranty_months": "12", "quantity": "1",
        "unit_price_minor": price, "vat_rate_bp": "2000",
    }, source)  # fmt: skip
    return o0


def _bodies() -> str:
    quoted = ",".join("'" + b.replace("'", "''") + "'" for b in BODIES)
    return f"(ARRAY[{quoted}])"


def build(size: str) -> float:
    """Migrate, seed the catalog and add the after-sales volume unless already there."""
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.db import connection, transaction

    from recommerce.accounts.models import SellerMembership, User
    from recommerce.catalog.models import DeviceModel
    from recommerce.support.models import Claim, ClaimEvent, Conversation, Message

    catalog, people, messages = SIZES[size]
    call_command("migrate", interactive=False, verbosity=0)
    if User.objects.filter(email=BACKGROUND_EMAIL.format(people)).exists():
        return 0.0
    started = time.perf_counter()
    if not DeviceModel.objects.exists():
        log(f"catalog: recommerce seed --size {catalog}")
        call_command("seed", size=catalog, verbosity=0)
    with transaction.atomic():
        _execute("SET LOCAL synchronous_commit = off")
        offers = _offers_table()
        _execute(
            "CREATE TEMP TABLE bench_seller ON COMMIT DROP AS SELECT row_number() OVER "
            "(ORDER BY id) AS n, id FROM accounts_seller"
        )
        sellers = int(_scalar("SELECT count(*) FROM bench_seller"))
        log(f"an owner for each of {sellers} sellers; {people:,} buyers")
        insert_from(User, {
            "email": "'as-owner-' || k || '@example.test'", "password": "'!'",
            "full_name": "'Shop Owner ' || k", "country": "'FR'", "language": "'en'",
            "date_joined": "now()",
        }, _series(sellers))  # fmt: skip
        w0 = User.objects.get(email="as-owner-1@example.test").pk
        insert_from(SellerMembership, {
            "seller": "(SELECT id FROM bench_seller WHERE n = k)", "user": f"({w0} + k - 1)",
            "role": "'owner'",
        }, _series(sellers))  # fmt: skip
        insert_from(User, {
            "email": "'as-bg-' || k || '@example.test'", "password": "'!'",
            "full_name": "'Background Buyer ' || k", "country": "'FR'", "language": "'en'",
            "date_joined": "now() - make_interval(days => k % 900)",
        }, _series(people))  # fmt: skip
        u0 = User.objects.get(email=BACKGROUND_EMAIL.format(1)).pk
        insert_from(EmailAddress, {
            "email": "'as-bg-' || k || '@example.test'", "verified": "true", "primary": "true",
            "user": f"({u0} + k - 1)",
        }, _series(people))  # fmt: skip
        # Thread lengths: 9 in 10 have 1 to 8 messages, 1 in 10 has 10 to 50, 1 in 100 has
        # 100 to 300.
        _execute(
            "CREATE TEMP TABLE bench_conv ON COMMIT DROP AS SELECT k, m, "  # noqa: S608
            "sum(m) OVER (ORDER BY k) - m AS start FROM (SELECT k, CASE "
            "WHEN k % 100 = 0 THEN 100 + (k * 37) % 201 WHEN k % 10 = 0 THEN 10 + (k * 13) % 41 "
            f"ELSE 1 + (k * 7) % 8 END AS m FROM generate_series(1, {messages}) AS k) s",
            f"DELETE FROM bench_conv WHERE start >= {messages}",  # noqa: S608
            f"UPDATE bench_conv SET m = {messages} - start WHERE start + m > {messages}",  # noqa: S608
            "ALTER TABLE bench_conv ADD PRIMARY KEY (k)",
            "ANALYZE bench_conv",
        )
        threads = int(_scalar("SELECT count(*) FROM bench_conv"))
        log(f"{threads:,} delivered orders with their conversation, {messages:,} messages")
        buyer = f"({u0} + (k * 7919) % {people})"
        # Delivered 4 to 303 days ago; the thread starts an hour later, a message every
        # 10 minutes (the longest thread lasts 50 hours: none ends in the future).
        o0 = orders_insert(
            count=threads, tag="AS", buyer=buyer, delivered_days="k % 300 + 4", offers=offers
        )
        opened = "(now() - make_interval(days => k % 300 + 4) + interval '1 hour')"
        insert_from(Conversation, {
            "kind": "'order'", "person": buyer, "order": f"({o0} + k - 1)",
            "seller": f"(SELECT seller_id FROM orders_order WHERE id = {o0} + k - 1)",  # noqa: S608
            "created_at": opened, "last_message_at": f"{opened} + make_interval(mins => 10 * m)",
        }, "bench_conv")  # fmt: skip
        c0 = Conversation.objects.filter(order_id=o0).values_list("pk", flat=True)[0]
        insert_from(Message, {
            "conversation": f"({c0} + b.k - 1)",
            "side": "CASE WHEN j % 2 = 1 THEN 'buyer' ELSE 'seller' END",
            "author": f"CASE WHEN j % 2 = 1 THEN ({u0} + (b.k * 7919) % {people}) END",
            "body": f"{_bodies()}[1 + (j - 1) % {len(BODIES)}]",
            "created_at": "now() - make_interval(days => b.k % 300 + 4) + interval '1 hour' "
            "+ make_interval(mins => 10 * j)",
        }, "bench_conv AS b, generate_series(1, b.m) AS j")  # fmt: skip
        claims = threads // 37
        log(f"{claims:,} claims with their history")
        claim_order = f"({o0} + 37 * k - 1)"
        insert_from(Claim, {
            "reference": "'CLAS' || lpad(k::text, 8, '0')", "order": claim_order,
            "line": f"(SELECT id FROM orders_orderline WHERE order_id = {claim_order})",  # noqa: S608
            "buyer": f"(SELECT buyer_id FROM orders_order WHERE id = {claim_order})",  # noqa: S608
            "kind": "'warranty'", "requested": "'repair'",
            "status": "(ARRAY['open','proposed','escalated','closed','closed'])[1 + k % 5]",
            "resolution": "CASE WHEN k % 5 >= 3 THEN 'repair' ELSE '' END",
            "outcome": "CASE WHEN k % 5 >= 3 THEN 'repaired' ELSE '' END",
            "description": "'The screen flickers when the phone is warm.'",
            "window_closes_on": "current_date + 60",
            "seller_due_at": "now() + interval '2 days'",
        }, _series(claims))  # fmt: skip
        k0 = Claim.objects.get(reference="CLAS00000001").pk
        insert_from(ClaimEvent, {
            "claim": f"({k0} + (k - 1) / 3)",
            "action": "(ARRAY['opened','answered','closed'])[1 + (k - 1) % 3]",
            "side": "(ARRAY['buyer','seller','system'])[1 + (k - 1) % 3]",
            "created_at": "now() - make_interval(hours => k % 5000)",
        }, _series(claims * 3))  # fmt: skip
    log("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def setup(count: int, pool: int) -> dict[str, Any]:
    """Make this run's buyers, sessions, conversations and fresh orders (see the module)."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from recommerce.accounts.models import User
    from recommerce.orders.models import Order
    from recommerce.support.models import Conversation, Message

    run = secrets.token_hex(3).upper()
    offers = _offers_table()
    buyers = []
    for i in range(count):
        email = f"as-bench-{i}@example.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, full_name=f"Bench Buyer {i}", country="FR", language="en"
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        buyers.append(user)
    with transaction.atomic():
        _execute("SET LOCAL synchronous_commit = off")
        # Per buyer: an order to read (50 messages), one to write in, ``pool`` to claim on.
        per = pool + 2
        ids = "ARRAY[" + ",".join(str(u.pk) for u in buyers) + "]"
        o0 = orders_insert(
            count=count * per, tag=f"AB{run}", buyer=f"({ids})[1 + (k - 1) / {per}]",
            delivered_days="1", offers=offers,
        )  # fmt: skip
    now_orders = list(
        Order.objects.filter(pk__gte=o0, number__startswith=f"AB{run}")
        .order_by("pk")
        .values_list("pk", "number", "buyer_id", "seller_id")
    )
    result = []
    for i, user in enumerate(buyers):
        mine = now_orders[i * per : (i + 1) * per]
        conversations = []
        for order_id, _, _, seller_id in mine[:2]:
            conversations.append(
                Conversation.objects.create(
                    kind="order", person=user, order_id=order_id, seller_id=seller_id,
                    created_at=_now(),
                )
            )  # fmt: skip
        read, write = conversations
        start = _now()
        Message.objects.bulk_create(
            Message(
                conversation=read, side="buyer" if j % 2 == 0 else "seller",
                author=user if j % 2 == 0 else None, body=BODIES[j % len(BODIES)],
                created_at=start - _minutes(READ_MESSAGES - j),
            )
            for j in range(READ_MESSAGES)
        )  # fmt: skip
        Message.objects.create(
            conversation=write, side="buyer", author=user, body=BODIES[0], created_at=start
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        result.append({
            "session": store.session_key, "read": read.pk, "read_order": mine[0][1],
            "write": write.pk, "write_order": mine[1][1],
            "claim_orders": [number for _, number, _, _ in mine[2:]],
        })  # fmt: skip
    return {
        "run": run,
        "buyers": result,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "messages": Message.objects.count(),
        "conversations": Conversation.objects.count(),
    }


def _now() -> Any:
    from recommerce.platform import clock

    return clock.now()


def _minutes(n: int) -> Any:
    import datetime as dt

    return dt.timedelta(minutes=n)
