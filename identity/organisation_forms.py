"""Forms of the organisation pages: adding an association, claiming a pre-registered
organisation, inviting and managing members, linking OTP cards, a first connection."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import normalise_phone
from .models import Membership, Space
from .selectors import terms_current
from .validators import normalise_rna, normalise_siret, validate_rna, validate_siret

ROLE_CHOICES = [(role.value, role.label) for role in Membership.ORGANISATION_ROLES]


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'association ou de l'organisation"), max_length=200)
    organisation_kind = forms.ChoiceField(
        label=_("Nature"),
        choices=Space.OrganisationKind.choices,
        initial=Space.OrganisationKind.ASSOCIATION,
        widget=forms.RadioSelect,
    )
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        help_text=_("14 chiffres, si vous le connaissez."),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    rna = forms.CharField(
        label=_("Numéro RNA"),
        help_text=_("Pour une association : W suivi de 9 chiffres, si vous le connaissez."),
        required=False,
        max_length=12,
    )

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data["siret"])
        if siret:
            validate_siret(siret)
        return siret

    def clean_rna(self):
        rna = normalise_rna(self.cleaned_data["rna"])
        if rna:
            validate_rna(rna)
        return rna


class ClaimForm(forms.Form):
    member_number = forms.RegexField(
        label=_("Numéro d'adhérent de l'organisation"),
        help_text=_("6 chiffres, sur les courriers de l'organisme qui vous l'a donné."),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Le numéro d'adhérent compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_member_number(self):
        return self.cleaned_data["member_number"].strip()


class CharterForm(forms.Form):
    """ "J'accepte la charte" when becoming a manager. The versioned charter of the
    organisation's kind will be linked here (terms and charters, issue 13)."""

    charter = forms.BooleanField(
        label=_(
            "J'accepte la charte des gestionnaires : je n'invite que des personnes de "
            "l'organisation et je retire celles qui la quittent."
        ),
        error_messages={"required": _("Acceptez la charte pour devenir gestionnaire.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne"))
    phone = forms.CharField(
        label=_("Son numéro de téléphone mobile"),
        help_text=_("Elle y recevra un code à sa première connexion. Par exemple 06 12 34 56 78."),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=ROLE_CHOICES,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, space: Space, may_name_managers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        if not may_name_managers:
            self.fields["role"].choices = [
                c for c in ROLE_CHOICES if c[0] != Membership.Role.MANAGER
            ]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if self.space.members.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Cette personne est déjà membre de l'espace."))
        return email

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(_("Saisissez un numéro de mobile valide."))
        return phone


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=ROLE_CHOICES, widget=forms.RadioSelect)


class CardSerialForm(forms.Form):
    serial = forms.CharField(
        label=_("Numéro de série de la carte"),
        help_text=_("Il est imprimé au dos de la carte."),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_serial(self):
        return self.cleaned_data["serial"].strip()


class CardCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code à 6 chiffres affiché par la carte"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Saisissez les 6 chiffres affichés.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class FirstConnectionForm(forms.Form):
    """The SMS code and the new password of an invited person's first connection."""

    code = forms.RegexField(
        label=_("Code reçu par SMS"),
        help_text=_("6 chiffres, valable 10 minutes."),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Le code compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("Choisissez un mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    terms = forms.BooleanField(
        error_messages={
            "required": _("Acceptez les conditions générales d'utilisation pour continuer.")
        }
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = terms_current()
        self.fields["terms"].label = format_html(
            '{}&nbsp;<a href="{}" target="_blank" rel="noopener">{}</a>',
            _("J'accepte les"),
            current.get_absolute_url() if current else reverse("identity:terms"),
            _("conditions générales d'utilisation (nouvelle fenêtre)"),
        )

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Saisissez le même mot de passe deux fois."))
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ImportForm(forms.Form):
    """An administrator's CSV (organisations or OTP cards), pasted: a text field, so the
    request stays under Django's body cap (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and no file
    upload reaches the server outside the upload intake (ADR 0104)."""

    content = forms.CharField(
        label=_("Contenu du fichier CSV"),
        help_text=_("Ouvrez le fichier avec un éditeur de texte, copiez tout et collez-le ici."),
        widget=forms.Textarea(attrs={"rows": 15, "cols": 80, "spellcheck": "false"}),
        strip=False,
    )
