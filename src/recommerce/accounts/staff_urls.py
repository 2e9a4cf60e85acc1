from django.urls import path

from recommerce.accounts.views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("people/", staff.people, name="people"),
    path("people/<int:user_id>/", staff.person, name="person"),
    path(
        "people/<int:user_id>/recording-objection/",
        staff.person_recording_objection,
        name="person_recording_objection",
    ),
    path("sellers/", staff.seller_queue, name="sellers"),
    path("sellers/<int:seller_id>/", staff.seller_review, name="seller_review"),
    path("access-log/", staff.access_log, name="access_log"),
]
