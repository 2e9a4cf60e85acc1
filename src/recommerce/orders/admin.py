"""Orders in the admin: for looking up, not for changing (services own every transition)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from recommerce.orders.models import InsurancePolicy, Order, OrderLine, TrackingEvent


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("title", "grade", "quantity", "unit_price_minor", "insured_units")


class TrackingEventInline(ReadOnlyInline):
    model = TrackingEvent
    fields = readonly_fields = ("occurred_at", "code", "description", "location")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    list_display = ["number", "seller", "status", "total_minor", "currency", "paid_at"]
    list_filter = ["status"]
    search_fields = ["number", "tracking_number"]
    raw_id_fields = ["payment", "seller", "buyer", "company", "payout"]
    inlines = [OrderLineInline, TrackingEventInline]
    date_hierarchy = "paid_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(admin.ModelAdmin[InsurancePolicy]):
    list_display = ["policy_number", "insurer", "status", "premium_minor", "starts_on", "ends_on"]
    list_filter = ["status", "insurer"]
    search_fields = ["policy_number", "line__order__number"]
    raw_id_fields = ["line"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: InsurancePolicy | None = None
    ) -> bool:
        return False
