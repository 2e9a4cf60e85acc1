"""Files at ``/.well-known/``: the Global Privacy Control declaration."""

from django.urls import URLPattern, path

from recommerce.privacy.views import consent

app_name = "privacy_wellknown"
urlpatterns: list[URLPattern] = [
    path("gpc.json", consent.gpc_json, name="gpc"),
]
