"""Re-wrap every space data key with the current master key.

Rotation: put the new key in GUICHET_LOCKER_MASTER_KEY, move the old one to
GUICHET_LOCKER_OLD_MASTER_KEYS, deploy, run this command, then remove the old key.
Document bytes are not re-encrypted (they are encrypted with the space keys).
"""

from django.core.management.base import BaseCommand

from locker.services import space_keys_rewrap


class Command(BaseCommand):
    help = "Re-wrap the locker's space keys with the current master key."

    def handle(self, *args, **options):
        count = space_keys_rewrap()
        self.stdout.write(f"{count} space key(s) re-wrapped with the current master key.")
