"""The privacy pages a person uses: their own data when signed in, and public requests."""

from django.urls import URLPattern, path, re_path

from recommerce.privacy.views import consent, person, public
from recommerce.privacy.views import notice as notice_views

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("mine/", person.mine, name="mine"),
    path("mine/export/", person.mine_export, name="mine-export"),
    path("mine/erase/", person.mine_erase, name="mine-erase"),
    path("mine/limits/", person.mine_limit, name="mine-limit"),
    path("mine/limits/lift/", person.mine_lift, name="mine-lift"),
    path("mine/rectify/", person.mine_rectify, name="mine-rectify"),
    path("mine/recording/", person.mine_recording, name="mine-recording"),
    path("mine/biometric/", person.mine_biometric, name="mine-biometric"),
    path("export/<str:token>/", public.export_download, name="export-download"),
    path("export-schema.json", public.export_schema, name="export-schema"),
    path("request/", public.request_form, name="request"),
    path("request/<str:reference>/verify/", public.request_verify, name="request-verify"),
    path("request/<str:reference>/resend/", public.request_resend, name="request-resend"),
    path("request/<str:reference>/document/", public.request_document, name="request-document"),
    path("erased/", public.erased, name="erased"),
    path("cookies/", consent.cookies, name="cookies"),
    path("cookies/banner/", consent.cookies_banner, name="cookies-banner"),
    path("cookies/gpc/", consent.cookies_gpc, name="cookies-gpc"),
    path("do-not-sell-or-share/", consent.opt_out, name="opt-out"),
    # The notice: in the visitor's language, or /en/ and /fr/; versions are dated slugs.
    path("notice/", notice_views.notice_page, name="notice"),
    re_path(r"^notice/(?P<lang>en|fr)/$", notice_views.notice_page, name="notice"),
    path("notice/versions/", notice_views.notice_versions, name="notice-versions"),
    path("notice/seen/", notice_views.notice_seen, name="notice-seen"),
    re_path(
        r"^notice/(?P<version>\d{4}-\d{2}-\d{2}(?:-\d{1,3})?)/$",
        notice_views.notice_version,
        name="notice-version",
    ),
    re_path(
        r"^notice/(?P<version>\d{4}-\d{2}-\d{2}(?:-\d{1,3})?)/(?P<lang>en|fr)/$",
        notice_views.notice_version,
        name="notice-version",
    ),
]
