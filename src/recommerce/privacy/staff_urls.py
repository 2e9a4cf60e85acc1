from django.urls import URLPattern

app_name = "privacy_staff"
urlpatterns: list[URLPattern] = []
