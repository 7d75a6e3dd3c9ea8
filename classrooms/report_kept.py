"""The yearly report's figures, kept in the cache until something they count changes.

A year's report sums thousands of classes, their loans, follow-ups and trainings: its cost
grows with the programme, while its figures change only when one of those rows does. The
page and the spreadsheets read it through ``yearly_report_kept``: the report is kept under a
generation, a shared read (``classcontact.shared_reads``) that any change to a counted model
renews at once and again on commit, so a change is seen by the next request. The day is part
of the key (an open loan's days grow each day). When the cache does not answer, the report is
computed as if there were none.
"""

import uuid

from django.utils import timezone

from classcontact.shared_reads import SharedRead, kept
from loans.models import Loan
from schools.models import School, SchoolYear, Trimester

from .models import Application, Campaign, ClassFollowUp, TrainingRegistration, TrainingSession
from .report import YearlyReport, yearly_report

KEEP_SECONDS = 900

REPORT_GENERATION = SharedRead(
    "classrooms:report-generation",
    lambda: uuid.uuid4().hex,
    models=[
        Application,
        Campaign,
        ClassFollowUp,
        Loan,
        School,
        SchoolYear,
        TrainingRegistration,
        TrainingSession,
        Trimester,
    ],
    seconds=KEEP_SECONDS,
)


def yearly_report_kept(school_year: str, *, plans_shown: int | None = None) -> YearlyReport:
    """``yearly_report`` of today, from the cache when nothing it counts changed since."""
    today = timezone.localdate()
    key = f"classrooms:report:{REPORT_GENERATION.get()}:{school_year}:{today.isoformat()}:{plans_shown}"
    return kept(
        key, lambda: yearly_report(school_year, today=today, plans_shown=plans_shown), seconds=KEEP_SECONDS
    )
