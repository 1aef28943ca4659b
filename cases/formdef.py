"""A procedure's form definition: validated when saved, turned into a Django form, and the
answers stored as JSON next to the version they were filed against.

A definition is a list of field objects::

    {"name": "revenus", "type": "number", "label": "Revenus annuels du foyer",
     "help_text": "En euros", "required": true}

``number`` accepts decimals (amounts); ``integer`` only whole numbers from 0 (counts: people,
children). ``choice`` and ``multiple_choice`` take ``"choices": ["…", …]``; ``file`` takes
``"document_types": [...]`` (locker types offered by the picker), ``"max_files": 1..10`` and
``"allow_later": bool`` ("je le fournirai plus tard"). File fields are not in the Django
form: their files are uploaded and inspected one by one (see ``cases.services``).

A ``section`` item is a heading, not a question: it groups the fields after it, up to the
next section. Any field or section may carry ``"show_if": {"field": "…", "value": "…"}``:
it is shown only when an earlier choice, multiple-choice or yes/no field (itself shown) has
that answer. A hidden section hides its fields. References go backwards only, so no cycle
can form; ``visible_names`` evaluates the rules on the server and ``conditions.js`` the same
way in the browser; without JavaScript every field shows (ADR 0020).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from identity.widgets import DateInput
from locker.models import Document

from .validators import normalise_iban, normalise_siret, validate_iban, validate_siret

TYPES = {
    "text": gettext_lazy("Texte court"),
    "long_text": gettext_lazy("Texte long"),
    "number": gettext_lazy("Nombre"),
    "integer": gettext_lazy("Nombre entier"),
    "date": gettext_lazy("Date"),
    "choice": gettext_lazy("Choix unique"),
    "multiple_choice": gettext_lazy("Choix multiple"),
    "yes_no": gettext_lazy("Oui / non"),
    "email": gettext_lazy("Adresse électronique"),
    "phone": gettext_lazy("Téléphone"),
    "address": gettext_lazy("Adresse postale"),
    "siret": gettext_lazy("Numéro SIRET"),
    "iban": gettext_lazy("IBAN"),
    "file": gettext_lazy("Pièce justificative"),
    "section": gettext_lazy("Section (titre et texte)"),
}
# Types a condition may refer to: their possible answers are known.
CONDITION_TYPES = ("choice", "multiple_choice", "yes_no")
YES_NO = ("oui", "non")
# Types whose answers are numbers (typed as numbers in exports).
NUMBER_TYPES = ("number", "integer")
ADDRESS_PARTS = {
    "street": gettext_lazy("Numéro et voie"),
    "postcode": gettext_lazy("Code postal"),
    "city": gettext_lazy("Commune"),
}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass(frozen=True)
class Condition:
    """Shown when the answer to ``field`` is ``value`` (contains it, for a multiple choice)."""

    field: str
    value: str


@dataclass(frozen=True)
class SectionSpec:
    name: str
    label: str
    help_text: str = ""
    show_if: Condition | None = None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    help_text: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    document_types: tuple[str, ...] = ()
    max_files: int = 1
    allow_later: bool = False
    show_if: Condition | None = None
    section: SectionSpec | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_file(self) -> bool:
        return self.type == "file"

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Every condition the field depends on: its section's, then its own."""
        section = self.section.show_if if self.section else None
        return tuple(c for c in (section, self.show_if) if c is not None)


def _condition_errors(item: dict, earlier: dict) -> list[str]:
    """What is wrong with an item's ``show_if``, given the fields placed before it."""
    show_if = item.get("show_if")
    if show_if is None:
        return []
    if not isinstance(show_if, dict) or set(show_if) != {"field", "value"}:
        return [_("la condition doit indiquer un champ et une réponse.")]
    target, value = show_if["field"], show_if["value"]
    if not isinstance(target, str) or not isinstance(value, str):
        return [_("la condition doit indiquer un champ et une réponse.")]
    if target == item.get("name") or target not in earlier:
        return [
            _("la condition porte sur « %(name)s », qui n'est pas un champ placé avant.")
            % {"name": target}
        ]
    reference = earlier[target]
    if reference.type not in CONDITION_TYPES:
        return [
            _("la condition porte sur « %(name)s », qui n'est pas un choix ou un oui / non.")
            % {"name": target}
        ]
    if value not in possible_answers(reference):
        return [
            _("la réponse « %(value)s » n'est pas possible pour « %(name)s ».")
            % {"value": value, "name": target}
        ]
    return []


def _condition(item: dict) -> Condition | None:
    show_if = item.get("show_if")
    return Condition(show_if["field"], show_if["value"]) if show_if else None


def parse(definition) -> list[FieldSpec]:
    """Validate a definition and return its fields (sections are on each field's
    ``section``); raise ValidationError listing every problem."""
    if not isinstance(definition, list) or not definition:
        raise ValidationError(_("Le formulaire doit contenir au moins un champ."))
    errors, specs, seen = [], [], set()
    earlier: dict[str, FieldSpec] = {}
    section = None
    for position, item in enumerate(definition, start=1):
        where = _("Champ %(n)d") % {"n": position}
        if not isinstance(item, dict):
            errors.append(f"{where} : " + _("la description doit être un objet."))
            continue
        problems = _item_errors(item, seen, earlier)
        seen.add(item.get("name"))
        errors.extend(f"{where} : {problem}" for problem in problems)
        if problems:
            continue
        if item["type"] == "section":
            section = SectionSpec(
                name=item["name"],
                label=item["label"].strip(),
                help_text=str(item.get("help_text", "")),
                show_if=_condition(item),
            )
            continue
        spec = FieldSpec(
            name=item["name"],
            type=item["type"],
            label=item["label"].strip(),
            help_text=str(item.get("help_text", "")),
            required=bool(item.get("required", False)),
            choices=tuple(item.get("choices", [])),
            document_types=tuple(item.get("document_types", [])),
            max_files=item.get("max_files", 1),
            allow_later=bool(item.get("allow_later", False)),
            show_if=_condition(item),
            section=section,
        )
        specs.append(spec)
        earlier[spec.name] = spec
    if not errors and not specs:
        errors.append(_("Le formulaire doit contenir au moins un champ."))
    if errors:
        raise ValidationError(errors)
    return specs


def _item_errors(item: dict, seen: set, earlier: dict) -> list[str]:
    """What is wrong with one item of a definition (in French, without its position)."""
    errors = []
    name, kind, label = item.get("name", ""), item.get("type", ""), item.get("label", "")
    if not isinstance(name, str) or not _NAME.match(name):
        errors.append(_("le nom technique doit être en minuscules, sans espace."))
    elif name in seen:
        errors.append(_("le nom « %(name)s » est déjà pris.") % {"name": name})
    if kind not in TYPES:
        errors.append(_("le type « %(type)s » n'existe pas.") % {"type": kind})
    if not isinstance(label, str) or not label.strip():
        errors.append(_("le libellé est obligatoire."))
    errors.extend(_condition_errors(item, earlier))
    choices = item.get("choices", [])
    if kind in ("choice", "multiple_choice") and (
        not isinstance(choices, list)
        or len(choices) < 2
        or not all(isinstance(c, str) and c.strip() for c in choices)
        or len(set(choices)) != len(choices)
    ):
        errors.append(_("il faut au moins deux choix, tous différents."))
    if kind == "file":
        kinds = item.get("document_types", [])
        unknown = set(kinds) - set(Document.Kind.values) if isinstance(kinds, list) else {"?"}
        if unknown:
            errors.append(
                _("types de document inconnus : %(types)s.")
                % {"types": ", ".join(sorted(map(str, unknown)))}
            )
        max_files = item.get("max_files", 1)
        if not (isinstance(max_files, int) and 1 <= max_files <= 10):
            errors.append(_("le nombre de fichiers doit être entre 1 et 10."))
    return errors


def missing_labels(specs: list[FieldSpec], answers: dict, present_files: set[str]) -> list[str]:
    """Labels of the required fields shown but not answered: ``present_files`` names the
    file fields that hold a file; a file "fourni plus tard" counts as answered."""
    missing = []
    for spec in shown(specs, answers):
        if not spec.required:
            continue
        if spec.is_file:
            later = spec.allow_later and answers.get(f"{spec.name}__later")
            if spec.name not in present_files and not later:
                missing.append(spec.label)
        elif answers.get(spec.name) in (None, "", []):
            missing.append(spec.label)
    return missing


def possible_answers(spec: FieldSpec) -> tuple[str, ...]:
    """The answers a choice or yes/no field can hold, as stored in a demande's answers."""
    return YES_NO if spec.type == "yes_no" else spec.choices


def answer_is(answers: dict, field: str, value: str) -> bool:
    """The answer to ``field`` is ``value`` (contains it, for a multiple choice): the test
    of a condition (ADR 0020) and of a routing rule (ADR 0023)."""
    answer = answers.get(field)
    if isinstance(answer, list):
        return value in answer
    return answer == value


def _holds(condition: Condition, answers: dict, shown: set[str]) -> bool:
    return condition.field in shown and answer_is(answers, condition.field, condition.value)


def visible_names(specs: list[FieldSpec], answers: dict) -> set[str]:
    """The names of the fields shown for these answers: a field shows when its section's
    condition and its own hold; a condition holds when its field is shown and has the
    value. Conditions refer to earlier fields only, so one pass in order is enough."""
    shown: set[str] = set()
    for spec in specs:
        if all(_holds(c, answers, shown) for c in spec.conditions):
            shown.add(spec.name)
    return shown


def shown(specs: list[FieldSpec], answers: dict) -> list[FieldSpec]:
    """The fields shown for these answers, in order (summaries, receipts, exports)."""
    names = visible_names(specs, answers)
    return [spec for spec in specs if spec.name in names]


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide. Exemple : 06 12 34 56 78.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class _Siret(forms.CharField):
    def to_python(self, value):
        return normalise_siret(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_siret(value)


class _Iban(forms.CharField):
    def to_python(self, value):
        return normalise_iban(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_iban(value)


class _Postcode(forms.CharField):
    """A French postcode: five digits, spaces ignored ("75 011")."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code", "pattern": "[0-9]{5}"}
        )

    def to_python(self, value):
        return re.sub(r"\s", "", super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError(
                _("Le code postal compte 5 chiffres. Exemple : 75011."), code="postcode"
            )


class _Phone(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return _phone(value) if value else value


class _AddressLine(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=200, **kwargs)


def _form_fields(spec: FieldSpec, *, drafting: bool) -> dict[str, forms.Field]:
    required = spec.required and not drafting
    common = {"label": spec.label, "help_text": spec.help_text, "required": required}
    yes_no = [("oui", _("Oui")), ("non", _("Non"))]
    builders = {
        "text": lambda: forms.CharField(max_length=500, **common),
        "long_text": lambda: forms.CharField(max_length=5000, widget=forms.Textarea, **common),
        "number": lambda: forms.DecimalField(max_digits=15, decimal_places=2, **common),
        "integer": lambda: forms.IntegerField(
            min_value=0,
            max_value=100_000,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **common,
        ),
        "date": lambda: forms.DateField(widget=DateInput(), **common),
        "choice": lambda: forms.ChoiceField(
            choices=[("", "—"), *((c, c) for c in spec.choices)], **common
        ),
        "multiple_choice": lambda: forms.MultipleChoiceField(
            choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common
        ),
        "yes_no": lambda: forms.ChoiceField(choices=yes_no, widget=forms.RadioSelect, **common),
        "email": lambda: forms.EmailField(**common),
        "phone": lambda: _Phone(max_length=30, **common),
        "siret": lambda: _Siret(max_length=20, **common),
        "iban": lambda: _Iban(max_length=42, **common),
    }
    if spec.type == "address":
        return {
            f"{spec.name}__{part}": (_Postcode if part == "postcode" else _AddressLine)(
                label=f"{spec.label} — {part_label}", required=required
            )
            for part, part_label in ADDRESS_PARTS.items()
        }
    if spec.is_file:
        if not spec.allow_later:
            return {}
        return {
            f"{spec.name}__later": forms.BooleanField(
                label=_("Je fournirai ce document plus tard"), required=False
            )
        }
    return {spec.name: builders[spec.type]()}


def form_field_names(spec: FieldSpec) -> list[str]:
    """The Django form's fields for one field of the definition (none for a file field
    without "plus tard")."""
    return list(_form_fields(spec, drafting=True))


def build_form_class(specs: list[FieldSpec], *, drafting: bool) -> type[forms.Form]:
    """A Django form for the non-file fields; ``drafting`` makes every field optional."""
    attrs = {}
    for spec in specs:
        for name, form_field in _form_fields(spec, drafting=drafting).items():
            # Shown with a star even while drafting: it will be required at submission.
            form_field.required_on_submit = spec.required and not name.endswith("__later")
            attrs[name] = form_field
    return type("ProcedureForm", (forms.Form,), attrs)


def to_answers(specs: list[FieldSpec], cleaned: dict) -> dict:
    """Cleaned form data → JSON-safe answers keyed by field name."""
    answers = {}
    for spec in specs:
        if spec.type == "address":
            parts = {p: cleaned.get(f"{spec.name}__{p}") or "" for p in ADDRESS_PARTS}
            answers[spec.name] = parts if any(parts.values()) else None
        elif spec.is_file:
            if spec.allow_later:
                answers[f"{spec.name}__later"] = bool(cleaned.get(f"{spec.name}__later"))
        else:
            value = cleaned.get(spec.name)
            if isinstance(value, Decimal):
                value = str(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            answers[spec.name] = value if value not in ("", []) else None
    return answers


def answers_to_save(specs: list[FieldSpec], form: forms.Form, previous: dict) -> dict:
    """The answers to store from a validated draft form that may have errors.

    Valid fields bring their new value; a field with an error keeps the value stored
    before (never the half-typed one), so one mistake does not lose the other answers.
    """
    kept = to_initial(specs, previous)
    cleaned = dict(form.cleaned_data)
    for name in form.errors:
        if name in form.fields:
            cleaned[name] = kept.get(name)
    return to_answers(specs, cleaned)


def to_initial(specs: list[FieldSpec], answers: dict) -> dict:
    """Stored answers → form initial data (the reverse of ``to_answers``)."""
    initial = {}
    for spec in specs:
        value = answers.get(spec.name)
        if spec.type == "address" and isinstance(value, dict):
            initial.update({f"{spec.name}__{p}": value.get(p, "") for p in ADDRESS_PARTS})
        elif spec.is_file and spec.allow_later:
            initial[f"{spec.name}__later"] = bool(answers.get(f"{spec.name}__later"))
        elif spec.type == "date" and value:
            initial[spec.name] = parse_date(value)
        elif value is not None:
            initial[spec.name] = value
    return initial


def contact_email(specs: list[FieldSpec], answers: dict) -> str:
    """The first email address typed in the form (e.g. a contact email), or ""."""
    for spec in specs:
        if spec.type == "email" and answers.get(spec.name):
            return answers[spec.name]
    return ""


def display_value(spec: FieldSpec, answers: dict) -> str:
    """A human-readable answer for summaries, receipts and exports."""
    value = answers.get(spec.name)
    if value in (None, "", []):
        return "—"
    if spec.type == "address":
        return f"{value.get('street', '')}, {value.get('postcode', '')} {value.get('city', '')}"
    if spec.type == "multiple_choice":
        return ", ".join(value)
    if spec.type == "yes_no":
        return _("Oui") if value == "oui" else _("Non")
    if spec.type == "date":
        parsed = parse_date(value)
        return parsed.strftime("%d/%m/%Y") if parsed else value
    if spec.type in NUMBER_TYPES:
        return _number(value)
    return str(value)


def _number(value) -> str:
    """18500.5 → "18 500,5" in French: the active language's separators and grouping."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    return formats.number_format(number, use_l10n=True, force_grouping=True)
