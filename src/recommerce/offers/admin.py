from django.contrib import admin

from recommerce.offers.models import Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ["variant", "grade", "seller", "price_minor", "stock", "is_active"]
    list_filter = ["grade", "is_active"]
    raw_id_fields = ["variant", "seller"]
    search_fields = ["variant__sku", "seller__name"]
