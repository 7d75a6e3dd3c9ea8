from celery import shared_task


@shared_task(name="classrooms.send_application_event_mail")
def send_application_event_mail(*, event_id: int) -> None:
    """E-mail the people concerned by one application event; a second run sends nothing more."""
    from .notifications import send_event_mail

    send_event_mail(event_id=event_id)


@shared_task(name="classrooms.render_session_minutes")
def render_session_minutes(*, session_id: int) -> None:
    """Make the PDF minutes of a commission session and keep them (a new run replaces them)."""
    from .minutes import minutes_pdf
    from .models import CommissionSession
    from .services import session_store_minutes

    session = CommissionSession.objects.filter(pk=session_id).first()
    if session is None:
        return
    session_store_minutes(session_id=session_id, pdf=minutes_pdf(session))


@shared_task(name="classrooms.start_due_loans")
def start_due_loans() -> int:
    """Delivered classes whose trimester has begun move to in progress; a second run moves none."""
    from .services import deployments_start_due

    return deployments_start_due()


@shared_task(name="classrooms.render_presentation_letters")
def render_presentation_letters(*, application_id: int) -> None:
    """Make the presentation day's two invitation letters (a new run replaces them)."""
    from .letters import presentation_letters
    from .models import ClassFollowUp
    from .services import presentation_store_letters

    followup = ClassFollowUp.objects.filter(application_id=application_id).select_related(
        "application__school", "application__accepted_trimester"
    )
    followup = followup.first()
    if followup is None or followup.presentation_on is None:
        return
    municipality, parents = presentation_letters(followup)
    presentation_store_letters(application_id=application_id, municipality=municipality, parents=parents)


@shared_task(name="classrooms.render_yearly_report")
def render_yearly_report(*, job_id: int) -> None:
    """Make the PDF of a yearly report asked for by someone (a second run does nothing)."""
    from .services.report_jobs import report_job_run

    report_job_run(job_id=job_id)
