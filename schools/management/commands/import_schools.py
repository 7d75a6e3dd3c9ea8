from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from schools.imports import ImportFileError, RowStatus, schools_import_csv


class Command(BaseCommand):
    help = (
        "Create or update schools from a CSV file of the directory (UTF-8 or Windows-1252, "
        "';' or ',' separated), matched on the official number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            report = schools_import_csv(data=data, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error.message)) from None

        for row in report.rows:
            label = f"line {row.line:>5}  {row.official_number or '-':<12} {row.status.label:<10}"
            if row.status == RowStatus.REJECTED:
                for error in row.errors:
                    where = f"{error.column}: " if error.column else ""
                    self.stdout.write(self.style.ERROR(f"{label} {where}{error.message}"))
            elif row.status == RowStatus.UPDATED:
                self.stdout.write(f"{label} {row.name} ({', '.join(row.changed_fields)})")
            else:
                self.stdout.write(f"{label} {row.name}")
        if report.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(report.ignored_columns)}")
        counts = report.counts
        summary = (
            f"{len(report.rows)} rows: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected."
        )
        if dry_run:
            summary += " Dry run: nothing was saved."
        style = self.style.WARNING if counts["rejected"] else self.style.SUCCESS
        self.stdout.write(style(summary))
