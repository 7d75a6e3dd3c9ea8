from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.calendar_import import CalendarImportError, EventStatus, calendars_import_ics
from schools.models import Calendar


class Command(BaseCommand):
    help = "Add the school years, trimesters and holidays of an iCalendar (.ics) file to a calendar."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the calendar's code, e.g. fwb")
        parser.add_argument("file", type=Path, help="the .ics file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, code: str, file: Path, dry_run: bool, **options):
        calendar = Calendar.objects.filter(code=code).first()
        if calendar is None:
            known = ", ".join(Calendar.objects.order_by("code").values_list("code", flat=True)) or "none"
            raise CommandError(f"No calendar with the code {code!r} (known: {known}).")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            report = calendars_import_ics(calendar=calendar, data=data, dry_run=dry_run)
        except CalendarImportError as error:
            raise CommandError(str(error.message)) from None

        for row in report.rows:
            kind = row.kind.label if row.kind else "-"
            dates = f"{row.start:%Y-%m-%d} – {row.end:%Y-%m-%d}" if row.start and row.end else ""
            line = f"event {row.position:>3}  {row.status.label:<10} {kind:<12} {row.summary} {dates}"
            if row.status == EventStatus.REJECTED:
                self.stdout.write(self.style.ERROR(f"{line}: {row.message}"))
            else:
                self.stdout.write(line)
        counts = report.counts
        summary = (
            f"{len(report.rows)} events: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected."
        )
        if dry_run:
            summary += " Dry run: nothing was saved."
        style = self.style.WARNING if counts["rejected"] else self.style.SUCCESS
        self.stdout.write(style(summary))
