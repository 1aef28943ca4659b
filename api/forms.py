from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour le reconnaître, par exemple le nom du logiciel qui l'utilise."),
    )
    procedures = forms.TypedMultipleChoiceField(
        label=_("Démarches"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    can_instruct = forms.BooleanField(
        label=_("Autoriser l'instruction"),
        required=False,
        help_text=_(
            "Sans cette case, le jeton peut seulement lire. Avec elle, il agit en votre nom : "
            "prendre, confier, demander une information, écrire, décider."
        ),
    )
    expires_on = forms.DateField(
        label=_("Date d'expiration"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Un an au plus."),
    )

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedures"].choices = [(p.pk, p.title) for p in procedures]
        self.initial.setdefault("expires_on", timezone.localdate() + timedelta(days=90))

    def expires_at(self):
        """The end of the chosen day, local time."""
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["expires_on"], time(23, 59, 59))
        )
