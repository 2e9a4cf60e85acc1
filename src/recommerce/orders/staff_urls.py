"""Staff review of held orders, under /staff/orders/."""

from django.urls import path

from recommerce.orders.views import staff

app_name = "staff_orders"
urlpatterns = [
    path("held/", staff.held_list, name="held"),
    path("held/<str:number>/", staff.held_review, name="held_review"),
]
