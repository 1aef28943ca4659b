from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import transport
from .models import SUBSCRIBABLE


class EventsForm(forms.Form):
    description = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("Pour vous y retrouver, par exemple « Logiciel métier du service »."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements envoyés"),
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un événement.")},
    )


class EndpointForm(EventsForm):
    url = forms.URLField(
        label=_("Adresse de réception"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Une adresse en https, par exemple https://exemple.fr/webhooks/guichet."),
    )
    field_order = ["url", "description", "events"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            transport.url_check(url)
        except transport.RefusedAddressError:
            raise ValidationError(
                _("Indiquez une adresse qui commence par https://."), code="scheme"
            ) from None
        return url
