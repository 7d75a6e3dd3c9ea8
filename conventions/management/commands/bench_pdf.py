"""PDF figures: the portal's rendering pipeline against WeasyPrint alone, and letters per second.

Everything it creates lives in one transaction that is rolled back, and its files in a
temporary folder that is removed: the database and the private storage are left as found.
"""

import io
import logging
from pathlib import Path
import re
import shutil
import statistics
import tempfile
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
import pypdf
import weasyprint
from weasyprint.text.fonts import FontConfiguration

from cases.models import CaseStatus, ConnectionCase, Guardian
from conventions import services
from conventions.content import PDF_TEMPLATE, document_context
from conventions.models import Document, DocumentKind, FileVariant
from conventions.pdf import render_html
from conventions.tasks import render_document
from loans.models import Item, ItemCategory, Kit, KitType, Loan, LoanPurpose, LoanStatus, Programme
from schools.models import Network, School, SchoolClass, StaffRole, User

KIT_ITEMS = [
    (ItemCategory.CHROMEBOOK, "Acer Chromebook 314"),
    (ItemCategory.CAMERA_360, "Meeting Owl 3"),
    (ItemCategory.SPEAKERPHONE, "Jabra Speak 510"),
    (ItemCategory.KEYBOARD, "Logitech K380"),
    (ItemCategory.CABLES, "HDMI and USB-C cables"),
    (ItemCategory.SOFTWARE_LICENCE, "Vectera licence"),
]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Measure PDF rendering: a two-page convention (pipeline vs WeasyPrint alone) and 100 letters."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="measured renderings of each kind")
        parser.add_argument("--letters", type=int, default=100, help="classmates' letters in the batch")

    def handle(self, *args, **options):
        logging.getLogger("celery").setLevel(logging.WARNING)
        folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
        try:
            with override_settings(
                PRIVATE_ROOT=folder, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
            ):
                from django.utils.functional import empty

                from classcontact.storage import private_storage

                private_storage._wrapped = empty
                try:
                    # E-mails would leave after commit: there is none, the transaction is rolled back.
                    with transaction.atomic():
                        self._run(options["repeat"], options["letters"])
                        raise Rollback
                except Rollback:
                    pass
                private_storage._wrapped = empty
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # Data, created inside the rolled-back transaction ----------------------------------------

    def _fixture(self, count: int) -> tuple[User, list[ConnectionCase]]:
        stamp = timezone.now().strftime("%H%M%S%f")
        services.ensure_default_templates()
        coordinator = User.objects.create_user(email=f"bench-pdf-{stamp}@example.org", is_staff=True)
        group, _created = Group.objects.get_or_create(name=StaffRole.COORDINATOR)
        coordinator.groups.add(group)
        school = School.objects.create(
            name="Athénée royal de démonstration",
            official_number=f"BPDF{stamp}"[:20],
            network=Network.WBE,
            street="Rue de l'École 12",
            postcode="5000",
            city="Namur",
            in_fwb=True,
        )
        school_class = SchoolClass.objects.create(school=school, name="P5", school_year="2026-2027")
        kit_type = KitType.objects.create(
            name="Bench kit", code=f"bench-{stamp}", programme=Programme.CONNECTION
        )
        cases = []
        for n in range(count):
            case = ConnectionCase.objects.create(
                number=f"BP-{stamp[-8:]}-{n:04d}",
                status=CaseStatus.KIT_ASSIGNED,
                school=school,
                school_class=school_class,
                pupil_first_name="Camille",
                pupil_last_name=f"Vandenberghe-{n}",
            )
            Guardian.objects.create(
                case=case,
                position=1,
                first_name="Sophie",
                last_name="Vandenberghe",
                email=f"p{n}@example.org",
            )
            if n == 0:
                kit = Kit.objects.create(code=f"BPDF-{stamp}", kit_type=kit_type)
                for index, (category, model) in enumerate(KIT_ITEMS):
                    Item.objects.create(
                        kit=kit, category=category, model_name=model, serial_number=f"BPDF{stamp}-{index:02d}"
                    )
                Loan.objects.create(
                    kit=kit,
                    purpose=LoanPurpose.CONNECTION_CASE,
                    holder=case,
                    reference=case.number_display,
                    school=school,
                    start=timezone.localdate(),
                    status=LoanStatus.RESERVED,
                )
            cases.append(case)
        return coordinator, cases

    def _new_convention(self, case, coordinator, previous: Document | None) -> Document:
        if previous is not None:  # one live convention per case: set the last one aside
            Document.objects.filter(pk=previous.pk).update(status="cancelled")
        return services.documents._new_document(
            case=case, kind=DocumentKind.CONVENTION, language=settings.LANGUAGE_CODE, by=coordinator
        )

    # Measures ------------------------------------------------------------------------------

    def _run(self, repeat: int, letters: int) -> None:
        coordinator, cases = self._fixture(max(letters, 1))
        self._measure_convention(cases[0], coordinator, repeat)
        self._measure_letters(cases[:letters], coordinator)

    def _measure_convention(self, case, coordinator, repeat: int) -> None:
        """A two-page convention: the portal's pipeline against WeasyPrint alone on the same HTML."""
        # A convention rendered once to know its page count and its exact HTML.
        document = self._new_convention(case, coordinator, None)
        services.document_render(document_id=document.pk, variant=FileVariant.ORIGINAL)
        stored = document.files.get(variant=FileVariant.ORIGINAL)
        with stored.file.open("rb") as handle:
            pages = len(pypdf.PdfReader(io.BytesIO(handle.read())).pages)
        context, _attachments = document_context(document)
        html = render_html(PDF_TEMPLATE, context, language=document.language)
        css = Path(settings.BASE_DIR, "static", "css", "print.css").resolve()
        # The stylesheet's address, hashed or not (manifest storage in production settings).
        static_print_css = re.escape(settings.STATIC_URL) + r"css/print(?:\.[0-9a-f]+)?\.css"
        plain_html = re.sub(f'href="{static_print_css}"', f'href="{css.as_uri()}"', html)
        assert plain_html != html, "the convention no longer links print.css"
        timings = self._time_convention(case, coordinator, document, plain_html, repeat)
        self.stdout.write(f"convention: {pages} pages, {len(context['doc']['equipment'])} serial numbers")
        self._report_convention(*timings)

    def _time_convention(self, case, coordinator, document, plain_html: str, repeat: int):
        """Milliseconds of each rendering: WeasyPrint alone, alone with fonts loaded once, the pipeline."""

        def alone():
            weasyprint.HTML(string=plain_html).write_pdf()

        shared_fonts = FontConfiguration()

        def alone_shared_fonts():
            weasyprint.HTML(string=plain_html).write_pdf(font_config=shared_fonts)

        def pipeline(doc_id):
            services.document_render(document_id=doc_id, variant=FileVariant.ORIGINAL)

        previous = document
        for _ in range(3):  # warm-up: fonts, templates, connections
            alone()
            alone_shared_fonts()
            previous = self._new_convention(case, coordinator, previous)
            pipeline(previous.pk)
        alone_ms, shared_ms, pipeline_ms = [], [], []
        for _ in range(repeat):  # interleaved, so that all see the same machine
            started = time.perf_counter()
            alone()
            alone_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            alone_shared_fonts()
            shared_ms.append((time.perf_counter() - started) * 1000)
            previous = self._new_convention(case, coordinator, previous)
            started = time.perf_counter()
            pipeline(previous.pk)
            pipeline_ms.append((time.perf_counter() - started) * 1000)
        return alone_ms, shared_ms, pipeline_ms

    def _report_convention(self, alone_ms: list, shared_ms: list, pipeline_ms: list) -> None:
        median_alone = statistics.median(alone_ms)
        median_pipeline = statistics.median(pipeline_ms)
        ratio = median_pipeline / median_alone
        ok = ratio <= 1.2
        median_shared = statistics.median(shared_ms)
        self.stdout.write(f"  WeasyPrint alone, same HTML          median {median_alone:7.1f} ms")
        self.stdout.write(
            f"  portal pipeline (task body)          median {median_pipeline:7.1f} ms   "
            f"ratio {ratio:.2f} (target ≤ 1.20) {'ok' if ok else 'MISSED'}"
        )
        self.stdout.write(
            f"  WeasyPrint alone, fonts loaded once  median {median_shared:7.1f} ms   "
            f"(pipeline / this: {median_pipeline / median_shared:.2f}, the portal's own work around WeasyPrint)"
        )

    def _measure_letters(self, cases, coordinator) -> None:
        """A batch of classmates' letters rendered by the task, one after the other in this process."""
        batch = []
        for letter_case in cases:
            batch.append(
                services.documents._new_document(
                    case=letter_case,
                    kind=DocumentKind.CLASSMATES_LETTER,
                    language=settings.LANGUAGE_CODE,
                    by=coordinator,
                )
            )
        started = time.perf_counter()
        for letter in batch:
            render_document.apply(kwargs={"document_id": letter.pk, "variant": FileVariant.ORIGINAL})
        elapsed = time.perf_counter() - started
        rendered = sum(1 for letter in batch if letter.files.exists())
        rate = rendered / elapsed
        self.stdout.write(
            f"classmates' letters: {rendered} in {elapsed:.1f} s in one process = {rate:.1f} documents/s "
            f"(target ≥ 4) {'ok' if rate >= 4 else 'MISSED'}"
        )
