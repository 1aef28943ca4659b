"""Forms of the account pages. allauth's forms get our extra fields, and ALTCHA when the
risk calls for it (identity.antirobot)."""

import phonenumbers
from allauth.account import forms as allauth_forms
from allauth.core import context
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, AltchaWidget

from . import antirobot
from .models import Profile, TermsVersion, User
from .preregistered import REFERENCE, reference_normalise
from .selectors import terms_current
from .services import password_reset_sms_send, user_signup_complete
from .services.accounts import deleted_email_blocked_until
from .widgets import DateInput


class FreshAltchaWidget(AltchaWidget):
    """Never echo a submitted payload: each challenge is single-use, a new one is solved."""

    def format_value(self, value):
        return None


class GuichetAltchaField(AltchaField):
    widget = FreshAltchaWidget


ALTCHA_ERRORS = {
    "required": _(
        "Cochez la case « Je ne suis pas un robot » et attendez la fin de la vérification, "
        "puis envoyez le formulaire."
    ),
    "invalid": _("La vérification anti-robot n'a pas abouti. Cochez à nouveau la case."),
    "error": _("La vérification anti-robot n'a pas abouti. Cochez à nouveau la case."),
    "replay": _("La vérification anti-robot a déjà servi. Cochez à nouveau la case."),
}


def altcha_field() -> AltchaField:
    return GuichetAltchaField(
        label=_("Vérification anti-robot"),
        maxnumber=settings.ALTCHA_MAX_NUMBER,
        hidelogo=True,
        hidefooter=True,
        language="fr",
        error_messages=ALTCHA_ERRORS,
    )


class AntiRobotMixin:
    """ALTCHA only when ``identity.antirobot`` says so for this form's flow.

    The field is there from the start when the IP (or site-wide) signal is up; when only
    the address typed is at risk, ``antirobot_check`` adds it on submission and asks the
    person to solve it, without doing anything else.
    """

    antirobot_flow = ""

    def antirobot_init(self, request) -> None:
        self.antirobot_request = request
        if antirobot.required(request, self.antirobot_flow):
            self.fields["altcha"] = altcha_field()

    def antirobot_check(self, identifier: str) -> None:
        """Called from ``clean()``: when the address typed is at risk, a solved challenge is
        needed too; the widget shows from now on and a solved one is checked here."""
        if "altcha" in self.fields:
            return
        if not antirobot.required(self.antirobot_request, self.antirobot_flow, identifier):
            return
        field = self.fields["altcha"] = altcha_field()
        if self.data.get(self.add_prefix("altcha")):
            field.clean(self.data[self.add_prefix("altcha")])  # raises when not solved
            return
        raise forms.ValidationError(
            _(
                "Par sécurité, une vérification anti-robot est demandée. "
                "Cochez la case « Je ne suis pas un robot » en bas du formulaire, "
                "puis envoyez-le à nouveau."
            ),
            code="altcha_required",
        )

    def antirobot_record(self, identifier: str = "") -> None:
        antirobot.record(self.antirobot_request, self.antirobot_flow, identifier)


class EmailAntiRobotMixin(AntiRobotMixin):
    """A plain form of ours, built with ``request=``, whose risk is counted per ``email``."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.antirobot_init(request)

    def clean(self):
        cleaned = super().clean()
        if not self._errors:
            self.antirobot_check(cleaned.get("email") or "")
        return cleaned


class LoginForm(AntiRobotMixin, allauth_forms.LoginForm):
    """The identifier is an email, or the 8-digit reference of a pre-registered person
    (``identity.backends.ReferenceBackend``, ADR 0311)."""

    antirobot_flow = "login"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("Identifiant (adresse électronique)"),
            help_text=_(
                "Ou votre numéro de référence à 8 chiffres, si le service vous en a donné un."
            ),
            max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username"}),
        )
        self.order_fields(["login", "password"])
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        self.antirobot_init(self.request or context.request)

    def clean_login(self):
        login = super().clean_login()
        if REFERENCE.match(reference_normalise(login)):
            return reference_normalise(login)
        try:
            validate_email(login)
        except ValidationError:
            raise ValidationError(
                _("Saisissez une adresse électronique ou un numéro de référence à 8 chiffres."),
                code="invalid",
            ) from None
        return login

    def user_credentials(self) -> dict:
        login = self.cleaned_data["login"]
        if REFERENCE.match(login):
            return {"reference": login, "password": self.cleaned_data.get("password", "")}
        return super().user_credentials()

    def clean(self):
        # Before allauth's clean, which tries the password.
        if not self._errors:
            self.antirobot_check(self.cleaned_data.get("login") or "")
        return super().clean()


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


class SignupForm(AntiRobotMixin, allauth_forms.SignupForm):
    antirobot_flow = "signup"
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
        url = (
            self.current_terms.get_absolute_url()
            if self.current_terms
            else reverse("identity:terms")
        )
        self.fields["terms"].label = format_html(
            '{}&nbsp;<a href="{}" target="_blank" rel="noopener">{}</a>',
            _("J'accepte les"),
            url,
            _("conditions générales d'utilisation (nouvelle fenêtre)"),
        )
        self.fields["terms"].error_messages["required"] = _(
            "Acceptez les conditions générales d'utilisation pour créer votre compte."
        )
        self.antirobot_init(context.request)
        self.order_fields(
            ["email", "email2", "password1", "password2", "terms", "newsletter", "alerts"]
        )

    def clean_email(self):
        """An address whose account was deleted less than a year ago gets the same answer
        as any address: no account is created and the explanation goes by email to it
        (``AccountAdapter.send_account_already_exists_mail``)."""
        email = super().clean_email()
        if email and deleted_email_blocked_until(email):
            self.account_already_exists = True
        return email

    def try_save(self, request):
        """Every sign-up that passes the form counts towards a burst (new account or not)."""
        self.antirobot_record()
        return super().try_save(request)

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


class ResetPasswordForm(AntiRobotMixin, allauth_forms.ResetPasswordForm):
    """Identifier + the email or the verified mobile where the link should go.

    ``self.users`` ends up empty whenever the pair does not match an account, and the page
    that follows is the same in every case.
    """

    antirobot_flow = "reset"
    contact = forms.CharField(
        label=_("Adresse électronique ou numéro de mobile"),
        help_text=_("Le lien vous sera envoyé à cette adresse ou par SMS à ce numéro."),
        max_length=254,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Identifiant (adresse électronique)")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.antirobot_init(context.request)
        self.channel = ""

    def clean(self):
        cleaned = super().clean()
        if not self._errors:
            self.antirobot_check(cleaned.get("email") or "")
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
        self.antirobot_record(self.cleaned_data["email"])
        if self.channel == "sms":
            password_reset_sms_send(user=self.users[0], request=request)
            return self.cleaned_data["email"]
        if self.channel == "email":
            return super().save(request, **kwargs)
        return self.cleaned_data["email"]


class ResendActivationForm(EmailAntiRobotMixin, forms.Form):
    antirobot_flow = "activation"
    email = forms.EmailField(label=_("Adresse électronique"))


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
            for name in Profile.IDENTITY_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Donnée transmise par FranceConnect.")


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte et mes informations seront supprimés."),
        required=True,
    )
