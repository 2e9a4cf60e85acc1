from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from recommerce.accounts.models import Seller, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # (its type expects AbstractUser)
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin[Seller]):
    list_display = ["name", "country", "status", "quality_bp"]
    list_filter = ["status", "country"]
    search_fields = ["name", "legal_name"]
    prepopulated_fields = {"slug": ["name"]}
