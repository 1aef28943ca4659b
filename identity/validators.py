"""Checksums of organisation identifiers people type: SIRET (Luhn, with La Poste's
exception) and RNA (the associations' register: W and 9 digits)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN: their SIRET digits add up to a multiple of 5
# instead of passing Luhn.
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


def normalise_rna(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_rna(value: str) -> None:
    if not re.fullmatch(r"W\d{9}", normalise_rna(value)):
        raise ValidationError(
            _("Le numéro RNA commence par W, suivi de 9 chiffres (par exemple W751234567)."),
            code="rna_format",
        )
