"""`make bench`: the build time of the mobile classrooms' yearly report PDF at bench scale."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Measure how long the yearly report's PDF takes to build (figures and rendering)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        from classrooms.bench_report import pdf_build_times, pdf_summary

        self.stdout.write(pdf_summary(pdf_build_times(repeat=options["repeat"])))
