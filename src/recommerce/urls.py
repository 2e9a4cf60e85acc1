from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from recommerce.api import api
from recommerce.orders.finance_urls import staff_urlpatterns as staff_finance_urlpatterns
from recommerce.platform import health
from recommerce.platform.api import no_such_url
from recommerce.platform.media import public_media

# A database outage answers 503 even when a middleware, not a view, meets it.
handler500 = "recommerce.platform.outages.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    # Answered by platform.middleware.OutageMiddleware before any other middleware; listed
    # here so that they resolve and reverse like every other address.
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", no_such_url),  # a JSON 404, as the API documents
    path("account/orders/", include("recommerce.orders.urls")),
    path("account/seller/orders/", include("recommerce.orders.seller_urls")),
    path("account/seller/finance/", include("recommerce.orders.finance_urls")),
    path("staff/orders/", include("recommerce.orders.staff_urls")),
    path("account/support/", include("recommerce.support.urls")),
    path("account/seller/support/", include("recommerce.support.seller_urls")),
    path("staff/support/", include("recommerce.support.staff_urls")),
    path("staff/finance/", include((staff_finance_urlpatterns, "staff_finance"))),
    path("privacy/", include("recommerce.privacy.urls")),
    path("staff/privacy/", include("recommerce.privacy.staff_urls")),
    path("staff/outbox/", include("recommerce.platform.staff_urls")),
    path(".well-known/", include("recommerce.privacy.wellknown_urls")),
    path("marketing/", include("recommerce.marketing.urls")),
    path("staff/marketing/", include("recommerce.marketing.staff_urls")),
    path("staff/analytics/", include("recommerce.analytics.staff_urls")),
    path("account/", include("allauth.urls")),
    path("account/", include("recommerce.accounts.urls")),
    path("staff/", include("recommerce.accounts.staff_urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("payments/", include("recommerce.payments.urls")),
    path("", include("recommerce.checkout.urls")),
    path("", include("recommerce.offers.urls")),
    path("", include("recommerce.catalog.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        # The public pictures only, never a directory: private files are sealed in another
        # storage and leave it through their access-checked views (ADR 0013).
        path("media/<path:name>", public_media, name="media"),
    ]
