"""Forms of the démarche administration. The settings form validates through the model
(``Procedure.clean``); dates are whole days in ``<input type="date">`` (ISO values)."""

from datetime import datetime, time

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import email_texts
from cases.models import Procedure, Service
from identity.widgets import DateInput

from .services import MAX_IMPORT_BYTES, SETTINGS_FIELDS


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class SettingsForm(forms.ModelForm):
    opens_at = forms.DateField(
        label=_("Ouverte à partir du"),
        required=False,
        widget=DateInput,
        help_text=_("Laissez vide pour une démarche ouverte dès maintenant."),
    )
    closes_at = forms.DateField(
        label=_("Fermée à partir du"),
        required=False,
        widget=DateInput,
        help_text=_("Laissez vide pour ne pas prévoir de fermeture."),
    )

    class Meta:
        model = Procedure
        fields = list(SETTINGS_FIELDS)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            # The démarche's own service, or one of another démarche the user administers.
            self.fields["service"].queryset = Service.objects.filter(
                Q(pk__in=services.values("pk")) | Q(pk=self.instance.service_id)
            ).order_by("name")
        for name in ("opens_at", "closes_at"):
            value = getattr(self.instance, name)
            self.initial[name] = timezone.localdate(value) if value else None

    def clean_opens_at(self):
        return _start_of_day(self.cleaned_data["opens_at"])

    def clean_closes_at(self):
        return _start_of_day(self.cleaned_data["closes_at"])


class NewProcedureForm(forms.Form):
    """The title and identifier of a démarche about to be created (copy or import)."""

    title = forms.CharField(label=_("Titre de la nouvelle démarche"), max_length=200)
    slug = forms.SlugField(
        label=_("Identifiant"),
        max_length=50,
        help_text=_("Lettres minuscules, chiffres et tirets. Il apparaît dans l'adresse."),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Procedure.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Une démarche utilise déjà cet identifiant."))
        return slug


class ImportForm(NewProcedureForm):
    file = forms.FileField(
        label=_("Fichier d'export"),
        help_text=_("Un fichier JSON exporté depuis Guichet, 1 Mo au plus."),
    )
    service = forms.ModelChoiceField(
        label=_("Service instructeur"), queryset=Service.objects.none()
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 1 Mo."))
        return upload


class CreateProcedureForm(NewProcedureForm):
    """A démarche from scratch (ADR 0021): its form starts with one question."""

    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques phrases pour l'usager : à qui s'adresse la démarche, et pour quoi."),
    )
    service = forms.ModelChoiceField(
        label=_("Service instructeur"),
        queryset=Service.objects.none(),
        help_text=_("Ses instructeurs traiteront les demandes."),
    )
    account_required = forms.BooleanField(
        label=_("Compte obligatoire"),
        required=False,
        initial=True,
        help_text=_("Décochez pour permettre de déposer une demande sans compte."),
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Titre de la démarche")
        if services is not None:
            self.fields["service"].queryset = services


class EmailForm(forms.Form):
    """One person, by email (an instructor to invite, an administrator to add)."""

    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Nom du service"), max_length=200)
    slug = forms.SlugField(
        label=_("Identifiant du service"),
        max_length=50,
        help_text=_("Lettres minuscules, chiffres et tirets."),
    )
    contact_email = forms.EmailField(
        label=_("Adresse de contact"),
        required=False,
        help_text=_("Facultatif. L'adresse où l'usager peut écrire au service."),
    )
    attach = forms.BooleanField(
        label=_("Confier cette démarche au nouveau service dès maintenant"),
        required=False,
        help_text=_(
            "Ses demandes, y compris celles en cours, passeront dans la file du nouveau "
            "service : invitez ensuite ses instructeurs sur cette page. Sinon, le service "
            "vous sera proposé dans les paramètres de la démarche."
        ),
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Service.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Un service utilise déjà cet identifiant."))
        return slug


class EmailTextsForm(forms.Form):
    """One text per email of ``email_texts.EVENTS``, each validated on its own (variables,
    braces, length); an empty one keeps the standard email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (name, _when) in email_texts.EVENTS.items():
            self.fields[key] = forms.CharField(
                label=_("Texte ajouté au courriel « %(name)s »") % {"name": name},
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def _clean_text(self, key):
        text = email_texts.normalise(self.cleaned_data[key])
        problems = email_texts.errors(text)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean(self):
        for key in email_texts.EVENTS:
            if key in self.cleaned_data:
                try:
                    self.cleaned_data[key] = self._clean_text(key)
                except forms.ValidationError as error:
                    self.add_error(key, error)
        return self.cleaned_data

    def texts(self) -> dict[str, str]:
        """The non-empty texts, as ``Procedure.email_texts`` keeps them."""
        return {key: self.cleaned_data[key] for key in email_texts.EVENTS if self.cleaned_data[key]}


class RoutingRuleForm(forms.Form):
    """A new routing rule: one answer of a choice field of the published version (both
    offered in one list grouped by question: nothing to type) and the service."""

    answer = forms.ChoiceField(
        label=_("Quand la réponse est"),
        help_text=_("Les questions à choix de la version en ligne du formulaire."),
    )
    service = forms.ModelChoiceField(
        label=_("Envoyer la demande au service"), queryset=Service.objects.none()
    )

    SEPARATOR = ":"  # field names never hold one (formdef's names are [a-z0-9_])

    def __init__(self, *args, fields=(), services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].choices = [("", "—")] + [
            (spec.label, [(f"{spec.name}{self.SEPARATOR}{value}", value) for value in values])
            for spec, values in fields
        ]
        if services is not None:
            self.fields["service"].queryset = services

    def clean_answer(self):
        field_name, _sep, value = self.cleaned_data["answer"].partition(self.SEPARATOR)
        return field_name, value
