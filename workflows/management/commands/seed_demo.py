"""Create the demo data every layer adds to; safe to run again.

It lives in the top layer (workflows) because it calls each app's ``demo.seed``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import demo as cases_demo
from cms import demo as cms_demo
from identity import demo as identity_demo
from locker import demo as locker_demo
from workflows import demo as workflows_demo


class Command(BaseCommand):
    help = "Create (or complete) the demo data. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.stdout.write("Demo accounts (email / password):")
            identity_demo.seed(self.stdout)
            cases_demo.seed(self.stdout)
            locker_demo.seed(self.stdout)
            workflows_demo.seed(self.stdout)
            cms_demo.seed(self.stdout)
            identity_demo.seed_staff_apps(self.stdout)
            identity_demo.seed_terms_accepted()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
