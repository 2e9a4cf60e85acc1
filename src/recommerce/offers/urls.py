from django.urls import path

from recommerce.offers import seller_views, views

app_name = "offers"
urlpatterns = [
    path("p/<slug:slug>/<int:variant_id>/", views.product_page, name="product"),
    path("sellers/<slug:slug>/", views.seller_page, name="seller"),
    # The seller's own offers ("My offers"), beside the other seller pages under /account/.
    path("account/seller/offers/", seller_views.offer_list, name="seller_offers"),
    path("account/seller/offers/new/", seller_views.offer_new, name="seller_offer_new"),
    path(
        "account/seller/offers/<int:offer_id>/", seller_views.offer_edit, name="seller_offer_edit"
    ),
]
