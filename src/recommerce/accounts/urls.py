from django.urls import path

from recommerce.accounts.views import account, company, seller

app_name = "accounts"

urlpatterns = [
    path("profile/", account.profile, name="profile"),
    path("addresses/new/", account.address_edit, name="address_new"),
    path("addresses/<int:address_id>/", account.address_edit, name="address_edit"),
    path("addresses/<int:address_id>/delete/", account.address_delete, name="address_delete"),
    path("parental-authorisation/", account.parental_authorisation, name="parental"),
    path("parental-consent/<str:token>/", account.parental_consent, name="parental_consent"),
    path("company/", company.company, name="company"),
    path("company/join/<str:token>/", company.invitation_accept, name="invitation"),
    path("seller/", seller.seller_home, name="seller"),
    path("seller/submit/", seller.seller_submit, name="seller_submit"),
    path("seller/people/", seller.people_invite, name="seller_invite"),
    path("seller/join/<str:token>/", seller.invitation_accept, name="seller_invitation"),
    path("seller/documents/<str:token>/", seller.seller_document, name="seller_document"),
    path("seller/api-keys/", seller.api_key_issue, name="api_key_issue"),
    path("seller/api-keys/<int:key_id>/revoke/", seller.api_key_revoke, name="api_key_revoke"),
]
