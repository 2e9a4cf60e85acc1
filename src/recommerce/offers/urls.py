from django.urls import path

from recommerce.offers import views

app_name = "offers"
urlpatterns = [
    path("p/<slug:slug>/<int:variant_id>/", views.product_page, name="product"),
    path("sellers/<slug:slug>/", views.seller_page, name="seller"),
]
