"""Render invoices and credit notes as PDF documents, in pure Python.

A sale invoice ends with the identifiers (IMEI / serial) of the devices shipped, once
they are.

The PDF core fonts cover Latin-1 only: accented letters print as they are, the euro sign
is written as the currency code, and any other character outside Latin-1 is replaced, so
no name or address can make rendering fail.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from recommerce.orders.models import Invoice, UnitIdentifier
from recommerce.orders.selectors import order_unit_identifiers
from recommerce.platform.money import minor_exponent

_REPLACEMENTS = {
    "\u20ac": "EUR",  # euro sign
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2022": "*",  # bullet
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
}
_TITLES: dict[str, str] = {
    Invoice.Kind.SALE: "Invoice",
    Invoice.Kind.CREDIT_NOTE: "Credit note",
    Invoice.Kind.COMMISSION: "Commission invoice",
}
# Column widths on A4 (190 mm between the margins) and their alignment.
_COLUMNS = (
    ("Description", 76, "L"),
    ("Qty", 12, "R"),
    ("Unit net", 24, "R"),
    ("VAT", 14, "R"),
    ("Net", 22, "R"),
    ("VAT amount", 20, "R"),
    ("Total", 22, "R"),
)


def latin1(text: Any) -> str:
    """Return ``text`` printable with a core PDF font."""
    value = str(text)
    for char, replacement in _REPLACEMENTS.items():
        value = value.replace(char, replacement)
    return value.encode("latin-1", "replace").decode("latin-1")


def amount(minor: int, currency: str) -> str:
    """Format minor units as ``1,234.56 EUR`` (no currency symbol outside Latin-1)."""
    exponent = minor_exponent(currency)
    value = Decimal(int(minor)).scaleb(-exponent)
    return f"{value:,.{exponent}f} {currency}"


def _rate(rate_bp: int) -> str:
    return f"{Decimal(rate_bp) / 100:g} %"


class _Document(FPDF):
    def __init__(self, invoice: Invoice) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.invoice = invoice
        self.set_margins(10, 12, 10)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(latin1(f"{_TITLES.get(invoice.kind, 'Invoice')} {invoice.number}"))
        self.set_author(latin1(invoice.issuer_details.get("name", "")))

    def footer(self) -> None:
        details = self.invoice.issuer_details
        self.set_y(-14)
        self.set_font("Helvetica", size=7)
        parts = [
            details.get("name", ""),
            details.get("registration", ""),
            f"VAT {details['vat_number']}" if details.get("vat_number") else "",
            f"Page {self.page_no()}/{{nb}}",
        ]
        self.cell(0, 5, latin1(" · ".join(p for p in parts if p)), align="C")

    def text_line(
        self, text: str, *, size: float = 9, style: str = "", height: float = 4.5
    ) -> None:
        self.set_font("Helvetica", style=style, size=size)
        self.multi_cell(0, height, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def party(self, heading: str, details: dict[str, Any], x: float, width: float) -> float:
        """Print a party's block at ``x``; return the y where it ends."""
        top = self.get_y()
        self.set_xy(x, top)
        self.set_font("Helvetica", style="B", size=9)
        self.cell(width, 5, latin1(heading), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font("Helvetica", size=9)
        rows: list[str] = [details.get("name", "")]
        if details.get("company"):
            rows.append(details["company"])
        rows.extend(details.get("address", []))
        if details.get("vat_number"):
            rows.append(f"VAT number: {details['vat_number']}")
        if details.get("registration"):
            rows.append(str(details["registration"]))
        for row in rows:
            if row:
                self.set_x(x)
                self.multi_cell(width, 4.5, latin1(row), new_x=XPos.LEFT, new_y=YPos.NEXT)
        return self.get_y()


def invoice_render_pdf(*, invoice: Invoice) -> bytes:
    """Render an invoice, credit note or commission invoice as a PDF document."""
    currency = invoice.currency
    pdf = _Document(invoice)
    pdf.alias_nb_pages()
    pdf.add_page()
    title = _TITLES.get(invoice.kind, "Invoice")
    pdf.text_line(f"{title} {invoice.number}", size=16, style="B", height=8)
    issued = timezone.localdate(invoice.issued_at)
    pdf.text_line(f"Date: {issued:%d/%m/%Y}")
    if invoice.period_start and invoice.period_end:
        pdf.text_line(f"Period: {invoice.period_start:%d/%m/%Y} to {invoice.period_end:%d/%m/%Y}")
    if invoice.corrects_id:
        pdf.text_line(f"Corrects invoice {invoice.corrects.number if invoice.corrects else ''}")
    pdf.ln(4)
    top = pdf.get_y()
    left_end = pdf.party("From", invoice.issuer_details, 10, 90)
    pdf.set_y(top)
    right_end = pdf.party("To", invoice.customer_details, 110, 90)
    pdf.set_y(max(left_end, right_end) + 6)

    rows = [
        [
            str(line.get("description", "")),
            str(line.get("quantity", 1)),
            amount(int(line.get("unit_net", 0)), currency),
            _rate(int(line.get("vat_rate_bp", 0))),
            amount(int(line.get("net", 0)), currency),
            amount(int(line.get("vat", 0)), currency),
            amount(int(line.get("gross", int(line["net"]) + int(line["vat"]))), currency),
        ]
        for line in invoice.lines
    ]
    pdf.set_font("Helvetica", size=8.5)
    with pdf.table(
        col_widths=tuple(width for _, width, _ in _COLUMNS),
        text_align=tuple(align for _, _, align in _COLUMNS),
        line_height=5,
        borders_layout="HORIZONTAL_LINES",
        first_row_as_headings=True,
    ) as table:
        for cells in [[name for name, _, _ in _COLUMNS], *rows]:
            row = table.row()
            for text in cells:
                row.cell(latin1(text))
    pdf.ln(3)
    for label, value, bold in (
        ("Total before VAT", invoice.net_minor, False),
        ("VAT", invoice.vat_minor, False),
        ("Total", invoice.total_minor, True),
    ):
        pdf.set_font("Helvetica", style="B" if bold else "", size=10)
        pdf.cell(150, 6, latin1(label), align="R")
        pdf.cell(
            40, 6, latin1(amount(value, currency)), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(4)
    for mention in invoice.mentions:
        pdf.text_line(str(mention), size=8, height=4)
    units = invoice_units(invoice=invoice)
    if units:
        pdf.ln(3)
        pdf.text_line("Device identifiers", size=10, style="B", height=6)
        for unit in units:
            pdf.text_line(unit_label(unit), size=8.5)
    return bytes(pdf.output())


def invoice_units(*, invoice: Invoice) -> list[UnitIdentifier]:
    """Return the devices a sale invoice's order shipped, read now: the stored lines stay
    as issued (an invoice is issued at payment, before the devices are picked)."""
    if invoice.kind != Invoice.Kind.SALE or invoice.order is None:
        return []
    return order_unit_identifiers(order=invoice.order)


def unit_label(unit: UnitIdentifier) -> str:
    """Return ``title (unit n): IMEI 356938035643809`` for one unit shipped."""
    which = f" (unit {unit.position})" if unit.line.quantity > 1 else ""
    return f"{unit.line.title}{which}: {unit.get_kind_display()} {unit.value}"
