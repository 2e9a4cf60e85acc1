"""The orders' data map: each field of its models, personal or not, and how a person's
export summary shows the records."""

from __future__ import annotations

from recommerce.orders.models import (
    CommissionRule,
    InsurancePolicy,
    Invoice,
    InvoiceSequence,
    LedgerEntry,
    LedgerTransaction,
    Order,
    OrderLine,
    Payout,
    TrackingEvent,
    UnitIdentifier,
)
from recommerce.privacy import purposes
from recommerce.privacy.registry import Erasure, Retention, not_personal, personal, registry

# Invoices and accounting records: 10 years (Code de commerce L123-22).
ACCOUNTING = Retention.in_years(10, starts="the invoice date")
# An invoice carries its own end of hold: the 10th anniversary of its date.
INVOICE_HOLD = Retention(
    days=0,
    starts="the end of its legal hold, 10 years after the invoice date",
    clock=("legal_hold_until",),
)
ORDER_FOLLOW_UP = Retention(days=5 * 365, starts="delivery (limitation period of claims)")

registry.register(
    Order,
    personal(
        "buyer",
        "buyer_email",
        "buyer_title",
        "delivery_name",
        "delivery_company",
        "delivery_line1",
        "delivery_line2",
        "delivery_postal_code",
        "delivery_city",
        "delivery_region",
        "delivery_country",
        "delivery_phone",
        category="user.contact.delivery",
        subject="buyer",
        purposes=[purposes.SERVICE_ORDERS],
        retention=ORDER_FOLLOW_UP.counted_from("delivered_at", "created_at"),
        erasure=Erasure.ANONYMISE,
        export_label="Orders: delivery details",
        recipients=["the seller", "the carrier"],
    ),
    personal(
        "billing_name",
        "billing_company",
        "billing_line1",
        "billing_line2",
        "billing_postal_code",
        "billing_city",
        "billing_country",
        "buyer_vat_number",
        "company",
        "items_minor",
        "shipping_minor",
        "insurance_minor",
        "vat_minor",
        "total_minor",
        "refunded_minor",
        "paid_at",
        category="user.financial.purchase",
        subject="buyer",
        purposes=[purposes.SERVICE_ORDERS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING.counted_from("paid_at", "created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Orders: billing and amounts",
        recipients=["the seller"],
    ),
    personal(
        "tracking_number",
        "accepted_at",
        "shipped_at",
        "delivered_at",
        "delivered_by",
        "cancelled_at",
        "cancel_reason",
        "hold_reason",
        category="user.activity.orders",
        subject="buyer",
        purposes=[purposes.SERVICE_ORDERS],
        retention=ORDER_FOLLOW_UP.counted_from("delivered_at", "created_at"),
        erasure=Erasure.ANONYMISE,
        export_label="Orders: fulfilment",
    ),
    not_personal(
        "id",
        "number",
        "checkout_reference",
        "payment",
        "seller",
        "status",
        "currency",
        "commission_minor",
        "reverse_charge",
        "shipping_method",
        "shipping_label",
        "delivery_estimate_from",
        "delivery_estimate_to",
        "carrier",
        "payout",
        "created_at",
        "updated_at",
        reason="the order's processing state and the seller's side",
    ),
)
registry.register(
    OrderLine,
    personal(
        "order",
        "offer",
        "variant",
        "title",
        "quantity",
        "unit_price_minor",
        category="user.activity.orders",
        subject="order__buyer",
        purposes=[purposes.SERVICE_ORDERS, purposes.LEGAL_ACCOUNTING],
        retention=ACCOUNTING.counted_from("order__paid_at", "order__created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Orders: items bought",
    ),
    not_personal(
        "id",
        "grade",
        "warranty_months",
        "vat_rate_bp",
        "insured_units",
        "insurance_unit_minor",
        "insurance_quote_id",
        reason="properties of the item",
    ),
)
registry.register(
    InsurancePolicy,
    personal(
        "line",
        "policy_number",
        "starts_on",
        "ends_on",
        "certificate_url",
        category="user.financial.insurance",
        subject="line__order__buyer",
        purposes=[purposes.SERVICE_INSURANCE],
        retention=ACCOUNTING.counted_from("line__order__created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Device insurance",
        recipients=["the insurer"],
    ),
    not_personal(
        "id", "insurer", "quote_id", "premium_minor", "cover", "status", "created_at", "updated_at"
    ),
)
registry.register(
    UnitIdentifier,
    personal(
        "line",
        "value",
        category="user.device.identifier",
        subject="line__order__buyer",
        purposes=[purposes.SERVICE_ORDERS, purposes.LEGAL_ACCOUNTING],
        # Kept with the invoice that names the device sold: 10 years from payment.
        retention=ACCOUNTING.counted_from("line__order__paid_at", "line__order__created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Orders: device identifiers (IMEI / serial)",
        recipients=["the seller"],
    ),
    not_personal("id", "kind", "position", "created_at", reason="which unit and how it is named"),
)
registry.register(
    TrackingEvent,
    personal(
        "order",
        "location",
        "occurred_at",
        category="user.activity.orders",
        subject="order__buyer",
        purposes=[purposes.SERVICE_ORDERS],
        retention=ORDER_FOLLOW_UP.counted_from("occurred_at"),
        erasure=Erasure.DELETE,
        export_label="Orders: parcel tracking",
    ),
    not_personal("id", "code", "description"),
)
registry.register(
    Invoice,
    personal(
        "buyer",
        "customer_details",
        "lines",
        "order",
        "issued_at",
        category="user.financial.invoice",
        subject="buyer",
        purposes=[purposes.LEGAL_ACCOUNTING],
        retention=INVOICE_HOLD,
        erasure=Erasure.LEGAL_HOLD,
        export_label="Invoices",
    ),
    not_personal(
        "id",
        "kind",
        "issuer_key",
        "number",
        "seller",
        "corrects",
        "issuer_details",
        "currency",
        "net_minor",
        "vat_minor",
        "total_minor",
        "reverse_charge",
        "mentions",
        "period_start",
        "period_end",
        "legal_hold_until",
        reason="the issuer's side and the amounts of the document",
    ),
)
registry.register(
    InvoiceSequence, not_personal("id", "issuer", "prefix", "next_value", reason="counters")
)
registry.register(
    CommissionRule,
    not_personal(
        "id",
        "seller",
        "category",
        "rate_bp",
        "monthly_fee_minor",
        "created_at",
        "updated_at",
        reason="terms between the marketplace and seller companies",
    ),
)
registry.register(
    LedgerTransaction,
    not_personal(
        "id",
        "kind",
        "reference",
        "order",
        "seller",
        "currency",
        "memo",
        "created_at",
        reason="bookkeeping between the marketplace and sellers; the order holds the buyer",
    ),
)
registry.register(
    LedgerEntry,
    not_personal("id", "transaction", "account", "seller", "amount_minor", reason="bookkeeping"),
)
registry.register(
    Payout,
    personal(
        "created_by",
        "approved_by",
        category="staff.activity.approval",
        subject="created_by|approved_by",
        subject_note="the finance staff who created or approved the payout",
        purposes=[purposes.LEGAL_ACCOUNTING, purposes.FRAUD_PREVENTION],
        retention=ACCOUNTING.counted_from("created_at"),
        erasure=Erasure.LEGAL_HOLD,
        export_label="Payouts you created or approved",
    ),
    not_personal(
        "id",
        "seller",
        "amount_minor",
        "currency",
        "status",
        "run_date",
        "transfer_id",
        "bank_account_display",
        "paid_at",
        "created_at",
        "updated_at",
        reason="payments to seller companies",
    ),
)


# How a person's export summary shows these records: an order by its number and seller,
# with its items, parcel tracking and item insurance inside it.
registry.present(
    Order,
    title={"en": "Orders", "fr": "Commandes"},
    heading={"en": "Order {number}", "fr": "Commande {number}"},
    context={
        "number": "number",
        "seller": "seller__name",
        "placed": "created_at",
        "status": "status",
    },
    currency="currency",
)
registry.present(
    OrderLine,
    title={"en": "Items", "fr": "Articles"},
    heading="{title}",
    context={"grade": "grade", "warranty_months": "warranty_months"},
    within="order",
    hidden=("offer", "variant"),
)
registry.present(
    TrackingEvent,
    title={"en": "Parcel tracking", "fr": "Suivi du colis"},
    heading="{occurred_at}",
    context={"step": "description"},
    within="order",
)
registry.present(
    UnitIdentifier,
    title={"en": "Device identifiers", "fr": "Identifiants des appareils"},
    heading={"en": "Unit {position}", "fr": "Unité {position}"},
    context={"kind": "kind"},
    within="line",
)
registry.present(
    InsurancePolicy,
    title={"en": "Device insurance", "fr": "Assurance de l'appareil"},
    within="line",
)
registry.present(
    Invoice,
    title={"en": "Invoices", "fr": "Factures"},
    heading={"en": "Invoice {number}", "fr": "Facture {number}"},
    context={
        "number": "number",
        "kind": "kind",
        "seller": "seller__name",
        "order": "order__number",
        "total": "total_minor",
    },
    currency="currency",
    money=("unit_net", "net", "vat", "gross"),
)
