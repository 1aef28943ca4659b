"""One French message per refusal reason: what happened, then what to do."""

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from .policy import JPEG, PDF, PNG, Policy

TYPE_LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}

REASONS = (
    "too_large",
    "empty",
    "type_not_allowed",
    "extension_mismatch",
    "pdf_encrypted",
    "pdf_damaged",
    "pdf_too_complex",
    "image_too_large",
    "image_damaged",
    "infected",
    "scan_unavailable",
)


def _megabytes(size: int) -> str:
    # "5 Mo" rather than "5,0 Mio": the unit people read on their own computer.
    value = size / (1024 * 1024)
    return _("%(size)s Mo") % {"size": f"{value:g}".replace(".", get_format("DECIMAL_SEPARATOR"))}


def message_for(reason: str, *, policy: Policy, mime: str | None = None) -> str:
    kind = TYPE_LABELS.get(mime or "", "")
    messages = {
        "too_large": _(
            "Ce fichier dépasse la taille maximale de %(max)s. Réduisez-le (par exemple en "
            "l'enregistrant en qualité plus basse ou en le découpant) puis réessayez."
        )
        % {"max": _megabytes(policy.max_bytes)},
        "empty": _("Ce fichier est vide. Choisissez un autre fichier puis réessayez."),
        "type_not_allowed": _(
            "Ce type de fichier n'est pas accepté. Envoyez un fichier PDF, PNG ou JPEG."
        ),
        "extension_mismatch": _(
            "Le nom de ce fichier ne correspond pas à son contenu (c'est un fichier "
            "%(kind)s). Renommez-le avec l'extension .%(ext)s puis réessayez."
        )
        % {"kind": kind, "ext": "jpg" if mime == JPEG else kind.lower()},
        "pdf_encrypted": _(
            "Ce fichier PDF est protégé par un mot de passe : enregistrez-en une copie sans "
            "mot de passe puis réessayez."
        ),
        "pdf_damaged": _(
            "Ce fichier PDF est abîmé ou incomplet. Ouvrez-le sur votre appareil, "
            "enregistrez-le à nouveau en PDF puis réessayez."
        ),
        "pdf_too_complex": _(
            "Ce fichier PDF est trop complexe pour être vérifié. Imprimez-le en PDF ou "
            "numérisez-le à nouveau, puis réessayez."
        ),
        "image_too_large": _(
            "Cette image a trop de pixels. Réduisez-la (au plus %(side)s pixels de côté et "
            "%(total)s millions de pixels au total) puis réessayez."
        )
        % {
            "side": f"{policy.image_max_side:,}".replace(",", "\u202f"),
            "total": f"{policy.image_max_pixels / 1_000_000:g}".replace(".", ","),
        },
        "image_damaged": _(
            "Cette image est abîmée ou incomplète. Ouvrez-la sur votre appareil, "
            "enregistrez-la à nouveau puis réessayez."
        ),
        "infected": _(
            "Ce fichier contient peut-être un virus. Il n'a pas été enregistré. Vérifiez "
            "votre appareil avec un antivirus puis envoyez un autre fichier."
        ),
        "scan_unavailable": _(
            "Nous ne pouvons pas vérifier ce fichier pour le moment. Réessayez dans "
            "quelques minutes."
        ),
    }
    return messages[reason]


__all__ = ["REASONS", "message_for"]
