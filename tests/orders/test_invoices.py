"""Invoices, credit notes and commission invoices: numbering, VAT, mentions, PDF, legal hold."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from recommerce.orders.models import Invoice, InvoiceSequence
from recommerce.orders.pdf import invoice_render_pdf
from recommerce.orders.services.invoices import (
    OUTSIDE_EU_MENTION,
    REVERSE_CHARGE_MENTION,
    commission_invoice_issue,
    credit_note_issue,
    invoice_issue_for_order,
)
from recommerce.orders.services.ledger import ledger_record_chargeback, ledger_record_refund
from recommerce.privacy.registry import Erasure, registry
from tests.orders.finance_fixtures import Item, make_order, make_seller

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(*args: int) -> time_machine.travel:
    return time_machine.travel(dt.datetime(*args, tzinfo=PARIS), tick=False)


def numbers(invoices: list[Invoice]) -> list[str]:
    return [invoice.number for invoice in invoices]


# ---- Numbering -------------------------------------------------------------------------------


def test_numbers_are_sequential_per_issuer_and_year():
    with at(2026, 3, 5, 10):
        lab = make_seller("Refurb Lab")
        nord = make_seller("Atelier Nord")
        issued = [make_order(lab).invoices.get() for _ in range(3)]
        other = make_order(nord).invoices.get()
    assert numbers(issued) == ["REFURB-2026-000001", "REFURB-2026-000002", "REFURB-2026-000003"]
    assert other.number == "ATELIE-2026-000001"
    assert {i.issuer_key for i in issued} == {f"seller:{lab.pk}"}
    with at(2027, 1, 2, 9):
        assert make_order(lab).invoices.get().number == "REFURB-2027-000001"
        assert make_order(lab).invoices.get().number == "REFURB-2027-000002"


def test_invoice_is_issued_once_per_order():
    seller = make_seller("Once Only")
    order = make_order(seller)
    first = order.invoices.get()
    for _ in range(5):
        assert invoice_issue_for_order(order=order).pk == first.pk
    assert Invoice.objects.filter(order=order).count() == 1
    assert InvoiceSequence.objects.get(issuer=f"seller:{seller.pk}").next_value == 2


def test_rolled_back_invoice_gives_its_number_back():
    with at(2026, 3, 5, 10):
        seller = make_seller("Rollback Shop")
        first, doomed, third = (make_order(seller, book=False) for _ in range(3))
        assert invoice_issue_for_order(order=first).number == "ROLLBA-2026-000001"
        with pytest.raises(RuntimeError), transaction.atomic():
            assert invoice_issue_for_order(order=doomed).number == "ROLLBA-2026-000002"
            raise RuntimeError("the order's transaction fails after invoicing")
        assert not Invoice.objects.filter(order=doomed).exists()
        assert invoice_issue_for_order(order=third).number == "ROLLBA-2026-000002"
        assert invoice_issue_for_order(order=doomed).number == "ROLLBA-2026-000003"
    issued = sorted(Invoice.objects.filter(seller=seller).values_list("number", flat=True))
    assert issued == [f"ROLLBA-2026-{n:06d}" for n in (1, 2, 3)]


# ---- Amounts and mentions ----------------------------------------------------------------------


def test_vat_amounts_are_exact_per_line_and_match_the_order():
    seller = make_seller("Exact Vat")
    order = make_order(seller, [Item(45_000), Item(19_999, quantity=2)], shipping_minor=599)
    invoice = order.invoices.get()
    assert [(ln["net"], ln["vat"], ln["gross"], ln["vat_rate_bp"]) for ln in invoice.lines] == [
        (37_500, 7_500, 45_000, 2000),
        (33_332, 6_666, 39_998, 2000),  # 39 998 / 1.2 = 33 331.67
        (499, 100, 599, 2000),  # delivery
    ]
    assert invoice.lines[1]["unit_net"] == 16_666
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (71_331, 14_266, 85_597)
    assert invoice.vat_minor == order.vat_minor
    assert invoice.total_minor == order.total_minor
    assert invoice.reverse_charge is False


def test_consumer_invoice_has_legal_mentions_and_no_reverse_charge():
    seller = make_seller("Mentions Shop")
    order = make_order(seller, [Item(45_000, insured_units=1, insurance_unit_minor=4_900)])
    invoice = order.invoices.get()
    assert invoice.issuer_details == {
        "name": "Mentions Shop SAS",
        "trade_name": "Mentions Shop",
        "address": ["5 quai des Ateliers", "69002 Lyon", "FR"],
        "country": "FR",
        "vat_number": "",
        "registration": "RCS Lyon 123 456 789",
    }
    assert invoice.customer_details == {
        "name": "Zoë Müller",
        "company": "",
        "address": ["12 rue des Lilas", "75011 Paris", "FR"],
        "vat_number": "",
    }
    assert REVERSE_CHARGE_MENTION not in invoice.mentions
    assert "Delivery expected between 10/03/2026 and 12/03/2026." in invoice.mentions
    assert any(m.startswith("Paid in full by card on") for m in invoice.mentions)
    assert any(m.startswith("Warranty: 12 months") for m in invoice.mentions)
    # The premium is the insurer's: not on the seller's invoice.
    assert invoice.total_minor == 45_000
    assert "Device insurance is sold for the insurer and is not on this invoice." in (
        invoice.mentions
    )


def test_b2b_intra_eu_invoice_is_reverse_charged():
    seller = make_seller("Reverse Shop", vat_number="FR40303265045")
    order = make_order(
        seller,
        [Item(37_500, quantity=2, vat_rate_bp=1900)],
        shipping_minor=499,
        reverse_charge=True,
        buyer_vat_number="DE129273398",
        billing_company="Käufer GmbH",
        billing_country="DE",
    )
    invoice = order.invoices.get()
    assert invoice.reverse_charge is True
    assert REVERSE_CHARGE_MENTION in invoice.mentions
    assert REVERSE_CHARGE_MENTION == (
        "Reverse charge — VAT to be accounted for by the customer "
        "(Article 196, Council Directive 2006/112/EC)"
    )
    assert [(ln["net"], ln["vat"], ln["vat_rate_bp"]) for ln in invoice.lines] == [
        (75_000, 0, 0),
        (499, 0, 0),
    ]
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (75_499, 0, 75_499)
    assert invoice.customer_details["vat_number"] == "DE129273398"
    assert invoice.customer_details["company"] == "Käufer GmbH"
    assert any(m.startswith("No discount for early payment") for m in invoice.mentions)


# ---- Credit notes ------------------------------------------------------------------------------


def test_credit_notes_correct_the_invoice_once_per_reference():
    with at(2026, 3, 5, 10):
        seller = make_seller("Credit Shop")
        order = make_order(
            seller, [Item(45_000, insured_units=1, insurance_unit_minor=3_000)], shipping_minor=599
        )
        sale = order.invoices.get()
        notes = {
            credit_note_issue(
                order=order, amount_minor=10_000, reason="Scratch on the case", reference="refund-1"
            ).pk
            for _ in range(5)
        }
    assert len(notes) == 1
    note = Invoice.objects.get(pk=notes.pop())
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.number == "CREDIT-2026-000002"
    assert note.corrects_id == sale.pk
    assert (note.net_minor, note.vat_minor, note.total_minor) == (-8_333, -1_667, -10_000)
    assert note.lines[0]["description"] == "Scratch on the case"
    assert "Reference: refund-1" in note.mentions
    assert f"Credit note correcting invoice {sale.number} of 05/03/2026" in note.mentions[0]
    # The rest of the invoice, then the premium alone: no credit note for the premium.
    rest = credit_note_issue(order=order, amount_minor=35_599, reason="Return", reference="r-2")
    assert rest is not None and rest.total_minor == -35_599
    assert credit_note_issue(order=order, amount_minor=3_000, reason="Return", reference="r-3") is (
        None
    )
    totals = Invoice.objects.filter(order=order).values_list("total_minor", flat=True)
    assert sum(totals) == 0
    assert Invoice.objects.filter(order=order, kind="credit_note").count() == 2


# ---- Commission invoices -----------------------------------------------------------------------


def _commission_setup(seller_kwargs: dict[str, str]) -> tuple[object, dt.date, dt.date]:
    seller = make_seller("Commission Shop", **seller_kwargs)
    make_order(seller, [Item(45_000)], paid_at=dt.datetime(2026, 2, 27, 12, tzinfo=PARIS))
    with at(2026, 3, 3, 12):
        make_order(seller, [Item(45_000)])
        refunded = make_order(seller, [Item(45_000)])
    with at(2026, 3, 20, 12):
        ledger_record_refund(order=refunded, amount_minor=22_500, reference="refund-c1")
    return seller, dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def test_commission_invoice_domestic_vat_included_less_returned_commission():
    seller, start, end = _commission_setup({})
    with at(2026, 4, 1, 6, 30):
        invoice = commission_invoice_issue(seller=seller, period_start=start, period_end=end)
        again = commission_invoice_issue(seller=seller, period_start=start, period_end=end)
    assert invoice is not None and again is not None and again.pk == invoice.pk
    assert invoice.kind == Invoice.Kind.COMMISSION
    assert invoice.number == "RC-2026-000001"
    assert invoice.issuer_key == "marketplace"
    assert invoice.issuer_details["name"] == "Recommerce Marketplace SAS"
    assert invoice.customer_details["name"] == "Commission Shop SAS"
    assert [(ln["gross"], ln["net"], ln["vat"]) for ln in invoice.lines] == [
        (9_000, 7_500, 1_500),  # 2 orders paid in March at 10 %
        (-2_250, -1_875, -375),  # commission returned with the March refund
    ]
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (5_625, 1_125, 6_750)
    assert invoice.reverse_charge is False
    assert (invoice.period_start, invoice.period_end) == (start, end)


def test_commission_invoice_reverse_charged_to_an_eu_seller_with_vat_number():
    seller, start, end = _commission_setup({"country": "DE", "vat_number": "DE129273398"})
    invoice = commission_invoice_issue(seller=seller, period_start=start, period_end=end)
    assert invoice is not None
    assert REVERSE_CHARGE_MENTION in invoice.mentions
    assert (invoice.net_minor, invoice.vat_minor, invoice.total_minor) == (6_750, 0, 6_750)
    assert invoice.reverse_charge is True


def test_commission_invoice_outside_the_eu_and_nothing_due():
    seller, start, end = _commission_setup({"country": "US"})
    invoice = commission_invoice_issue(seller=seller, period_start=start, period_end=end)
    assert invoice is not None and OUTSIDE_EU_MENTION in invoice.mentions
    assert invoice.vat_minor == 0
    idle = make_seller("Idle Shop")
    assert commission_invoice_issue(seller=idle, period_start=start, period_end=end) is None
    assert not Invoice.objects.filter(issuer_key="marketplace", seller=idle).exists()


def test_commission_returned_on_chargebacks_is_deducted():
    seller = make_seller("Chargeback Shop")
    with at(2026, 3, 3, 12):
        order = make_order(seller, [Item(10_000)])
        ledger_record_chargeback(order=order, amount_minor=10_000, reference="chargeback-x")
        invoice = commission_invoice_issue(
            seller=seller, period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 31)
        )
    assert invoice is None  # 1 000 earned, 1 000 returned


# ---- PDF ----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> bytes:
    """Return the PDF with its compressed streams inflated, to search its text."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_pdf_renders_number_accents_and_euro_safely():
    seller = make_seller("Pdf Ateliér")
    order = make_order(
        seller,
        [Item(45_000)],
        shipping_minor=599,
        shipping_label="Livraison express — 24 h €",
        billing_name="Zoë Müller-Łukasz",
    )
    invoice = order.invoices.get()
    data = invoice_render_pdf(invoice=invoice)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert invoice.number.encode() in text
    assert "Zoë Müller-?ukasz".encode("latin-1") in text  # Ł is outside the core font
    assert b"450.00 EUR" in text
    assert b"Livraison express - 24 h EUR" in text
    note = credit_note_issue(order=order, amount_minor=599, reason="Late", reference="refund-p")
    assert note is not None
    note_text = pdf_text(invoice_render_pdf(invoice=note))
    assert b"-5.99 EUR" in note_text and invoice.number.encode() in note_text


# ---- Legal hold ------------------------------------------------------------------------------


def test_invoices_are_under_legal_hold_for_ten_years():
    held = {f.field_name for f in registry.fields_of(Invoice) if f.erasure == Erasure.LEGAL_HOLD}
    assert held == {"buyer", "customer_details", "lines", "order", "issued_at"}
    with at(2026, 3, 5, 10):
        invoice = make_order(make_seller("Hold Shop")).invoices.get()
    assert invoice.legal_hold_until == dt.date(2036, 3, 5)
    with at(2028, 2, 29, 10):
        leap = make_order(make_seller("Leap Shop")).invoices.get()
    assert leap.legal_hold_until == dt.date(2038, 2, 28)
