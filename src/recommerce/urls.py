from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from recommerce.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("account/", include("allauth.urls")),
    path("account/", include("recommerce.accounts.urls")),
    path("staff/", include("recommerce.accounts.staff_urls")),
    path("_allauth/", include("allauth.headless.urls")),
    path("", include("recommerce.offers.urls")),
    path("", include("recommerce.catalog.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        # Never private/: seller documents go only through their access-checked view.
        re_path(r"^media/(?P<path>(?!private/).*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
