from django.urls import URLPattern

app_name = "marketing"
urlpatterns: list[URLPattern] = []
