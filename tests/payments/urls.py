"""The project's URLs with the payments app mounted where it is documented to live."""

from django.urls import URLPattern, URLResolver, include, path

from recommerce.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = list(project_urlpatterns)
if not any(getattr(entry, "namespace", None) == "payments" for entry in urlpatterns):
    urlpatterns.append(path("payments/", include("recommerce.payments.urls")))
