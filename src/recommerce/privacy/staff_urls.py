"""The data-protection officer's console, mounted under ``staff/privacy/``."""

from django.urls import path

from recommerce.privacy.views import staff
from recommerce.privacy.views.staff import notice as staff_notice

app_name = "privacy_staff"

urlpatterns = [
    path("", staff.request_list, name="requests"),
    path("new/", staff.request_new, name="request-new"),
    path("data-map/", staff.data_map, name="datamap"),
    path("disclosures/", staff.disclosures, name="disclosures"),
    path("retention/", staff.retention, name="retention"),
    path("retention/dry-run/", staff.retention_dry_run, name="retention-dry-run"),
    path("ledger/", staff.ledger, name="ledger"),
    path("stats/", staff.stats, name="stats"),
    path("notice/", staff_notice.notice, name="notice"),
    path("ropa.csv", staff_notice.ropa_csv_export, name="ropa-csv"),
    path("ropa.json", staff_notice.ropa_json_export, name="ropa-json"),
    # Request references ("DSR-…") never collide with the fixed pages above.
    path("<str:reference>/", staff.request_detail, name="request"),
    path("<str:reference>/document/", staff.request_document, name="request-document"),
    path("<str:reference>/<slug:action>/", staff.request_action, name="request-action"),
]
