from django.urls import URLPattern

app_name = "analytics_staff"
urlpatterns: list[URLPattern] = []
