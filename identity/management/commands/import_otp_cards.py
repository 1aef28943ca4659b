"""Import OTP cards from the supplier's seed file: ``manage.py import_otp_cards seeds.csv``.

The secrets are encrypted as they are read and never printed; keep or destroy the seed
file according to the supplier's instructions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from identity.services import otp_cards_import


class Command(BaseCommand):
    help = (
        "Import OTP cards from a CSV file: serial, base32 secret, period (30 or 60 seconds). "
        "A serial already known is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        report = otp_cards_import(data=path.read_bytes())
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(f"{report.created} created, {report.skipped} already known.")
        if report.errors:
            raise CommandError(f"{len(report.errors)} line(s) refused")
