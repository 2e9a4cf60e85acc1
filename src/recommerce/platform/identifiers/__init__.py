"""Normalise identifiers typed by people: VAT, SIREN/SIRET, IBAN, phone numbers, IMEI.

Each function returns the normalised value or raises Django's ``ValidationError`` with a
message that says what is wrong and one of these codes:

``required``          nothing was typed
``invalid_format``    characters or structure the identifier cannot have
``invalid_length``    the right characters, the wrong count
``bad_checksum``      check digits that do not match (usually a typing mistake)
``invalid_component`` a part that refers to nothing (e.g. an unknown VAT number suffix)
``missing_country``   no country prefix or region, so the number cannot be read
``unknown_country``   a country code that is unknown or not covered
``country_mismatch``  the prefix typed and the country given disagree
``not_a_number``      (phone) no phone number can be read from the text
``too_short``         (phone) fewer digits than any number of that country
``too_long``          (phone) more digits than any number of that country
``invalid``           (phone) digits that are not in that country's numbering plan

The checks are offline (format and check digits). Whether a VAT number is actually
registered is a question for the ``vat_lookup`` provider.
"""

from recommerce.platform.identifiers.banking import iban, iban_display
from recommerce.platform.identifiers.companies import company_registration, siren, siret
from recommerce.platform.identifiers.devices import imei
from recommerce.platform.identifiers.phones import phone_number
from recommerce.platform.identifiers.vat import VatNumber, vat_number

__all__ = [
    "VatNumber",
    "company_registration",
    "iban",
    "iban_display",
    "imei",
    "phone_number",
    "siren",
    "siret",
    "vat_number",
]
