"""Import pre-registered organisations: ``manage.py import_organisations fichier.csv``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from identity.services import organisations_import


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV file: name, member number (6 digits), SIRET "
        "(optional). A member number already known is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = organisations_import(data=path.read_bytes())
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(f"{report.created} created, {report.skipped} already known.")
        if report.errors:
            raise CommandError(f"{len(report.errors)} line(s) refused")
