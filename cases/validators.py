"""Checksums for identifiers people type: IBAN here; SIRET lives with the organisations
(``identity.validators``) and is re-exported for the démarche forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from identity.validators import normalise_siret, validate_siret

__all__ = ["normalise_iban", "normalise_siret", "validate_iban", "validate_siret"]


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
