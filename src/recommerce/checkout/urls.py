from django.urls import path

from recommerce.checkout import views

app_name = "checkout"

urlpatterns = [
    path("cart/", views.cart_page, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/lines/<int:line_id>/", views.cart_line, name="cart_line"),
    path("cart/accept-changes/", views.cart_accept_changes, name="cart_accept_changes"),
    path("checkout/", views.checkout_begin, name="begin"),
    path("checkout/<str:reference>/", views.checkout_page, name="checkout"),
    path("checkout/<str:reference>/return/", views.checkout_return, name="return"),
    path("checkout/<str:reference>/cancelled/", views.checkout_cancelled, name="cancelled"),
    path("checkout/<str:reference>/done/", views.checkout_done, name="done"),
]
