"""Finance pages: the seller's under /account/seller/finance/, staff's under /staff/finance/.

Include the seller's with ``include("recommerce.orders.finance_urls")`` and staff's with
``include((staff_urlpatterns, "staff_finance"))``.
"""

from django.urls import URLPattern, path

from recommerce.orders.views import finance

app_name = "seller_finance"
urlpatterns = [
    path("", finance.finance_home, name="home"),
    path("payouts/", finance.payout_list, name="payouts"),
    path("statement/", finance.statement, name="statement"),
    path("statement/csv/", finance.statement_csv, name="statement_csv"),
    path("invoices/", finance.invoice_list, name="invoices"),
    path("invoices/<int:invoice_id>/", finance.invoice_detail, name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", finance.invoice_pdf, name="invoice_pdf"),
]

staff_urlpatterns: list[URLPattern] = [
    path("payouts/", finance.staff_payouts, name="payouts"),
    path("payouts/<int:payout_id>/approve/", finance.staff_payout_approve, name="approve"),
    path("payouts/<int:payout_id>/send/", finance.staff_payout_send, name="send"),
]
