from django.urls import URLPattern

app_name = "privacy_wellknown"
urlpatterns: list[URLPattern] = []
