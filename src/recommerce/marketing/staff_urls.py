from django.urls import URLPattern

app_name = "marketing_staff"
urlpatterns: list[URLPattern] = []
