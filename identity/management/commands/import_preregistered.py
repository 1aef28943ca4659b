"""Operator command: import (or update) pre-registered people from a CSV file.

    python manage.py import_preregistered PATH [--dry-run]

The file format is described in ``identity/preregistered.py``. A file with an error is
refused whole: every error is printed with its line number and the command fails
(exit code 1), so that a corrected file can simply be imported again.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from identity.preregistered import import_summary, parse
from identity.services import preregistered_import


class Command(BaseCommand):
    help = "Import or update pre-registered people from a CSV file (same file twice: no duplicate)."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file only, import nothing"
        )

    def handle(self, *args, path, dry_run=False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"no such file: {path}")
        with source.open(encoding="utf-8-sig", newline="") as lines:
            rows, problems = parse(lines)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(problems)} error(s): nothing imported")
        if dry_run:
            self.stdout.write(f"{len(rows)} row(s) checked, nothing imported (--dry-run).")
            return
        self.stdout.write(self.style.SUCCESS(import_summary(preregistered_import(rows=rows))))
