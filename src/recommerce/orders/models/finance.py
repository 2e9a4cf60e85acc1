"""Money after the sale: commissions, invoices, the double-entry ledger and payouts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce

from recommerce.accounts.models import Seller
from recommerce.catalog.models import Category
from recommerce.platform.models import TimeStampedModel


class CommissionRule(TimeStampedModel):
    """The marketplace's commission on item prices; the most specific rule applies.

    Seller + category beats seller, which beats category, which beats the default rule
    (neither set). Rates are basis points of the VAT-inclusive item price.
    """

    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.CASCADE, related_name="commission_rules"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rate_bp = models.PositiveIntegerField(help_text="e.g. 1000 for 10 %")
    monthly_fee_minor = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # One rule per scope, the empty scopes included (0 stands for "any").
            models.UniqueConstraint(
                Coalesce("seller", Value(0)),
                Coalesce("category", Value(0)),
                name="commission_rule_once",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_bp__lte=10_000), name="commission_rate_at_most_100pc"
            ),
        ]

    def __str__(self) -> str:
        scope = f"{self.seller or 'all sellers'} · {self.category or 'all categories'}"
        return f"{self.rate_bp / 100:.2f} % for {scope}"


class InvoiceSequence(models.Model):
    """The next number of an issuer's invoice series, taken under a row lock (no gaps)."""

    issuer = models.CharField(
        max_length=40, unique=True, help_text="'seller:<id>' or 'marketplace'"
    )
    prefix = models.CharField(max_length=20)
    next_value = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.issuer} next {self.next_value}"


class Invoice(models.Model):
    """A VAT invoice or credit note, immutable once issued, kept 10 years (legal hold).

    Sellers invoice their buyers for orders; the marketplace invoices sellers for
    commissions. Parties and lines are copies taken at issue.
    """

    class Kind(models.TextChoices):
        SALE = "sale", "Invoice"
        CREDIT_NOTE = "credit_note", "Credit note"
        COMMISSION = "commission", "Commission invoice"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    issuer_key = models.CharField(max_length=40, db_index=True)
    number = models.CharField(max_length=40)
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issuer_details = models.JSONField(help_text="Name, address, VAT and registration numbers")
    customer_details = models.JSONField(help_text="Name, address, VAT number")
    lines = models.JSONField(help_text="[{description, quantity, unit_net, vat_rate_bp, net, vat}]")
    currency = models.CharField(max_length=3)
    net_minor = models.IntegerField()
    vat_minor = models.IntegerField()
    total_minor = models.IntegerField()
    reverse_charge = models.BooleanField(default=False)
    mentions = models.JSONField(default=list, help_text="Legal mentions printed on it")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField()
    legal_hold_until = models.DateField()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_key", "number"], name="invoice_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class LedgerTransaction(models.Model):
    """One balanced movement of money: its entries sum to zero."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", "Buyer payment"
        REFUND = "refund", "Refund"
        CHARGEBACK = "chargeback", "Chargeback"
        PAYOUT = "payout", "Payout"
        PAYOUT_REVERSAL = "payout_reversal", "Failed payout returned"
        FEE = "fee", "Monthly fee"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    reference = models.CharField(max_length=100, unique=True, help_text="Idempotency: once each")
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    currency = models.CharField(max_length=3)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class LedgerEntry(models.Model):
    """A debit (positive) or credit (negative) on one account of the ledger."""

    class Account(models.TextChoices):
        PROVIDER_CASH = "provider_cash", "Funds held at the payment provider"
        SELLER_PAYABLE = "seller_payable", "Owed to the seller"
        COMMISSION = "commission", "Marketplace commission"
        CHARGEBACK_LOSS = "chargeback_loss", "Chargeback losses"

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.CharField(max_length=20, choices=Account.choices)
    seller = models.ForeignKey(
        Seller, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    amount_minor = models.BigIntegerField(help_text="Debit > 0, credit < 0")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "seller"])]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_minor}"


class Payout(TimeStampedModel):
    """Money owed to a seller for orders shipped long enough ago, sent through the provider.

    Above ``PAYOUT_SECOND_APPROVAL_MINOR`` a second finance staff member must approve it.
    """

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Waiting for approval"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="payouts")
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices)
    run_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_id = models.PositiveBigIntegerField(null=True, blank=True)
    bank_account_display = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-run_date", "-id"]
        permissions = [("approve_payout", "Can approve large payouts")]

    def __str__(self) -> str:
        return f"Payout {self.pk} to {self.seller_id}: {self.amount_minor}"
