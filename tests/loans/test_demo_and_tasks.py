import io
import time

from django.core import mail
import pytest

from cases import demo as loans_demo
from cases import demo_logistics
from cases import services as case_services
from cases.models import CaseStatus, ConnectionCase
from loans import demo as kit_demo
from loans.models import InventoryState, Kit, KitEvent, Loan, LoanStatus, Visit, VisitKind, VisitStatus
from loans.tasks import send_visit_mail
from schools import demo as schools_demo
from tests.builders.loans import case_with_kit, soon


def _cases(status):
    return ConnectionCase.objects.filter(status=status).values("pk")


@pytest.mark.django_db
def test_the_demo_inventory_matches_the_demo_cases_and_loads_twice_without_change(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        schools_demo.seed(io.StringIO())
        loans_demo.seed(io.StringIO())
        kit_demo.seed(io.StringIO())
        demo_logistics.seed(io.StringIO())
    assert Kit.objects.count() >= 12
    active = Loan.objects.get(holder_id__in=_cases(CaseStatus.ACTIVE))
    assert active.status == LoanStatus.LENT and active.kit.state == InventoryState.LENT
    assert Loan.objects.get(holder_id__in=_cases(CaseStatus.KIT_ASSIGNED)).status == LoanStatus.RESERVED
    assert Visit.objects.filter(
        kind=VisitKind.INSTALLATION,
        status=VisitStatus.PLANNED,
        holder_id__in=_cases(CaseStatus.INSTALLATION_PLANNED),
    ).exists()
    assert Visit.objects.filter(
        kind=VisitKind.RETRIEVAL, holder_id__in=_cases(CaseStatus.RETRIEVAL_PLANNED)
    ).exists()
    assert Kit.objects.filter(state=InventoryState.IN_REPAIR).exists()
    assert mail.outbox == []
    counts = (Kit.objects.count(), Loan.objects.count(), Visit.objects.count(), KitEvent.objects.count())
    kit_demo.seed(io.StringIO())
    demo_logistics.seed(io.StringIO())
    assert (
        Kit.objects.count(),
        Loan.objects.count(),
        Visit.objects.count(),
        KitEvent.objects.count(),
    ) == counts


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_mails_a_planned_visit_once(
    celery_worker_redis, school_a, director_a, coordinator, technician
):
    case, _loan = case_with_kit(school_a, director_a, coordinator)
    mail.outbox.clear()
    visit = case_services.case_visit_plan(
        kind=VisitKind.HOME_SETUP, case=case, starts_at=soon(), technician=technician, by=coordinator
    )
    # The task was sent after commit; a second run finds the change already mailed.
    send_visit_mail.apply_async(kwargs={"visit_id": visit.pk, "event": "planned"}).get(timeout=20)
    visit.refresh_from_db()
    assert visit.mailed_sequence == visit.sequence
    expected = sorted([technician.email, director_a.email])
    deadline = time.monotonic() + 30  # the queued mails are delivered by the same worker

    def visit_mails():
        return [m for m in mail.outbox if m.extra_headers.get("X-ClassContact-Mail") == "visit-planned"]

    while len(visit_mails()) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # a duplicate would arrive now
    assert sorted(address for message in visit_mails() for address in message.to) == expected
