"""The admin shows each staff role what its permissions allow.

Every page showing a person's data writes a staff-access row (SEC-1): the admin site does
it for every registered model (``privacy.admin_site``). A seller's IBAN is never shown,
only its masked form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from recommerce.accounts.models import Address, Company, CompanyMembership, Seller, User


class AddressInline(admin.TabularInline[Address, User]):
    model = Address
    fk_name = "user"
    extra = 0
    fields = ["kind", "is_default", "full_name", "line1", "postal_code", "city", "country"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # (its type expects AbstractUser)
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name"]
    inlines = [AddressInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["title", "full_name", "phone", "country", "language"]}),
        ("Age", {"fields": ["birth_date", "adult_attested_at", "parental_authorisation_at"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Lists of people are for the admin role; other roles use the logged staff pages.
        return request.user.has_perm("accounts.change_user")


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin[Seller]):
    list_display = ["name", "country", "status", "quality_bp"]
    list_filter = ["status", "country"]
    search_fields = ["name", "legal_name"]
    prepopulated_fields = {"slug": ["name"]}
    exclude = ["iban"]
    readonly_fields = [
        "bank_account",
        "iban_last4",
        "account_holder",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
    ]

    @admin.display(description="Bank account")
    def bank_account(self, seller: Seller) -> str:
        return seller.bank_account_display or "—"


class MembershipInline(admin.TabularInline[CompanyMembership, Company]):
    model = CompanyMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = ["legal_name", "country", "vat_number", "vat_verified_at"]
    search_fields = ["legal_name", "vat_number"]
    inlines = [MembershipInline]
    readonly_fields = ["vat_verified_at", "vat_registered_name", "vat_check_reference"]
