"""Password rules driven by settings (AUTH_PASSWORD_VALIDATORS); each has a help text
listed next to the field; ``password_rules()`` tells the browser meter what to check."""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

CHARACTER_CLASSES = {
    "lower": (r"[a-zà-ÿ]", gettext_lazy("une lettre minuscule")),
    "upper": (r"[A-ZÀ-Þ]", gettext_lazy("une lettre majuscule")),
    "digit": (r"[0-9]", gettext_lazy("un chiffre")),
    "special": (r"[^A-Za-zÀ-ÿ0-9]", gettext_lazy("un caractère spécial (par exemple ! ? - _ @)")),
}


class MaximumLengthValidator:
    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Le mot de passe doit contenir au plus %(n)d caractère.",
                    "Le mot de passe doit contenir au plus %(n)d caractères.",
                    self.max_length,
                )
                % {"n": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Au plus %(n)d caractères.") % {"n": self.max_length}


class CharacterClassValidator:
    """Requires one character of each named class (lower, upper, digit, special)."""

    def __init__(self, classes=("lower", "upper", "digit", "special")):
        unknown = set(classes) - set(CHARACTER_CLASSES)
        if unknown:
            raise ValueError(f"Unknown character classes: {sorted(unknown)}")
        self.classes = list(classes)

    def validate(self, password, user=None):
        missing = [
            str(CHARACTER_CLASSES[name][1])
            for name in self.classes
            if not re.search(CHARACTER_CLASSES[name][0], password)
        ]
        if missing:
            raise ValidationError(
                _("Le mot de passe doit contenir %(missing)s.") % {"missing": ", ".join(missing)},
                code="password_missing_character_class",
            )

    def get_help_text(self):
        return _("Au moins %(classes)s.") % {
            "classes": ", ".join(str(CHARACTER_CLASSES[name][1]) for name in self.classes)
        }


def password_rules() -> list[dict]:
    """The configured rules, one line each, with what the browser meter needs to check them.

    Rules the browser cannot check (common passwords, similarity) have no ``check``: they
    are listed and enforced on the server only.
    """
    rules = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, CharacterClassValidator):
            for name in validator.classes:
                pattern, label = CHARACTER_CLASSES[name]
                rules.append(
                    {
                        "text": _("Au moins %(label)s.") % {"label": label},
                        "check": "re",
                        "param": pattern,
                    }
                )
        elif isinstance(validator, password_validation.MinimumLengthValidator):
            rules.append(
                {
                    "text": _("Au moins %(n)d caractères.") % {"n": validator.min_length},
                    "check": "min",
                    "param": validator.min_length,
                }
            )
        elif isinstance(validator, MaximumLengthValidator):
            rules.append(
                {"text": validator.get_help_text(), "check": "max", "param": validator.max_length}
            )
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append({"text": _("Pas un mot de passe courant."), "check": "", "param": ""})
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            rules.append(
                {
                    "text": _("Pas trop proche de votre adresse électronique ou de votre nom."),
                    "check": "",
                    "param": "",
                }
            )
    return rules
