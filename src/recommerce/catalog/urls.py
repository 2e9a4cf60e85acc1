from django.urls import path

from recommerce.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("c/<slug:slug>/", views.category_page, name="category"),
]
