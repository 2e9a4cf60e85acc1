from django.urls import path

from recommerce.analytics import views

app_name = "analytics_staff"
urlpatterns = [
    path("", views.statistics, name="statistics"),
]
