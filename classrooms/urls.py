from django.urls import path

from .views import commission, decision, evaluation, followup, plan, review, school, training

app_name = "classrooms"

urlpatterns = [
    path("", review.home, name="home"),
    # The school's side.
    path("applications/", school.application_list, name="list"),
    path("applications/new/<int:school_id>/<int:campaign_id>/", school.application_new, name="new"),
    path("applications/<uuid:application_id>/", school.application_detail, name="detail"),
    path("applications/<uuid:application_id>/edit/", school.application_edit, name="edit"),
    path("applications/<uuid:application_id>/submit/", school.application_submit, name="submit"),
    path("applications/<uuid:application_id>/withdraw/", school.application_withdraw, name="withdraw"),
    path("applications/<uuid:application_id>/files/", school.attachment_add, name="attachment_add"),
    path("files/<int:attachment_id>/", school.attachment_download, name="attachment"),
    path("files/<int:attachment_id>/remove/", school.attachment_remove, name="attachment_remove"),
    # The inspector, the adviser, the resource teachers and the commission.
    path("inbox/", review.inbox, name="inbox"),
    path("review/", review.review_list, name="review_list"),
    path("review/invite/", review.invite, name="invite"),
    path("review/<uuid:application_id>/", review.review, name="review"),
    path("review/<uuid:application_id>/opinion/", review.give_opinion, name="opinion"),
    path("sessions/", commission.sessions, name="sessions"),
    path("sessions/new/", commission.session_new, name="session_new"),
    path("sessions/<int:session_id>/", commission.session_detail, name="session"),
    path("sessions/<int:session_id>/agenda/", commission.session_agenda, name="session_agenda"),
    path("sessions/<int:session_id>/presence/", commission.session_presence, name="session_presence"),
    path("sessions/<int:session_id>/send/", commission.session_send, name="session_send"),
    path("sessions/<int:session_id>/minutes/", commission.minutes_download, name="minutes"),
    path("sessions/<int:session_id>/minutes/make/", commission.minutes_render, name="minutes_render"),
    path("proposals/<int:proposal_id>/", commission.proposal_save, name="proposal"),
    path("proposals/<int:proposal_id>/remove/", commission.proposal_remove, name="proposal_remove"),
    # The decision maker.
    path("decisions/", decision.decision_list, name="decision_list"),
    path("decisions/<int:session_id>/", decision.decision_detail, name="decision"),
    path("decisions/<int:session_id>/all/", decision.decide_all, name="decide_all"),
    path("decisions/proposal/<int:proposal_id>/", decision.decide, name="decide"),
    # The deployment plan, the kits and visits of the accepted classes.
    path("plan/", plan.plan_index, name="plan_index"),
    path("plan/<int:campaign_id>/", plan.plan, name="plan"),
    path("plan/class/<uuid:application_id>/", plan.placement, name="placement"),
    path("plan/class/<uuid:application_id>/move/", plan.placement_move, name="placement_move"),
    path("plan/class/<uuid:application_id>/visit/", plan.placement_visit, name="placement_visit"),
    # Training sessions.
    path("trainings/", training.my_trainings, name="my_trainings"),
    path("trainings/<int:session_id>/register/", training.register, name="training_register"),
    path("trainings/registration/<int:registration_id>/cancel/", training.cancel, name="training_cancel"),
    path("trainings/campaign/<int:campaign_id>/", training.sessions, name="training_sessions"),
    path("trainings/<int:session_id>/attendance/", training.attendance, name="training_attendance"),
    # After the decision: the class's follow-up, presentation day and evaluation.
    path("classes/mine/", followup.my_classes, name="my_classes"),
    path("classes/<uuid:application_id>/", followup.followup_detail, name="followup"),
    path("classes/<uuid:application_id>/assign/", followup.assign, name="followup_assign"),
    path("classes/<uuid:application_id>/notes/", followup.note_add, name="followup_note"),
    path("classes/<uuid:application_id>/presentation/", followup.presentation_plan, name="presentation_plan"),
    path(
        "classes/<uuid:application_id>/presentation/record/",
        followup.presentation_record,
        name="presentation_record",
    ),
    path("classes/<uuid:application_id>/letters/<str:audience>/", evaluation.letter_download, name="letter"),
    path("classes/<uuid:application_id>/productions/", followup.production_add, name="production_add"),
    path("productions/<int:production_id>/", evaluation.production_download, name="production"),
    path("classes/<uuid:application_id>/b2i/", evaluation.b2i, name="evaluation_b2i"),
    path("classes/<uuid:application_id>/b2i/check/", evaluation.b2i_check, name="evaluation_b2i_check"),
    path("classes/<uuid:application_id>/teacher/", evaluation.teacher_evaluation, name="evaluation_teacher"),
    path("classes/<uuid:application_id>/municipality/", evaluation.municipality, name="municipality"),
]
