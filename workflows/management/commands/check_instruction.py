"""List the demandes whose status and open instruction tasks disagree; ``--repair`` fixes
what has one right answer (workflows/consistency.py)."""

from django.core.management.base import BaseCommand

from workflows.consistency import disagreements, repair


class Command(BaseCommand):
    help = "List demandes whose status and open instruction tasks disagree (--repair to fix)."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="repair what can be")

    def handle(self, *args, **options):
        found = list(disagreements())
        repaired = 0
        for item in found:
            fixed = options["repair"] and repair(item)
            repaired += bool(fixed)
            self.stdout.write(f"{item}{' — repaired' if fixed else ''}")
        self.stdout.write(f"{len(found)} disagreement(s), {repaired} repaired.")
