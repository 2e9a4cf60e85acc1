"""The marketing console: campaigns and advertising audiences."""

from django.urls import URLPattern, path

from recommerce.marketing.views import staff

app_name = "marketing_staff"

urlpatterns: list[URLPattern] = [
    path("", staff.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", staff.campaign, name="campaign"),
    path("campaigns/<int:pk>/send/", staff.campaign_send, name="campaign-send"),
    path("audiences/", staff.audiences, name="audiences"),
]
