"""Webhooks: signed POSTs to the services' own systems, sent through the outbox."""

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "api.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from cases.models import CaseEvent
        from workflows.avis.models import AvisEvent

        from .receivers import on_avis_event, on_case_event

        post_save.connect(on_case_event, sender=CaseEvent, dispatch_uid="webhooks_case_event")
        post_save.connect(on_avis_event, sender=AvisEvent, dispatch_uid="webhooks_avis_event")
