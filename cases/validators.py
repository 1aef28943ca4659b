"""Checksums for identifiers people type: SIRET (Luhn, with La Poste's exception), IBAN."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LA_POSTE_SIREN = "356000000"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    return re.sub(r"[\s.]", "", value or "")


def validate_siret(value: str) -> None:
    siret = normalise_siret(value)
    if not re.fullmatch(r"\d{14}", siret):
        raise ValidationError(
            _("Le numéro SIRET compte 14 chiffres. Vérifiez-le sur un document de l'entreprise."),
            code="siret_format",
        )
    la_poste = siret.startswith(_LA_POSTE_SIREN) and sum(map(int, siret)) % 5 == 0
    if not (_luhn_ok(siret) or la_poste):
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : un chiffre est sans doute mal recopié."),
            code="siret_checksum",
        )


def normalise_iban(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_iban(value: str) -> None:
    iban = normalise_iban(value)
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        raise ValidationError(
            _("Un IBAN commence par deux lettres (FR pour la France) suivies de chiffres."),
            code="iban_format",
        )
    rearranged = iban[4:] + iban[:4]
    if int("".join(str(int(c, 36)) for c in rearranged)) % 97 != 1:
        raise ValidationError(
            _("Cet IBAN n'est pas valide : un caractère est sans doute mal recopié."),
            code="iban_checksum",
        )
