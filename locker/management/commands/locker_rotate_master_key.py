"""Re-wrap every data key with the current master key.

Rotation: put the new key in GUICHET_LOCKER_MASTER_KEY, move the old one to
GUICHET_LOCKER_OLD_MASTER_KEYS, deploy, run this command, then remove the old key.
It covers every private file: the porte-documents' space keys and the keys of demandes and
exports. File bytes are not re-encrypted (they are encrypted with those data keys).
"""

from django.core.management.base import BaseCommand

from locker.vault import rewrap_all


class Command(BaseCommand):
    help = "Re-wrap every data key (porte-documents, demandes, exports) with the master key."

    def handle(self, *args, **options):
        count = rewrap_all()
        self.stdout.write(f"{count} data key(s) re-wrapped with the current master key.")
