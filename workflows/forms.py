from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import staff_status_choices


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Rechercher"),
        required=False,
        help_text=_("Numéro de demande, nom ou adresse électronique de l'usager"),
    )
    procedure = forms.TypedChoiceField(
        label=_("Démarche"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("État"), required=False)
    submitted_from = forms.DateField(
        label=_("Déposée à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=_("Déposée jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    instructor = forms.TypedChoiceField(
        label=_("Instructeur"), required=False, coerce=int, empty_value=None
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("recent", _("Les plus récentes d'abord")),
            ("oldest", _("Les plus anciennes d'abord")),
        ],
    )

    def __init__(self, *args, procedures=(), colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Toutes"))] + [
            (p.pk, p.title) for p in procedures
        ]
        self.fields["status"].choices = [("", _("Tous")), *staff_status_choices()]
        self.fields["instructor"].choices = [("", _("Tous"))] + [
            (u.pk, u.get_full_name() or u.email) for u in colleagues
        ]


class AssignForm(forms.Form):
    to = forms.TypedChoiceField(label=_("Confier à"), coerce=int)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(u.pk, u.get_full_name() or u.email) for u in colleagues]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message à l'usager"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne"),
        help_text=_("Visible seulement par les instructeurs. L'usager ne la voit jamais."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        choices=[
            ("accepted", _("Accepter")),
            ("refused", _("Refuser")),
            ("closed", _("Classer sans suite")),
        ],
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        help_text=_("Obligatoire pour un refus ou un classement. L'usager le lira."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
    )

    generate_letter = forms.BooleanField(
        label=_("Joindre le courrier de décision rédigé à partir du modèle de la démarche"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("refused", "closed") and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif : l'usager doit savoir pourquoi."))
        return data


class PreferencesForm(forms.Form):
    """Which events mail the instructor and how, and their absence (ADR 0407)."""

    new_case = forms.ChoiceField(
        label=_("Une nouvelle demande arrive dans l'un de mes services"),
        widget=forms.RadioSelect,
    )
    reply = forms.ChoiceField(
        label=_("Un usager répond sur une demande que je suis"),
        widget=forms.RadioSelect,
    )
    deadline = forms.ChoiceField(
        label=_("Une demande que je suis sera bientôt décidée implicitement"),
        help_text=_("Décision implicite dans moins de 7 jours."),
        widget=forms.RadioSelect,
    )
    paused_until = forms.DateField(
        label=_("Je suis absent jusqu'au (inclus)"),
        help_text=_(
            "Pendant votre absence, vous ne recevez aucun message et vos dossiers sont confiés "
            "au collègue choisi. Laissez vide si vous êtes présent."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    delegate = forms.TypedChoiceField(
        label=_("Collègue qui reprend mes dossiers"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        from .models import InstructorPreferences

        super().__init__(*args, **kwargs)
        for name in InstructorPreferences.EVENTS:
            self.fields[name].choices = InstructorPreferences.Frequency.choices
        self.fields["delegate"].choices = [("", _("Personne"))] + [
            (u.pk, u.get_full_name() or u.email) for u in colleagues
        ]

    def clean(self):
        data = super().clean()
        if data.get("delegate") and not data.get("paused_until"):
            self.add_error("paused_until", _("Indiquez jusqu'à quand vous êtes absent."))
        return data
