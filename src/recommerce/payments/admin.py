"""Read-only admin pages: payments change only through the provider's facts.

Opening a payment writes a staff-access row for its payer (SEC-1): the admin site does it
for every registered model (``privacy.admin_site``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from recommerce.payments.models import (
    Chargeback,
    InstalmentPlan,
    Payment,
    Refund,
    Transfer,
    WebhookEvent,
)

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[M]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InstalmentPlanInline(admin.StackedInline[InstalmentPlan, Payment]):
    model = InstalmentPlan
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin[Payment]):
    list_display = [
        "reference",
        "provider",
        "status",
        "plan",
        "amount_minor",
        "captured_minor",
        "refunded_minor",
        "disputed_minor",
        "currency",
        "created_at",
    ]
    list_filter = ["status", "provider", "plan"]
    search_fields = ["reference", "provider_session_id", "provider_payment_id"]
    inlines = [InstalmentPlanInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin[Refund]):
    list_display = ["payment", "amount_minor", "status", "context", "created_at"]
    list_filter = ["status"]
    search_fields = ["context", "provider_refund_id", "payment__reference"]


@admin.register(Chargeback)
class ChargebackAdmin(ReadOnlyAdmin[Chargeback]):
    list_display = ["provider_dispute_id", "payment", "amount_minor", "reason", "status"]
    list_filter = ["status"]
    search_fields = ["provider_dispute_id", "payment__reference"]


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin[Transfer]):
    list_display = ["seller", "amount_minor", "currency", "status", "provider", "created_at"]
    list_filter = ["status", "provider"]
    search_fields = ["provider_transfer_id", "seller__name"]


class SetAsideFilter(admin.SimpleListFilter):
    """Find the stored notifications reconciliation could not read (``error`` says why)."""

    title = "set aside"
    parameter_name = "set_aside"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Set aside: cannot be read"), ("no", "Readable")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.exclude(error="")
        if self.value() == "no":
            return queryset.filter(error="")
        return queryset


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin[WebhookEvent]):
    list_display = [
        "provider",
        "type",
        "event_id",
        "object_id",
        "received_at",
        "processed_at",
        "error",
    ]
    list_filter = ["provider", "type", SetAsideFilter]
    search_fields = ["event_id", "object_id"]
