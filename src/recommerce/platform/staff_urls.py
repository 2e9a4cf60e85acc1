"""The platform's staff pages, mounted under ``staff/outbox/``."""

from django.urls import path

from recommerce.platform import views

app_name = "platform_staff"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:email_id>/retry/", views.outbox_retry, name="outbox-retry"),
]
