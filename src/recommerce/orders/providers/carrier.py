"""Parcels: the carrier interface and its offline sandbox.

``get_carrier()`` returns the implementation named by ``settings.PROVIDERS["carrier"]``.
A carrier receives what shipping needs and nothing more (SHARE-2): the recipient's name,
address and phone; the service that calls ``shipment_create`` records that disclosure.

The sandbox answers offline and deterministically:

- a tracking number reads ``SP`` + the creation time (10 digits, Unix seconds) + 4 hex
  characters of the reference + 2 check characters, e.g. ``SP1767225600A1B2C3``; a return
  parcel's reads the same with ``SR`` (``SR1767225600A1B2C3``);
- its journey (a return's too) advances with the clock from that creation time: label
  created, picked up (+2 h), in transit (+12 h), out for delivery (+30 h), delivered
  (+40 h);
- a postal code that does not fit the destination country's format, or a missing name,
  street or city, is refused with ``ProviderError`` (code ``INVALID_ADDRESS``) and a
  message that says which (for a return, of the sender's or of the return address);
- ``label_pdf`` renders a printable A6 label for any number it issued: the addresses
  when this instance registered the parcel, the number alone otherwise;
- ``SandboxCarrier(unavailable=True)`` (or setting ``unavailable`` on the instance)
  answers ``ProviderUnavailable`` to every call, as a carrier that is down would.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac

from recommerce.platform import clock
from recommerce.platform.providers import ProviderError, ProviderUnavailable, get_provider

__all__ = [
    "Carrier",
    "ParcelAddress",
    "SandboxCarrier",
    "Shipment",
    "TrackingCode",
    "TrackingUpdate",
    "get_carrier",
]


class TrackingCode(enum.StrEnum):
    LABEL_CREATED = "label_created"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"


@dataclass(frozen=True, slots=True)
class Shipment:
    """A parcel the carrier has registered: its number and the label to print."""

    carrier: str
    tracking_number: str
    label_url: str


@dataclass(frozen=True, slots=True)
class ParcelAddress:
    """A parcel's sender or recipient: what the carrier needs to collect or deliver it."""

    name: str
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    """One step of a parcel's journey."""

    code: str
    description: str
    location: str
    occurred_at: dt.datetime


@runtime_checkable
class Carrier(Protocol):
    """Register parcels and report their journey."""

    name: str

    def shipment_create(
        self,
        *,
        reference: str,
        name: str,
        line1: str,
        line2: str,
        postal_code: str,
        city: str,
        country: str,
        phone: str,
    ) -> Shipment:
        """Register a parcel for the address; ``ProviderError`` if it cannot be delivered."""
        ...

    def return_label_create(
        self, *, reference: str, sender: ParcelAddress, recipient: ParcelAddress
    ) -> Shipment:
        """Register a prepaid return parcel from ``sender`` (the buyer) to ``recipient``.

        ``ProviderError`` if either address cannot be served; ``tracking`` follows it.
        """
        ...

    def label_pdf(self, *, tracking_number: str) -> bytes:
        """Return the printable label of a parcel registered with this carrier (PDF)."""
        ...

    def tracking(self, *, tracking_number: str) -> list[TrackingUpdate]:
        """Return the parcel's steps so far, oldest first."""
        ...

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        """Tell the carrier that the person behind ``references`` had their data erased.

        ``references`` are the platform's references the carrier received (order numbers).
        Raises ``ProviderUnavailable`` when the carrier cannot be reached, so the erasure's
        notice stays pending and is retried.
        """
        ...


def get_carrier() -> Carrier:
    """Return the configured ``carrier`` provider."""
    provider = get_provider("carrier")
    if not isinstance(provider, Carrier):
        raise ImproperlyConfigured(
            f'settings.PROVIDERS["carrier"] built {provider!r}, which is not a carrier.'
        )
    return provider


# --- Sandbox ------------------------------------------------------------------------------

_POSTAL_CODES: dict[str, tuple[str, str]] = {
    "AT": (r"\d{4}", "4 digits"),
    "BE": (r"\d{4}", "4 digits"),
    "CH": (r"\d{4}", "4 digits"),
    "DE": (r"\d{5}", "5 digits"),
    "DK": (r"\d{4}", "4 digits"),
    "ES": (r"\d{5}", "5 digits"),
    "FI": (r"\d{5}", "5 digits"),
    "FR": (r"\d{5}", "5 digits"),
    "IE": (r"[A-Z]\d[\dW] ?[A-Z\d]{4}", "an Eircode such as D02 X285"),
    "IT": (r"\d{5}", "5 digits"),
    "LU": (r"(L-)?\d{4}", "4 digits"),
    "NL": (r"\d{4} ?[A-Z]{2}", "4 digits and 2 letters, such as 1012 AB"),
    "PL": (r"\d{2}-\d{3}", "the form 00-001"),
    "PT": (r"\d{4}-\d{3}", "the form 1100-148"),
    "SE": (r"\d{3} ?\d{2}", "5 digits"),
    "US": (r"\d{5}(-\d{4})?", "a ZIP code of 5 digits"),
}
_GENERIC_POSTAL_CODE = r"[A-Z0-9][A-Z0-9 -]{1,9}"
_NUMBER = re.compile(
    r"(?P<prefix>S[PR])(?P<created>\d{10})(?P<ref>[0-9A-F]{4})(?P<check>[0-9A-F]{2})"
)
OUTBOUND, RETURN = "SP", "SR"
# Hours after the label is created, and what each step says.
_JOURNEY: tuple[tuple[TrackingCode, int, str, str], ...] = (
    (TrackingCode.LABEL_CREATED, 0, "Label created, waiting for the parcel", ""),
    (TrackingCode.PICKED_UP, 2, "Parcel picked up from the sender", "Sender's depot"),
    (TrackingCode.IN_TRANSIT, 12, "In transit", "National sorting centre"),
    (TrackingCode.OUT_FOR_DELIVERY, 30, "Out for delivery", "Local delivery office"),
    (TrackingCode.DELIVERED, 40, "Delivered", "Recipient's address"),
)


def _check(created: str, ref: str) -> str:
    return salted_hmac("sandbox-carrier", created + ref).hexdigest()[:2].upper()


def _parse(tracking_number: str) -> dict[str, str]:
    """Return the parts of a number this sandbox issued; ``UNKNOWN_PARCEL`` otherwise."""
    number = tracking_number.strip().upper()
    match = _NUMBER.fullmatch(number)
    if match is None or match["check"] != _check(match["created"], match["ref"]):
        raise ProviderError(
            f"No parcel has the tracking number “{tracking_number}”.", code="UNKNOWN_PARCEL"
        )
    return {"number": number, **match.groupdict()}


def _validate(address: ParcelAddress, what: str) -> None:
    """Refuse an address the carrier could not serve, saying what is wrong with it."""
    missing = [
        label
        for label, value in (
            ("name", address.name),
            ("street", address.line1),
            ("city", address.city),
        )
        if not value.strip()
    ]
    if missing:
        raise ProviderError(f"The {what} has no {' or '.join(missing)}.", code="INVALID_ADDRESS")
    country = address.country.strip().upper()
    pattern, shape = _POSTAL_CODES.get(country, (_GENERIC_POSTAL_CODE, "letters and digits"))
    if not re.fullmatch(pattern, address.postal_code.strip().upper()):
        raise ProviderError(
            f"The postal code “{address.postal_code}” is not valid for "
            f"{country or 'the country'}: it should be {shape}.",
            code="INVALID_ADDRESS",
        )


class SandboxCarrier:
    """Register parcels and report journeys offline (rules: module docstring)."""

    name = "Sandbox Parcel"

    def __init__(self, *, unavailable: bool = False) -> None:
        self.unavailable = unavailable
        self.shipments: list[str] = []
        self.returns: list[str] = []
        # Number -> (reference, sender, recipient): what a label prints.
        self.parcels: dict[str, tuple[str, ParcelAddress | None, ParcelAddress | None]] = {}
        self.erasure_notices: list[tuple[str, ...]] = []

    def _up(self) -> None:
        if self.unavailable:
            raise ProviderUnavailable("The carrier's service is unavailable (sandbox).")

    def shipment_create(
        self,
        *,
        reference: str,
        name: str,
        line1: str,
        line2: str,
        postal_code: str,
        city: str,
        country: str,
        phone: str,
    ) -> Shipment:
        self._up()
        to = ParcelAddress(name, line1, postal_code, city, country, line2=line2, phone=phone)
        _validate(to, "delivery address")
        self.shipments.append(reference)
        return self._register(OUTBOUND, reference, sender=None, recipient=to)

    def return_label_create(
        self, *, reference: str, sender: ParcelAddress, recipient: ParcelAddress
    ) -> Shipment:
        self._up()
        _validate(sender, "sender's address")
        _validate(recipient, "return address")
        self.returns.append(reference)
        return self._register(RETURN, reference, sender=sender, recipient=recipient)

    def _register(
        self, prefix: str, reference: str, *, sender: ParcelAddress | None, recipient: ParcelAddress
    ) -> Shipment:
        created = f"{int(clock.now().timestamp()):010d}"
        ref = hashlib.sha256(reference.encode()).hexdigest()[:4].upper()
        number = f"{prefix}{created}{ref}{_check(created, ref)}"
        self.parcels[number] = (reference, sender, recipient)
        return Shipment(
            carrier=self.name,
            tracking_number=number,
            label_url=f"https://sandbox-parcel.invalid/labels/{number}.pdf",
        )

    def label_pdf(self, *, tracking_number: str) -> bytes:
        self._up()
        number = _parse(tracking_number)["number"]
        reference, sender, recipient = self.parcels.get(number, ("", None, None))
        return _label_render(
            number=number,
            carrier=self.name,
            returning=number.startswith(RETURN),
            reference=reference,
            sender=sender,
            recipient=recipient,
        )

    def erasure_notify(self, *, references: Sequence[str]) -> None:
        self._up()
        self.erasure_notices.append(tuple(references))

    def tracking(self, *, tracking_number: str) -> list[TrackingUpdate]:
        self._up()
        created = dt.datetime.fromtimestamp(int(_parse(tracking_number)["created"]), tz=dt.UTC)
        now = clock.now()
        updates = []
        for code, hours, description, location in _JOURNEY:
            occurred_at = created + dt.timedelta(hours=hours)
            if occurred_at > now:
                break
            updates.append(TrackingUpdate(code, description, location, occurred_at))
        return updates


def _label_render(
    *,
    number: str,
    carrier: str,
    returning: bool,
    reference: str,
    sender: ParcelAddress | None,
    recipient: ParcelAddress | None,
) -> bytes:
    """Render an A6 label: carrier, number, both addresses when known."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    # Imported here: the invoices' module reads orders' selectors, which read this one.
    from recommerce.orders.pdf import latin1

    pdf = FPDF(orientation="P", unit="mm", format=(105, 148))  # A6
    pdf.set_margins(6, 6, 6)
    pdf.set_auto_page_break(auto=True, margin=6)
    pdf.set_title(latin1(f"{carrier} label {number}"))
    pdf.add_page()

    def text(value: str, *, size: float = 9, style: str = "", height: float = 4.5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, height, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    text(carrier, size=12, style="B", height=6)
    text("Prepaid return" if returning else "Parcel", size=9)
    pdf.ln(2)
    text(number, size=16, style="B", height=9)
    if reference:
        text(f"Reference: {reference}", size=8)
    for heading, address in (("From", sender), ("To", recipient)):
        if address is None:
            continue
        pdf.ln(3)
        text(heading, size=8, style="B")
        rows = [address.name, address.line1, address.line2]
        rows += [f"{address.postal_code} {address.city}", address.country.upper(), address.phone]
        for row in rows:
            if row.strip():
                text(row, size=10 if heading == "To" else 9)
    return bytes(pdf.output())
