from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from identity.forms import EmailAntiRobotMixin

from . import numbers


class CaseNumberField(forms.CharField):
    """Accepts ``k7qx m3pa 9r`` as well as ``K7QX-M3PA-9R``; the check symbol catches typos
    before any database lookup."""

    def to_python(self, value):
        return numbers.normalise(super().to_python(value) or "")

    def validate(self, value):
        super().validate(value)
        if value and not numbers.is_valid(value):
            raise ValidationError(
                _(
                    "Ce numéro contient une faute de frappe. Recopiez-le depuis le courriel "
                    "de confirmation (format : K7QX-M3PA-9R)."
                ),
                code="typo",
            )


class TrackingForm(EmailAntiRobotMixin, forms.Form):
    """Email + case number; an ALTCHA check too when the risk calls for it (after a few
    misses from this IP or with this address: identity.antirobot)."""

    antirobot_flow = "tracking"

    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Celle que vous avez donnée en déposant la demande."),
    )
    number = CaseNumberField(
        label=_("Numéro de la demande"), help_text=_("Exemple : K7QX-M3PA-9R"), max_length=20
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        help_text=_("Nous y enverrons un code à 6 chiffres, puis le suivi de votre demande."),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        label=_("Code reçu par courriel"),
        help_text=_("6 chiffres, valable 10 minutes."),
        error_messages={"invalid": _("Le code compte 6 chiffres.")},
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
