from django.urls import path

from .views import logistics, privacy, reminders, school, staff

app_name = "cases"

urlpatterns = [
    # The school's side.
    path("", school.case_list, name="list"),
    path("new/", school.case_new, name="new"),
    path("new/<int:school_id>/", school.case_new_for_school, name="new_for_school"),
    path("<uuid:case_id>/", school.case_detail, name="detail"),
    path("<uuid:case_id>/edit/", school.case_edit, name="edit"),
    path("<uuid:case_id>/withdraw/", school.case_withdraw, name="withdraw"),
    path("<uuid:case_id>/presentation/", school.case_request_presentation, name="request_presentation"),
    path("<uuid:case_id>/classmates-letter/", school.case_request_classmates_letter, name="request_letter"),
    path("<uuid:case_id>/end/", school.case_request_end, name="request_end"),
    # The staff's side.
    path("staff/", staff.staff_board, name="staff_board"),
    path("staff/export.<str:fmt>", staff.staff_board_export, name="staff_board_export"),
    path("staff/<uuid:case_id>/", staff.staff_case_detail, name="staff_detail"),
    path("staff/<uuid:case_id>/reminders/", reminders.staff_case_reminders, name="staff_reminders"),
    path(
        "staff/<uuid:case_id>/reminders/silence/",
        reminders.staff_case_reminders_silence,
        name="staff_reminders_silence",
    ),
    # Data protection: erasure date, legal hold, access report, the pupil's export.
    path("staff/<uuid:case_id>/privacy/", privacy.staff_case_privacy, name="staff_privacy"),
    path("staff/<uuid:case_id>/privacy/hold/", privacy.staff_case_hold, name="staff_hold"),
    path("staff/<uuid:case_id>/privacy/export/", privacy.staff_case_export, name="staff_export_start"),
    path("staff/exports/<uuid:export_id>/", privacy.staff_export, name="staff_export"),
    path("staff/exports/<uuid:export_id>/status/", privacy.staff_export_status, name="staff_export_status"),
    path("staff/exports/<uuid:export_id>/file/", privacy.staff_export_file, name="staff_export_file"),
    path("staff/<uuid:case_id>/review/", staff.staff_start_review, name="staff_start_review"),
    path("staff/<uuid:case_id>/eligibility/", staff.staff_decide, name="staff_decide"),
    path("staff/<uuid:case_id>/withdraw/", staff.staff_withdraw, name="staff_withdraw"),
    path("staff/<uuid:case_id>/pause/", staff.staff_pause, name="staff_pause"),
    path("staff/<uuid:case_id>/resume/", staff.staff_resume, name="staff_resume"),
    path("staff/<uuid:case_id>/end/", staff.staff_request_end, name="staff_request_end"),
    path("staff/<uuid:case_id>/notes/", staff.staff_notes, name="staff_notes"),
    path(
        "staff/<uuid:case_id>/handled/<str:request_kind>/",
        staff.staff_request_handled,
        name="staff_request_handled",
    ),
    path("staff/<uuid:case_id>/step/<str:step>/", staff.staff_step, name="staff_step"),
    path("staff/<uuid:case_id>/certificate/", staff.staff_certificate, name="staff_certificate"),
    # A case's kit and visits (the kit logistics themselves are under /cases/kits/).
    path("kits/assign/<uuid:case_id>/", logistics.case_assign, name="case_assign"),
    path("kits/case/<uuid:case_id>/", logistics.case_logistics, name="case_logistics"),
    path("kits/case/<uuid:case_id>/visits/new/", logistics.case_visit_new, name="case_visit_new"),
]
