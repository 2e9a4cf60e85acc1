"""Mounted at /payments/: provider notifications, and the sandbox provider's own pages."""

from django.urls import path

from recommerce.payments import views

app_name = "payments"

urlpatterns = [
    path("webhooks/<slug:provider>/", views.webhook, name="webhook"),
    path("sandbox/pay/<slug:public_id>/", views.sandbox_pay, name="sandbox_pay"),
    path(
        "sandbox/pay/<slug:public_id>/challenge/",
        views.sandbox_challenge,
        name="sandbox_challenge",
    ),
    path("sandbox/pay/<slug:public_id>/cancel/", views.sandbox_cancel, name="sandbox_cancel"),
]
