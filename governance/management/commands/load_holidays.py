from django.core.management.base import BaseCommand, CommandError

from governance.workdays import library_years, load_from_library


class Command(BaseCommand):
    help = (
        "Record China's public holidays and make-up working days (调休) from the chinese_calendar "
        "package and mark those years as known. Safe to run again; days entered by hand are kept."
    )

    def add_arguments(self, parser):
        years = library_years()
        parser.add_argument(
            "--years",
            nargs="+",
            type=int,
            metavar="YEAR",
            help=f"years to load (default: all the package knows, {years[0]}–{years[-1]})",
        )

    def handle(self, *args, years=None, **options):
        try:
            counts = load_from_library(years)
        except ValueError as error:
            raise CommandError(str(error)) from error
        summary = "{created} days created, {updated} updated, {removed} removed".format(**counts)
        self.stdout.write(f"Holiday calendar: {summary}.")
