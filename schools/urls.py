from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:school_id>/", views.school_detail, name="detail"),
    path("<int:school_id>/invite/", views.school_invite, name="invite"),
    path("staff/list/", views.staff_school_list, name="staff_school_list"),
    path("staff/<int:school_id>/history/", views.staff_school_history, name="staff_history"),
    path("staff/lockouts/", views.staff_lockouts, name="staff_lockouts"),
    path("staff/lockouts/<int:attempt_id>/reset/", views.staff_lockout_reset, name="staff_lockout_reset"),
]
