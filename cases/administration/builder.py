"""The form builder's writes (ADR 0024): each change to a démarche's draft form
(``Procedure.definition``) locks the démarche, applies the change to a copy, validates the
whole copy with ``formdef.parse`` and only then saves it, recording a ``FORM_CHANGED``
entry in the same transaction. A refused change raises ``ValidationError`` with French
messages naming the fields, and changes nothing."""

import copy
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import formdef
from cases.models import Procedure, ProcedureChange
from identity.models import User

from .services import _record

# The keys of an item the builder edits; any other key of an item is kept as it is.
EDITABLE_KEYS = (
    "name",
    "label",
    "help_text",
    "required",
    "choices",
    "document_types",
    "max_files",
    "allow_later",
    "show_if",
)
# Keys each type may carry (beyond name, type and label).
TYPE_KEYS = {
    "section": ("help_text", "show_if"),
    "file": ("help_text", "required", "document_types", "max_files", "allow_later", "show_if"),
    "choice": ("help_text", "required", "choices", "show_if"),
    "multiple_choice": ("help_text", "required", "choices", "show_if"),
}
DEFAULT_KEYS = ("help_text", "required", "show_if")
# A new choice field needs two choices to be valid: these stand in until edited.
PLACEHOLDER_CHOICES = ("Premier choix", "Second choix")
# Where a new item goes: ``AT_START``, after an item's name, or at the end (None).
AT_START = "-"


def keys_of(kind: str) -> tuple[str, ...]:
    return TYPE_KEYS.get(kind, DEFAULT_KEYS)


def _label(item: dict) -> str:
    return str(item.get("label") or item.get("name") or "")


def _index(definition: list, name: str) -> int:
    for index, item in enumerate(definition):
        if isinstance(item, dict) and item.get("name") == name:
            return index
    raise ValidationError(_("Ce champ n'existe plus dans le formulaire."))


def name_from_label(label: str, taken) -> str:
    """A technical name from a label: "Avez-vous des enfants ?" → ``avez_vous_des_enfants``,
    then ``_2``, ``_3``… when taken; always matches formdef's rule."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"champ_{base}".rstrip("_")
    base = base[:45].rstrip("_")
    name, number = base, 2
    while name in taken:
        name = f"{base}_{number}"
        number += 1
    return name


def dependants(definition: list, name: str) -> list[dict]:
    """The items whose condition refers to ``name``."""
    return [
        item
        for item in definition
        if isinstance(item, dict)
        and isinstance(item.get("show_if"), dict)
        and item["show_if"].get("field") == name
    ]


def _order_errors(definition: list) -> list[str]:
    """Conditions placed before the field they refer to, named in words."""
    positions = {
        item.get("name"): index for index, item in enumerate(definition) if isinstance(item, dict)
    }
    errors = []
    for index, item in enumerate(definition):
        show_if = item.get("show_if") if isinstance(item, dict) else None
        if not isinstance(show_if, dict):
            continue
        target = show_if.get("field")
        if target in positions and positions[target] >= index and target != item.get("name"):
            errors.append(
                _(
                    "« %(item)s » dépend de la réponse à « %(target)s » : il doit rester "
                    "placé après lui."
                )
                % {"item": _label(item), "target": _label(definition[positions[target]])}
            )
    return errors


def _save(procedure_id: int, user: User, change, details: dict) -> Procedure:
    """Lock the démarche, apply ``change`` to a copy of its draft, validate the whole
    draft, save it and record ``details``. ``change(definition)`` edits the copy in place
    and may fill ``details`` further."""
    with transaction.atomic():
        procedure = Procedure.objects.select_for_update().get(pk=procedure_id)
        definition = copy.deepcopy(procedure.definition)
        change(definition)
        if definition == procedure.definition:
            return procedure  # nothing changed: nothing to record
        formdef.parse(definition)
        procedure.definition = definition
        procedure.save(update_fields=["definition"])
        _record(procedure, user, ProcedureChange.Action.FORM_CHANGED, details)
    return procedure


def definition_add(
    *, procedure: Procedure, user: User, kind: str, label: str, after: str | None = None
) -> dict:
    """Add an item of type ``kind`` (at the end, at the start with ``AT_START``, or after
    the item named ``after``); its name comes from its label. Return the new item."""
    if kind not in formdef.TYPES:
        raise ValidationError(_("Ce type de champ n'existe pas."))
    label = label.strip()
    item = {"name": "", "type": kind, "label": label}
    if kind != "section":
        item["required"] = False
    if kind in ("choice", "multiple_choice"):
        item["choices"] = list(PLACEHOLDER_CHOICES)
    if kind == "file":
        item.update(document_types=[], max_files=1, allow_later=False)
    details = {"operation": "added", "type": kind, "label": label}

    def change(definition):
        item["name"] = details["field"] = name_from_label(
            label, {i.get("name") for i in definition if isinstance(i, dict)}
        )
        if after == AT_START:
            position = 0
        elif after:
            position = _index(definition, after) + 1
        else:
            position = len(definition)
        definition.insert(position, item)
        details["position"] = position + 1

    _save(procedure.pk, user, change, details)
    return item


def definition_update(*, procedure: Procedure, user: User, name: str, values: dict) -> dict:
    """Set the editable keys in ``values`` on the item named ``name`` (an empty or None
    value removes an optional key). A new name is carried to the conditions that refer to
    the item. Return the updated item."""
    details = {"operation": "changed", "field": name}
    updated = {}

    def change(definition):
        item = definition[_index(definition, name)]
        before = dict(item)
        allowed = ("name", "label", *keys_of(item["type"]))
        for key, value in values.items():
            if key not in allowed:
                continue
            if value in (None, "", [], False) and key not in ("name", "label", "required"):
                item.pop(key, None)
            else:
                item[key] = value
        if "choices" in before:
            _check_answers_kept(definition, item, name)
        new_name = item["name"]
        if new_name != name:
            for dependant in dependants(definition, name):
                dependant["show_if"] = {**dependant["show_if"], "field": new_name}
            details["renamed_to"] = new_name
        changed = sorted(k for k in before.keys() | item.keys() if before.get(k) != item.get(k))
        details.update(label=_label(item), keys=changed)
        updated.update(item)

    if values:
        _save(procedure.pk, user, change, details)
    return updated


def _check_answers_kept(definition: list, item: dict, name: str) -> None:
    """Refuse to drop a choice that a condition uses, naming the condition's item."""
    for dependant in dependants(definition, name):
        value = dependant["show_if"].get("value")
        if value not in item.get("choices", []):
            raise ValidationError(
                _(
                    "« %(label)s » doit garder le choix « %(value)s » : la condition de "
                    "« %(other)s » l'utilise. Modifiez d'abord cette condition."
                )
                % {"label": _label(item), "value": value, "other": _label(dependant)}
            )


def definition_move(*, procedure: Procedure, user: User, name: str, up: bool) -> int:
    """Move the item one place up or down; return its new position (from 1). A field
    cannot go above the field its condition refers to, nor below a field whose condition
    refers to it."""
    details = {"operation": "moved", "field": name, "direction": "up" if up else "down"}

    def change(definition):
        index = _index(definition, name)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(definition):
            message = (
                _("« %(label)s » est déjà en premier.")
                if up
                else _("« %(label)s » est déjà en dernier.")
            )
            raise ValidationError(message % {"label": _label(definition[index])})
        definition[index], definition[other] = definition[other], definition[index]
        errors = _order_errors(definition)
        if errors:
            raise ValidationError(errors)
        details.update(label=_label(definition[other]), position=other + 1)

    _save(procedure.pk, user, change, details)
    return details["position"]


def definition_remove(*, procedure: Procedure, user: User, name: str) -> dict:
    """Remove an item no condition refers to; return it."""
    details = {"operation": "removed", "field": name}
    removed = {}

    def change(definition):
        index = _index(definition, name)
        item = definition[index]
        using = dependants(definition, name)
        if using:
            raise ValidationError(
                _(
                    "« %(label)s » ne peut pas être supprimé : la condition de %(others)s "
                    "en dépend. Modifiez d'abord cette condition."
                )
                % {
                    "label": _label(item),
                    "others": ", ".join(f"« {_label(other)} »" for other in using),
                }
            )
        del definition[index]
        details.update(label=_label(item), type=item.get("type"))
        removed.update(item)

    _save(procedure.pk, user, change, details)
    return removed


def definition_reset(*, procedure: Procedure, user: User) -> None:
    """Drop the draft's changes: the draft becomes the published version again."""
    version = procedure.current_version
    if version is None:
        raise ValidationError(_("Aucune version n'est publiée : rien à rétablir."))

    def change(definition):
        definition[:] = copy.deepcopy(version.definition)

    _save(procedure.pk, user, change, {"operation": "reset", "version": version.number})


def has_unpublished_changes(procedure: Procedure) -> bool:
    version = procedure.current_version
    return version is None or version.definition != procedure.definition
