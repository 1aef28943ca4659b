"""List the demandes whose status and open instruction tasks disagree, and the queues'
kept copies (open task per demande, counts per status) that drifted; ``--repair`` fixes
what has one right answer (workflows/consistency.py, ADR 0404)."""

from django.core.management.base import BaseCommand

from cases import counts
from workflows import queue
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
        stale = queue.stale()
        for case in stale:
            self.stdout.write(f"{case.display_number or case.pk}: queue copy out of date")
        drift = counts.drift()
        for procedure, service, status, kept, actual in drift:
            self.stdout.write(
                f"démarche {procedure}, service {service}, {status}: "
                f"counted {kept}, actually {actual}"
            )
        if options["repair"]:
            queue.repair(stale)
            if drift:
                counts.rebuild()
        self.stdout.write(
            f"{len(stale)} queue copy(ies) and {len(drift)} count(s) out of date"
            f"{', repaired' if options['repair'] and (stale or drift) else ''}."
        )
