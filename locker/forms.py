from django import forms
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from identity.widgets import DateInput

from .inspection.policy import policy_for
from .models import Document
from .sizes import format_size


def _locker_max() -> str:
    return format_size(policy_for("locker").max_bytes)


# Read at render time: the limit comes from settings, the unit from the active language.
_locker_max_lazy = lazy(_locker_max, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Fichiers"),
        help_text=format_lazy(
            _("PDF, PNG ou JPEG. {max} au maximum par fichier. Plusieurs fichiers possibles."),
            max=_locker_max_lazy(),
        ),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    title = forms.CharField(
        label=_("Nom du document (facultatif)"),
        help_text=_("Sans nom, le document prend le nom du fichier."),
        max_length=200,
        required=False,
    )
    kind = forms.ChoiceField(label=_("Type de document"), choices=Document.Kind.choices)
    expires_on = forms.DateField(
        label=_("Date d'expiration (facultatif)"),
        help_text=_("Nous vous préviendrons par courriel 30 jours avant."),
        required=False,
        widget=DateInput(),
    )


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "expires_on"]
        widgets = {"expires_on": DateInput()}
        help_texts = {
            "expires_on": _("Nous vous préviendrons par courriel 30 jours avant."),
        }


class ReplaceForm(forms.Form):
    file = forms.FileField(
        label=_("Nouveau fichier"),
        help_text=format_lazy(_("PDF, PNG ou JPEG. {max} au maximum."), max=_locker_max_lazy()),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
