"""Marketing pages: newsletter sign-up and confirmation, preferences, unsubscribe, and the
inbound-email endpoint."""

from django.urls import URLPattern, path

from recommerce.marketing.views import person, public

app_name = "marketing"

urlpatterns: list[URLPattern] = [
    path("newsletter/", public.newsletter, name="newsletter"),
    path("newsletter/sent/", public.newsletter_sent, name="newsletter-sent"),
    path("newsletter/confirm/<str:token>/", public.newsletter_confirm, name="newsletter-confirm"),
    path("preferences/", person.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("inbound-email/", public.inbound_email, name="inbound-email"),
]
