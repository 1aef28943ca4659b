"""Forms of the form builder (ADR 0024): add an item, edit one. They turn what an
administrator types into the keys of a definition item; the whole definition is then
validated by ``formdef.parse`` in ``builder``."""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import formdef
from locker.models import Document

from .builder import AT_START, keys_of

# One line per type, shown under its name when adding an item.
TYPE_DESCRIPTIONS = {
    "text": _("Une réponse d'une ligne : un nom, une référence."),
    "long_text": _("Une réponse de plusieurs lignes : une explication."),
    "number": _("Un nombre, avec décimales si besoin : un montant."),
    "integer": _("Un nombre entier à partir de 0 : un nombre de personnes."),
    "date": _("Une date : jour, mois et année."),
    "choice": _("Une seule réponse parmi une liste."),
    "multiple_choice": _("Une ou plusieurs réponses parmi une liste (cases à cocher)."),
    "yes_no": _("Une question fermée : oui ou non."),
    "email": _("Une adresse électronique, vérifiée."),
    "phone": _("Un numéro de téléphone, vérifié."),
    "address": _("Une adresse postale : voie, code postal et commune."),
    "siret": _("Le numéro SIRET d'un établissement, vérifié."),
    "iban": _("Les coordonnées bancaires (IBAN), vérifiées."),
    "file": _("Un ou plusieurs documents à joindre."),
    "section": _("Un titre et un texte qui regroupent les champs placés après."),
}
NAME_HELP = _(
    "Utilisé dans les exports et l'API : lettres minuscules sans accent, chiffres et « _ », "
    "en commençant par une lettre. Attention : le changer fait différer les exports entre "
    "les versions du formulaire."
)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def item_label(item: dict) -> str:
    return str(item.get("label") or item.get("name"))


def answer_label(kind: str, value: str) -> str:
    """A possible answer in words: yes/no answers are stored "oui"/"non"."""
    if kind == "yes_no":
        return gettext("Oui") if value == "oui" else gettext("Non")
    return value


def condition_choices(definition: list, before: int) -> list[tuple[str, str]]:
    """Every (field, answer) a condition of the item at ``before`` may use: the choice,
    multiple-choice and yes/no fields placed before it. Values are ``field:answer``."""
    choices = [("", gettext("Toujours affiché"))]
    for item in definition[:before]:
        kind = item.get("type")
        if kind not in formdef.CONDITION_TYPES:
            continue
        values = formdef.YES_NO if kind == "yes_no" else item.get("choices", [])
        for value in values:
            label = gettext("Affiché si « %(field)s » = %(value)s") % {
                "field": item_label(item),
                "value": answer_label(kind, value),
            }
            choices.append((f"{item['name']}:{value}", label))
    return choices


class AddForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"),
        choices=[(kind, label) for kind, label in formdef.TYPES.items()],
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        label=_("Libellé"),
        max_length=300,
        help_text=_("La question posée, ou le titre de la section."),
    )
    after = forms.ChoiceField(label=_("Position"), required=False)

    def __init__(self, *args, definition: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = [
            ("", gettext("À la fin du formulaire")),
            (AT_START, gettext("Au début du formulaire")),
            *(
                (item["name"], gettext("Après « %(label)s »") % {"label": item_label(item)})
                for item in definition
            ),
        ]

    def type_options(self):
        """The type radios with their one-line descriptions."""
        return [
            (option, TYPE_DESCRIPTIONS.get(option.data["value"], "")) for option in self["type"]
        ]


class ItemForm(forms.Form):
    """Edit one item; only the fields of its type are kept (``keys_of``)."""

    label = forms.CharField(label=_("Libellé"), max_length=300)
    name = forms.CharField(label=_("Nom technique"), max_length=50, help_text=NAME_HELP)
    help_text = forms.CharField(
        label=_("Texte d'aide"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché sous le libellé. Facultatif."),
    )
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    choices = forms.CharField(
        label=_("Choix proposés"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un choix par ligne, au moins deux, tous différents."),
    )
    document_types = forms.MultipleChoiceField(
        label=_("Types de document attendus"),
        choices=Document.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Facultatif."),
    )
    max_files = forms.IntegerField(
        label=_("Nombre maximal de fichiers"),
        min_value=1,
        max_value=10,
        help_text=_("De 1 à 10."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    allow_later = forms.BooleanField(
        label=_("Proposer « Je fournirai ce document plus tard »"), required=False
    )
    show_if = forms.ChoiceField(
        label=_("Condition d'affichage"),
        required=False,
        help_text=_(
            "Seules les questions à choix ou oui / non placées avant peuvent servir de condition."
        ),
    )

    def __init__(self, *args, item: dict, definition: list, **kwargs):
        self.item, self.definition = item, definition
        index = next(i for i, other in enumerate(definition) if other["name"] == item["name"])
        initial = {key: item.get(key) for key in ("label", "name", "help_text", "required")}
        initial.update(
            choices="\n".join(item.get("choices", [])),
            document_types=item.get("document_types", []),
            max_files=item.get("max_files", 1),
            allow_later=item.get("allow_later", False),
            show_if=f"{item['show_if']['field']}:{item['show_if']['value']}"
            if item.get("show_if")
            else "",
        )
        super().__init__(*args, initial=initial, **kwargs)
        allowed = ("label", "name", *keys_of(item["type"]))
        for key in list(self.fields):
            if key not in allowed:
                del self.fields[key]
        if item["type"] == "section":
            self.fields["label"].label = gettext("Titre de la section")
            self.fields["show_if"].help_text = gettext(
                "Une section masquée masque tous ses champs. Seules les questions à choix ou "
                "oui / non placées avant peuvent servir de condition."
            )
        self.fields["show_if"].choices = condition_choices(definition, index)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not _NAME.match(name):
            raise forms.ValidationError(
                gettext(
                    "Utilisez des lettres minuscules sans accent, des chiffres et « _ », "
                    "en commençant par une lettre."
                )
            )
        if name != self.item["name"] and any(i.get("name") == name for i in self.definition):
            raise forms.ValidationError(gettext("Un autre champ porte déjà ce nom."))
        return name

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        choices = [line for line in lines if line]
        if len(choices) < 2:
            raise forms.ValidationError(gettext("Indiquez au moins deux choix, un par ligne."))
        if len(set(choices)) != len(choices):
            raise forms.ValidationError(gettext("Deux choix sont identiques."))
        return choices

    def clean_show_if(self):
        value = self.cleaned_data["show_if"]
        if not value:
            return None
        field, _sep, answer = value.partition(":")
        return {"field": field, "value": answer}

    def values(self) -> dict:
        """The item's new keys, for ``builder.definition_update``."""
        values = dict(self.cleaned_data)
        if "help_text" in values:
            values["help_text"] = values["help_text"].strip()
        return values
