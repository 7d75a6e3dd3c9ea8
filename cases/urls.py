from django.urls import path

from . import logistics_views, views

app_name = "cases"

urlpatterns = [
    # The school's side.
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("new/<int:school_id>/", views.case_new_for_school, name="new_for_school"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", views.case_edit, name="edit"),
    path("<uuid:case_id>/withdraw/", views.case_withdraw, name="withdraw"),
    path("<uuid:case_id>/presentation/", views.case_request_presentation, name="request_presentation"),
    path("<uuid:case_id>/classmates-letter/", views.case_request_classmates_letter, name="request_letter"),
    path("<uuid:case_id>/end/", views.case_request_end, name="request_end"),
    # The staff's side.
    path("staff/", views.staff_board, name="staff_board"),
    path("staff/<uuid:case_id>/", views.staff_case_detail, name="staff_detail"),
    path("staff/<uuid:case_id>/review/", views.staff_start_review, name="staff_start_review"),
    path("staff/<uuid:case_id>/eligibility/", views.staff_decide, name="staff_decide"),
    path("staff/<uuid:case_id>/withdraw/", views.staff_withdraw, name="staff_withdraw"),
    path("staff/<uuid:case_id>/pause/", views.staff_pause, name="staff_pause"),
    path("staff/<uuid:case_id>/resume/", views.staff_resume, name="staff_resume"),
    path("staff/<uuid:case_id>/end/", views.staff_request_end, name="staff_request_end"),
    path("staff/<uuid:case_id>/notes/", views.staff_notes, name="staff_notes"),
    path(
        "staff/<uuid:case_id>/handled/<str:request_kind>/",
        views.staff_request_handled,
        name="staff_request_handled",
    ),
    path("staff/<uuid:case_id>/step/<str:step>/", views.staff_step, name="staff_step"),
    path("staff/<uuid:case_id>/certificate/", views.staff_certificate, name="staff_certificate"),
    # A case's kit and visits (the kit logistics themselves are under /cases/kits/).
    path("kits/assign/<uuid:case_id>/", logistics_views.case_assign, name="case_assign"),
    path("kits/case/<uuid:case_id>/", logistics_views.case_logistics, name="case_logistics"),
    path("kits/case/<uuid:case_id>/visits/new/", logistics_views.case_visit_new, name="case_visit_new"),
]
