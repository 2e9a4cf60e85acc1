"""The privacy pages a person uses: their own data when signed in, and public requests."""

from django.urls import URLPattern, path

from recommerce.privacy.views import person, public

app_name = "privacy"

urlpatterns: list[URLPattern] = [
    path("mine/", person.mine, name="mine"),
    path("mine/export/", person.mine_export, name="mine-export"),
    path("mine/erase/", person.mine_erase, name="mine-erase"),
    path("mine/limits/", person.mine_limit, name="mine-limit"),
    path("mine/limits/lift/", person.mine_lift, name="mine-lift"),
    path("mine/rectify/", person.mine_rectify, name="mine-rectify"),
    path("export/<str:token>/", public.export_download, name="export-download"),
    path("export-schema.json", public.export_schema, name="export-schema"),
    path("request/", public.request_form, name="request"),
    path("request/<str:reference>/verify/", public.request_verify, name="request-verify"),
    path("request/<str:reference>/resend/", public.request_resend, name="request-resend"),
    path("request/<str:reference>/document/", public.request_document, name="request-document"),
    path("erased/", public.erased, name="erased"),
]
