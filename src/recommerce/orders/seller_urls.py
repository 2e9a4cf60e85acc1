"""The seller's order pages, under /account/seller/orders/."""

from django.urls import path

from recommerce.orders.views import seller

app_name = "seller_orders"
urlpatterns = [
    path("", seller.order_list, name="list"),
    path("<str:number>/", seller.order_detail, name="detail"),
]
