"""The filing form laid out as the definition orders it: sections with their fields, file
fields in place, and each conditional block marked for ``conditions.js`` (ADR 0020).

Shared by the applicant's form and the administrator's preview, so both show the same."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from cases import formdef


@dataclass
class Item:
    spec: formdef.FieldSpec
    fields: list = field(default_factory=list)  # bound fields (an address has three)
    files: list = field(default_factory=list)
    later_field: forms.BoundField | None = None
    condition_hint: str = ""


@dataclass
class Block:
    section: formdef.SectionSpec | None
    condition_hint: str = ""
    items: list[Item] = field(default_factory=list)


def _hint(condition: formdef.Condition | None, specs: dict) -> str:
    """ "Only if you answered « Oui » to « … »": what a reader without JavaScript needs."""
    if condition is None:
        return ""
    reference = specs[condition.field]
    value = formdef.display_value(reference, {reference.name: condition.value})
    return _("Seulement si vous avez répondu « %(value)s » à « %(label)s ».") % {
        "value": value,
        "label": reference.label,
    }


def form_blocks(specs: list[formdef.FieldSpec], form: forms.Form, files=None) -> list[Block]:
    """``files`` maps a file field's name to its files already sent."""
    by_name = {spec.name: spec for spec in specs}
    blocks: list[Block] = []
    for spec in specs:
        if not blocks or blocks[-1].section != spec.section:
            hint = _hint(spec.section.show_if, by_name) if spec.section else ""
            blocks.append(Block(section=spec.section, condition_hint=hint))
        item = Item(spec=spec, condition_hint=_hint(spec.show_if, by_name))
        if spec.is_file:
            item.files = (files or {}).get(spec.name, [])
            later = f"{spec.name}__later"
            item.later_field = form[later] if later in form.fields else None
        else:
            names = formdef.form_field_names(spec)
            item.fields = [form[name] for name in names]
        blocks[-1].items.append(item)
    return blocks
