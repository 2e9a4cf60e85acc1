"""The buyer's order pages, under /account/orders/."""

from django.urls import path

from recommerce.orders.views import buyer

app_name = "orders"
urlpatterns = [
    path("", buyer.order_list, name="list"),
    path("<str:number>/", buyer.order_detail, name="detail"),
    path("<str:number>/cancel/", buyer.order_cancel, name="cancel"),
    path("<str:number>/received/", buyer.order_received, name="received"),
    path("<str:number>/invoices/<int:invoice_id>/", buyer.invoice_download, name="invoice"),
    path(
        "<str:number>/insurance/<str:policy_number>/",
        buyer.insurance_certificate,
        name="certificate",
    ),
]
