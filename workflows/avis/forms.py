from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.organisation_forms import FirstConnectionForm

from .models import Avis


class AvisRequestForm(forms.Form):
    """The instructor's request: who, what, by when, and which files of the demande."""

    email = forms.EmailField(
        label=_("Adresse électronique de l'expert"),
        help_text=_("L'expert reçoit un lien par courriel. Il n'a pas besoin d'un compte."),
    )
    question = forms.CharField(
        label=_("Question posée à l'expert"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
    )
    yes_no = forms.BooleanField(
        label=_("L'expert répond par oui ou par non (et peut préciser)"), required=False
    )
    confidential = forms.BooleanField(
        label=_("Avis confidentiel"),
        help_text=_("L'usager ne saura pas qu'un avis a été demandé."),
        required=False,
    )
    due_on = forms.DateField(
        label=_("Réponse attendue avant le"), widget=forms.DateInput(attrs={"type": "date"})
    )
    shared_files = forms.TypedMultipleChoiceField(
        label=_("Documents de la demande transmis à l'expert"),
        required=False,
        coerce=str,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_files"].choices = [(str(f.pk), f.name) for f in case_files]
        if not case_files:
            del self.fields["shared_files"]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("La date de réponse est déjà passée."))
        return due_on


class AvisAnswerForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Votre réponse"), choices=Avis.Choice.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Votre avis"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )

    def __init__(self, *args, yes_no=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not yes_no:
            del self.fields["choice"]


class ExpertEnrolForm(FirstConnectionForm):
    """A first connection from the link: a password and the terms (the link proved the
    mailbox; the second factor comes with the usual login that follows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]
