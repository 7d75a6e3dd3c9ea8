"""A pupil's export, asked for by a coordinator (the worker's part: cases/pupil_export.py)."""

from django.db import transaction

from classcontact.tasks_util import enqueue_on_commit
from schools.models import User

from ..models import ConnectionCase, HealthField, PupilExport
from .requests import health_read_record


@transaction.atomic
def pupil_export_start(*, case: ConnectionCase, by: User) -> PupilExport:
    """Queue the export of everything held about a case's pupil.

    Effects: a PupilExport (queued); an "export" line in the case's access log; after
    commit, the task ``cases.run_pupil_export``.
    """
    export = PupilExport.objects.create(case=case, created_by=by)
    health_read_record(user=by, case=case, field=HealthField.EXPORT, context="pupil export")
    enqueue_on_commit("cases.run_pupil_export", export_id=export.pk)
    return export
