"""A real worker killed (SIGKILL) in the middle of rendering 100 classmates' letters: after a
restart every letter is rendered once and its mail sent once."""

from collections import Counter

import pytest

from cases.models import CaseStatus
from classcontact.models import OutboxItem, OutboxState
from conventions import services
from conventions.models import Document, DocumentFile, DocumentKind, DocumentStatus, FileVariant
from tests.builders.cases import make_case
from tests.faults.parts import mails_in, use_broker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
LETTERS = 100


def _rendered() -> int:
    return DocumentFile.objects.filter(document__kind=DocumentKind.CLASSMATES_LETTER).count()


def test_letters_survive_a_killed_worker_and_are_rendered_and_mailed_once(
    redis_server, workers, school_a, director_a, coordinator
):
    redis_server.start()
    cases = [make_case(school_a, director_a, coordinator, CaseStatus.ELIGIBLE) for _ in range(LETTERS)]
    OutboxItem.objects.all().delete()  # the cases' own notices: not what this test counts
    use_broker(redis_server.url)
    first = workers.new(redis_server.url).start()
    for case in cases:
        services.document_prepare(case=case, kind=DocumentKind.CLASSMATES_LETTER, by=coordinator)

    assert wait_for(lambda: _rendered() >= 10, timeout=60), first.log()
    first.kill()
    killed_at = _rendered()
    assert killed_at < LETTERS, "the worker finished before it could be killed"

    second = workers.new(redis_server.url).start()
    done = wait_for(lambda: not OutboxItem.objects.exclude(state=OutboxState.DONE).exists(), timeout=150)
    waiting = list(
        OutboxItem.objects.exclude(state=OutboxState.DONE).values("task", "attempts", "last_error")[:5]
    )
    assert done, (waiting, _rendered(), second.log()[-3000:])

    letters = Document.objects.filter(kind=DocumentKind.CLASSMATES_LETTER)
    assert letters.count() == LETTERS
    assert set(letters.values_list("status", flat=True)) == {DocumentStatus.READY}
    per_letter = Counter(
        DocumentFile.objects.filter(document__in=letters, variant=FileVariant.ORIGINAL).values_list(
            "document_id", flat=True
        )
    )
    assert len(per_letter) == LETTERS and set(per_letter.values()) == {1}
    mails = [m for m in mails_in(workers.folder / "mail") if m["X-ClassContact-Mail"] == "document-ready"]
    per_case = Counter(next(c.number for c in cases if c.number in m["Subject"]) for m in mails)
    assert len(per_case) == LETTERS and set(per_case.values()) == {1}, per_case.most_common(3)
