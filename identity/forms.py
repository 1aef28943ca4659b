"""Forms of the account pages. allauth's forms get our extra fields and ALTCHA."""

import phonenumbers
from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, AltchaWidget

from .models import Profile, TermsVersion, User
from .selectors import terms_current
from .services import password_reset_sms_send, user_signup_complete
from .services.accounts import deleted_email_blocked
from .widgets import DateInput


class FreshAltchaWidget(AltchaWidget):
    """Never echo a submitted payload: each challenge is single-use, a new one is solved."""

    def format_value(self, value):
        return None


class GuichetAltchaField(AltchaField):
    widget = FreshAltchaWidget


def altcha_field() -> AltchaField:
    return GuichetAltchaField(
        label=_("Vérification anti-robot"),
        maxnumber=settings.ALTCHA_MAX_NUMBER,
        hidelogo=True,
        hidefooter=True,
        language="fr",
    )


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Identifiant (adresse électronique)")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.fields["altcha"] = altcha_field()


def _password_fields_plain(form) -> None:
    """No placeholders (the labels say it), and no validator help text under the new
    password: the rules list shown with it (identity/includes/password_rules.html) says the
    same, and ticks each rule as the person types."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
    form.fields["password1"].help_text = ""


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _password_fields_plain(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _password_fields_plain(self)


class SignupForm(allauth_forms.SignupForm):
    terms = forms.BooleanField(required=True)
    newsletter = forms.BooleanField(
        label=_("Je souhaite recevoir la lettre d'information."), required=False
    )
    alerts = forms.BooleanField(
        label=_("Je souhaite recevoir des alertes personnalisées sur mes démarches."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_terms: TermsVersion | None = terms_current()
        labels = {
            "email": _("Adresse électronique"),
            "email2": _("Confirmez l'adresse électronique"),
            "password1": _("Mot de passe"),
            "password2": _("Confirmez le mot de passe"),
        }
        for name, label in labels.items():
            self.fields[name].label = label
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["password1"].help_text = ""
        url = self.current_terms.url if self.current_terms else "/cgu/"
        self.fields["terms"].label = format_html(
            '{}&nbsp;<a href="{}" target="_blank" rel="noopener">{}</a>',
            _("J'accepte les"),
            url,
            _("conditions générales d'utilisation (nouvelle fenêtre)"),
        )
        self.fields["terms"].error_messages["required"] = _(
            "Acceptez les conditions générales d'utilisation pour créer votre compte."
        )
        self.fields["altcha"] = altcha_field()
        self.order_fields(
            ["email", "email2", "password1", "password2", "terms", "newsletter", "alerts"]
        )

    def clean_email(self):
        email = super().clean_email()
        if email and deleted_email_blocked(email):
            raise forms.ValidationError(
                _(
                    "Un compte avec cette adresse a été supprimé il y a moins d'un an. "
                    "Vous ne pouvez pas encore créer un nouveau compte avec elle. "
                    "Utilisez une autre adresse électronique."
                ),
                code="deleted_recently",
            )
        return email

    def signup(self, request, user):
        user_signup_complete(
            user=user,
            terms=self.current_terms,
            newsletter=self.cleaned_data.get("newsletter", False),
            alerts=self.cleaned_data.get("alerts", False),
        )


def normalise_phone(value: str) -> str:
    """E.164 from what people type (French national formats accepted); "" if invalid."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """Identifier + the email or the verified mobile where the link should go.

    ``self.users`` ends up empty whenever the pair does not match an account, and the page
    that follows is the same in every case.
    """

    contact = forms.CharField(
        label=_("Adresse électronique ou numéro de mobile"),
        help_text=_("Le lien vous sera envoyé à cette adresse ou par SMS à ce numéro."),
        max_length=254,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Identifiant (adresse électronique)")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["altcha"] = altcha_field()
        self.channel = ""

    def clean(self):
        cleaned = super().clean()
        contact = (cleaned.get("contact") or "").strip()
        users = [u for u in getattr(self, "users", []) if isinstance(u, User)]
        self.users = []
        if not users or not contact:
            return cleaned
        user = users[0]
        if "@" in contact:
            if contact.lower() == user.email.lower():
                self.users, self.channel = [user], "email"
        elif user.verified_phone and normalise_phone(contact) == user.verified_phone:
            self.users, self.channel = [user], "sms"
        return cleaned

    def save(self, request, **kwargs):
        if self.channel == "sms":
            password_reset_sms_send(user=self.users[0], request=request)
            return self.cleaned_data["email"]
        if self.channel == "email":
            return super().save(request, **kwargs)
        return self.cleaned_data["email"]


class ResendActivationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["altcha"] = altcha_field()


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code de connexion"),
        help_text=_("6 chiffres, ou un code de secours (par exemple ABCDE-FGHJK)."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class TotpConfirmForm(forms.Form):
    code = forms.RegexField(
        label=_("Code à 6 chiffres affiché par l'application"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Saisissez les 6 chiffres affichés.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Numéro de téléphone mobile"),
        help_text=_("Par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    phone2 = forms.CharField(
        label=_("Confirmez le numéro de téléphone mobile"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    no_mobile = forms.BooleanField(
        label=_("Je n'ai pas de téléphone mobile ou je ne souhaite pas le donner."),
        help_text=_("Les codes de connexion vous seront alors envoyés par courriel."),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_mobile"):
            return cleaned
        phone = normalise_phone(cleaned.get("phone") or "")
        if not phone:
            self.add_error("phone", _("Saisissez un numéro de mobile valide."))
            return cleaned
        if normalise_phone(cleaned.get("phone2") or "") != phone:
            self.add_error("phone2", _("Saisissez le même numéro deux fois."))
        cleaned["phone"] = phone
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "civility",
            "birth_name",
            "usage_name",
            "given_names",
            "birth_date",
            "birth_place",
            "birth_country",
            "family_situation",
            "landline",
            "address_line",
            "address_complement",
            "postcode",
            "city",
            "country",
            "secondary_address_line",
            "secondary_postcode",
            "secondary_city",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.identity_locked:
            for name in [
                "civility",
                "birth_name",
                "given_names",
                "birth_date",
                "birth_place",
                "birth_country",
            ]:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Donnée transmise par FranceConnect.")


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes informations seront supprimés."),
        required=True,
    )
