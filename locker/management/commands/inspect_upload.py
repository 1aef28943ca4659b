"""Operator command: inspect a file as an upload would be, print the verdict as JSON.

    python manage.py inspect_upload PATH --name DECLARED_NAME --context demande|locker
        [--output OUT]

Exit code 0 whatever the verdict; non-zero only for usage errors.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from locker.inspection import CONTEXTS, inspect_upload


class Command(BaseCommand):
    help = "Inspect a file as an upload and print the verdict as one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="file to inspect")
        parser.add_argument("--name", required=True, metavar="DECLARED_NAME")
        parser.add_argument("--context", required=True, choices=CONTEXTS)
        parser.add_argument(
            "--output", metavar="OUT", help="write the bytes that would be stored (if accepted)"
        )

    def handle(self, *args, path, name, context, output=None, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"no such file: {path}")
        with source.open("rb") as handle:
            result = inspect_upload(handle, name=name, context=context)
        if output and result.accepted:
            try:
                Path(output).write_bytes(result.content)
            except OSError as exc:
                raise CommandError(f"cannot write {output}: {exc}") from exc
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
