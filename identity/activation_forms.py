"""Forms of the activation of a pre-registered person (ADR 0311): the facts (step 1), the
address and password (step 2), and the administrator's import file."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .forms import AntiRobotMixin
from .models import PreregisteredPerson, User
from .preregistered import REFERENCE, reference_normalise
from .widgets import DateInput


def fact_label() -> str:
    """The name of the extra fact, set per site (``GUICHET_PREREGISTERED_FACT_LABEL``)."""
    return settings.GUICHET_PREREGISTERED_FACT_LABEL or str(_("Centre de votre première visite"))


class FactsForm(AntiRobotMixin, forms.Form):
    """Step 1. Format errors are shown per field; wrong facts get one message for the
    whole form, written by the view."""

    antirobot_flow = "preregistered"
    reference = forms.CharField(
        label=_("Numéro de référence"),
        help_text=_("Les 8 chiffres indiqués sur le courrier que vous avez reçu."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        widget=DateInput(attrs={"autocomplete": "bday"}),
        error_messages={"invalid": _("Saisissez une date de naissance valide.")},
    )
    sex = forms.ChoiceField(
        label=_("Sexe"), choices=PreregisteredPerson.Sex.choices, widget=forms.RadioSelect
    )
    extra_fact = forms.CharField(
        max_length=200,
        help_text=_("Écrivez-le comme sur votre courrier. Majuscules et accents ne comptent pas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_fact"].label = fact_label()
        self.antirobot_init(request)

    def clean_reference(self):
        reference = reference_normalise(self.cleaned_data["reference"])
        if not REFERENCE.match(reference):
            raise ValidationError(
                _("Saisissez les 8 chiffres de votre numéro de référence."), code="format"
            )
        return reference

    def clean(self):
        cleaned = super().clean()
        if not self._errors:
            self.antirobot_check(cleaned.get("reference") or "")
        return cleaned


class CredentialsForm(forms.Form):
    """Step 2: the address (twice) and the password (twice, the project's rules)."""

    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_(
            "Le lien d'activation y sera envoyé. Elle vous servira aussi à vous connecter."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email2 = forms.EmailField(
        label=_("Confirmez l'adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        email, email2 = cleaned.get("email"), cleaned.get("email2")
        if email and email2 and email.lower() != email2.lower():
            self.add_error("email2", _("Saisissez la même adresse électronique deux fois."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1:
            try:
                password_validation.validate_password(password1, User(email=email or ""))
            except ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Saisissez le même mot de passe deux fois."))
        return cleaned
