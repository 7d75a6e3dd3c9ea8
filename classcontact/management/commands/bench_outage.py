"""Server time of two pages that trigger work, with the broker up and then unreachable.

"Send documents" (a coordinator) and "open a ticket" (a director) record their work in the
outbox and try to hand it to the broker after commit. With the broker down the page must
answer as fast (the target: a median no more than 1.5 times the median with the broker up).
Each measured "send documents" is undone afterwards (documents, work and case state), so
the same case is sent again; tickets simply add up in the bench database.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from cases.figures import case_figures_refresh
from cases.models import CaseStatus, ConnectionCase
from classcontact import outbox
from classcontact.celery import app
from classcontact.models import OutboxItem
from classcontact.testing import TwoFactorClient as Client
from conventions.models import Document
from conventions.selectors import lent_items
from schools.bench import BENCH_COORDINATOR, BENCH_DIRECTOR
from schools.models import User

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1
TICKET = {"subject": "Bench: caméra muette", "category": "hardware", "description": "Plus de son."}


def _ready_case() -> ConnectionCase | None:
    for case in ConnectionCase.objects.filter(status=CaseStatus.KIT_ASSIGNED).order_by("pk")[:50]:
        guardians = list(case.guardians.order_by("position")[: case.guardian_count])
        if lent_items(case) and len(guardians) == case.guardian_count and all(g.email for g in guardians):
            return case
    return None


@transaction.atomic
def _undo_send(case: ConnectionCase, before: int) -> None:
    """Bench only: put the case back as it was before its documents were sent."""
    Document.objects.filter(case=case).delete()
    case.events.filter(pk__gt=before).delete()
    ConnectionCase.objects.filter(pk=case.pk).update(status=CaseStatus.KIT_ASSIGNED)
    case_figures_refresh(case_id=case.pk)


class Command(BaseCommand):
    help = "Median server time of 'send documents' and 'open a ticket', broker up and down."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15)

    def _time(self, client, url, data, repeat, after=None) -> float:
        timings = []
        for _ in range(repeat):
            outbox._broker_down_until = 0.0  # every request tries the broker (worst case)
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
            if after:
                after()
        return statistics.median(timings)

    def handle(self, *args, **options):
        repeat = options["repeat"]
        case = _ready_case()
        if case is None or app.conf.task_always_eager:
            self.stdout.write("bench_outage: needs REDIS_URL and a case waiting for its documents; skipped")
            return
        coordinator, director = Client(), Client()
        coordinator.force_login(User.objects.get(email=BENCH_COORDINATOR))
        director.force_login(User.objects.get(email=BENCH_DIRECTOR))
        send_url = reverse("conventions:send", kwargs={"case_id": case.public_id})
        last_event = case.events.order_by("-pk").values_list("pk", flat=True).first() or 0
        broker = app.conf.broker_url
        results = {}
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False):
            for label, url in (("up", broker), ("down", UNREACHABLE)):
                app.conf.broker_url = url
                results[("send documents", label)] = self._time(
                    coordinator, send_url, {}, repeat, after=lambda: _undo_send(case, last_event)
                )
                results[("open a ticket", label)] = self._time(
                    director, reverse("helpdesk:ticket_open"), TICKET, repeat
                )
        app.conf.broker_url = broker
        OutboxItem.objects.filter(
            task__in=["conventions.render_document", "helpdesk.send_ticket_mail"]
        ).delete()
        self._report(results)

    def _report(self, results: dict) -> None:
        self.stdout.write(f"{'page (POST)':<42} {'broker up ms':>12} {'down ms':>9} {'ratio':>6}  target")
        for name in ("send documents", "open a ticket"):
            up, down = results[(name, "up")], results[(name, "down")]
            ok = down <= 1.5 * up
            target = "down ≤1.5× up " + ("ok" if ok else "MISSED")
            self.stdout.write(f"{name:<42} {up:>12.1f} {down:>9.1f} {down / up:>6.2f}  {target}")
