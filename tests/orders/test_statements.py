"""Seller statements from the ledger, and the seller's finance pages (HTML, CSV, PDF)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from recommerce.accounts.models import SellerMembership
from recommerce.orders.models import Payout
from recommerce.orders.services.invoices import commission_invoice_issue
from recommerce.orders.services.ledger import (
    ledger_record_chargeback,
    ledger_record_payout,
    ledger_record_payout_reversal,
    ledger_record_refund,
    seller_balance_minor,
)
from recommerce.orders.services.statements import seller_statement, statement_csv
from tests.accounts.conftest import make_user
from tests.orders.finance_fixtures import Item, make_order, make_seller

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def at(*args: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(*args, tzinfo=PARIS), tick=False)


@pytest.fixture
def history():
    """A month of money for one seller: sale, refund, chargeback, payout, failed payout."""
    seller = make_seller("Statement Shop")
    with at(2026, 2, 20, 10):
        make_order(seller, [Item(45_000)])  # before the period: the opening balance
    with at(2026, 3, 3, 10):
        sale = make_order(seller, [Item(45_000)], shipping_minor=599)
    with at(2026, 3, 10, 10):
        ledger_record_refund(order=sale, amount_minor=10_000, reference="refund-s1")
    with at(2026, 3, 12, 10):
        small = make_order(seller, [Item(20_000)])
        ledger_record_chargeback(order=small, amount_minor=20_000, reference="chargeback-s1")
    with at(2026, 3, 16, 6):
        payout = Payout.objects.create(
            seller=seller, amount_minor=60_000, currency="EUR", status="sent", run_date=MARCH[0]
        )
        ledger_record_payout(payout=payout)
    with at(2026, 3, 18, 9):
        ledger_record_payout_reversal(payout=payout)
    with at(2026, 4, 2, 9):
        make_order(seller, [Item(1_000)])  # after the period
    return seller, sale, small


def test_statement_rows_running_balance_and_totals(history):
    seller, sale, small = history
    statement = seller_statement(seller=seller, start=MARCH[0], end=MARCH[1])
    assert statement.opening_minor == 40_500
    rows = [
        (r.date.day, r.kind, r.order_number, r.gross_minor, r.commission_minor, r.refunds_minor,
         r.net_minor, r.balance_minor)
        for r in statement.rows
    ]  # fmt: skip
    assert rows == [
        (3, "capture", sale.number, 45_599, -4_500, 0, 41_099, 81_599),
        (10, "refund", sale.number, 0, 987, -10_000, -9_013, 72_586),
        (12, "capture", small.number, 20_000, -2_000, 0, 18_000, 90_586),
        (12, "chargeback", small.number, 0, 2_000, -20_000, -18_000, 72_586),
        (16, "payout", "", 0, 0, 0, -60_000, 12_586),
        (18, "payout_reversal", "", 0, 0, 0, 60_000, 72_586),
    ]
    assert statement.closing_minor == 72_586
    assert (statement.gross_minor, statement.commission_minor, statement.refunds_minor) == (
        65_599,
        -3_513,
        -30_000,
    )
    assert statement.opening_minor + statement.net_minor == statement.closing_minor
    # Today's closing balance is the ledger's balance (April's order included).
    assert seller_statement(
        seller=seller, start=MARCH[0], end=dt.date(2026, 4, 30)
    ).closing_minor == seller_balance_minor(seller_id=seller.pk)


def test_statement_csv_is_exact(history):
    seller, sale, small = history
    text = statement_csv(seller_statement(seller=seller, start=MARCH[0], end=MARCH[1]))
    assert text.splitlines() == [
        "date,kind,order number,gross,commission,refunds,net,running balance,currency",
        "2026-03-01,opening balance,,,,,,405.00,EUR",
        f"2026-03-03,capture,{sale.number},455.99,-45.00,0.00,410.99,815.99,EUR",
        f"2026-03-10,refund,{sale.number},0.00,9.87,-100.00,-90.13,725.86,EUR",
        f"2026-03-12,capture,{small.number},200.00,-20.00,0.00,180.00,905.86,EUR",
        f"2026-03-12,chargeback,{small.number},0.00,20.00,-200.00,-180.00,725.86,EUR",
        "2026-03-16,payout,,0.00,0.00,0.00,-600.00,125.86,EUR",
        "2026-03-18,payout_reversal,,0.00,0.00,0.00,600.00,725.86,EUR",
        "2026-03-31,closing balance,,,,,,725.86,EUR",
    ]


# ---- Pages -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _finance_urls(settings):
    settings.ROOT_URLCONF = "tests.orders.finance_fixtures"


BASE = "/account/seller/finance/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(seller, role=SellerMembership.Role.CATALOG):
    user = make_user(full_name="Member")
    SellerMembership.objects.create(seller=seller, user=user, role=role)
    return user


def test_any_member_reads_the_finance_pages(history):
    seller, sale, _ = history
    client = signed_in(member(seller))
    home = client.get(BASE)
    assert home.status_code == 200
    assert "€734.86" in home.text  # the balance today, April's order included
    page = client.get(BASE + "statement/?start=2026-03-01&end=2026-03-31")
    assert page.status_code == 200
    assert sale.number in page.text and "€725.86" in page.text and "€405.00" in page.text
    csv = client.get(BASE + "statement/csv/?start=2026-03-01&end=2026-03-31")
    assert csv.status_code == 200
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv["Content-Disposition"] == (
        'attachment; filename="statement-statement-shop-2026-03-01-2026-03-31.csv"'
    )
    assert csv.content.decode().splitlines()[-1] == "2026-03-31,closing balance,,,,,,725.86,EUR"
    assert client.get(BASE + "payouts/").status_code == 200
    assert "€600.00" in client.get(BASE + "payouts/").text


@pytest.mark.parametrize(
    "query",
    [
        "?start=2026-03-31&end=2026-03-01",
        "?start=2026-13-45&end=2026-03-01",
        "?start=nonsense&end=",
        "?start=2020-01-01&end=2026-03-01",
        "?start=9999-12-31&end=9999-12-31%00",
    ],
)
def test_bad_periods_get_a_clear_400_never_a_500(history, query):
    seller, _, _ = history
    client = signed_in(member(seller))
    page = client.get(BASE + "statement/" + query)
    assert page.status_code == 400
    assert "form-errors" in page.text or "field-error" in page.text
    csv = client.get(BASE + "statement/csv/" + query)
    assert csv.status_code == 400
    assert csv.content.decode().startswith("Invalid period:")


def test_outsiders_get_nothing(history):
    _, sale, _ = history
    invoice = sale.invoices.get()
    other = make_seller("Other Shop")
    pages = [
        BASE,
        BASE + "payouts/",
        BASE + "statement/",
        BASE + "statement/csv/",
        BASE + "invoices/",
        BASE + f"invoices/{invoice.pk}/",
        BASE + f"invoices/{invoice.pk}/pdf/",
    ]
    stranger = signed_in(make_user())
    anonymous = Client()
    for url in pages:
        assert stranger.get(url).status_code == 404, url
        assert anonymous.get(url).status_code == 302, url
    other_member = signed_in(member(other))
    for url in pages[-2:]:
        response = other_member.get(url)
        assert response.status_code == 404, url
        assert sale.number not in response.text


def test_invoices_list_shows_sales_and_commission_invoices_with_html_and_pdf(history):
    seller, sale, _ = history
    with at(2026, 4, 1, 6):
        commission = commission_invoice_issue(
            seller=seller, period_start=MARCH[0], period_end=MARCH[1]
        )
    assert commission is not None
    client = signed_in(member(seller, SellerMembership.Role.FINANCE))
    listing = client.get(BASE + "invoices/")
    assert listing.status_code == 200
    invoice = sale.invoices.get(kind="sale")
    for number in (invoice.number, commission.number):
        assert number in listing.text
    page = client.get(BASE + f"invoices/{invoice.pk}/")
    assert page.status_code == 200
    assert "Zoë Müller" in page.text and "20 %" in page.text and "€455.99" in page.text
    pdf = client.get(BASE + f"invoices/{commission.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="{commission.number}.pdf"'
    assert pdf.content.startswith(b"%PDF")


def test_a_new_seller_sees_empty_pages():
    seller = make_seller("Empty Shop")
    client = signed_in(member(seller))
    home = client.get(BASE)
    assert home.status_code == 200
    assert "No payout yet." in home.text and "No invoice yet." in home.text
    assert "€0.00" in home.text
    assert "No invoice yet." in client.get(BASE + "invoices/?page=x").text
    statement = client.get(BASE + "statement/")
    assert statement.status_code == 200
    assert "Nothing happened in this period." in statement.text
