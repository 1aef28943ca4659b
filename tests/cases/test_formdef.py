import pytest
from django.core.exceptions import ValidationError

from cases import formdef
from cases.validators import validate_iban, validate_siret


def test_definition_problems_are_all_listed_in_french():
    with pytest.raises(ValidationError) as error:
        formdef.parse(
            [
                {"name": "Nom Complet", "type": "text", "label": "Nom"},
                {"name": "choix", "type": "choice", "label": "Choix", "choices": ["seul"]},
                {"name": "x", "type": "inconnu", "label": ""},
                {"name": "choix", "type": "text", "label": "Doublon"},
            ]
        )
    text = " ".join(error.value.messages)
    assert "minuscules" in text
    assert "au moins deux choix" in text
    assert "« inconnu » n'existe pas" in text
    assert "libellé est obligatoire" in text
    assert "« choix » est déjà pris" in text


def test_form_is_built_from_the_definition_and_answers_round_trip():
    specs = formdef.parse(
        [
            {"name": "naissance", "type": "date", "label": "Date de naissance", "required": True},
            {"name": "adresse", "type": "address", "label": "Adresse", "required": True},
            {"name": "tel", "type": "phone", "label": "Téléphone"},
            {"name": "avis", "type": "file", "label": "Avis", "allow_later": True},
        ]
    )
    form = formdef.build_form_class(specs, drafting=False)(
        {
            "naissance": "1990-01-31",
            "adresse__street": "1 place de la Mairie",
            "adresse__postcode": "69001",
            "adresse__city": "Lyon",
            "tel": "06 12 34 56 78",
            "avis__later": "on",
        }
    )
    assert form.is_valid(), form.errors
    answers = formdef.to_answers(specs, form.cleaned_data)
    assert answers == {
        "naissance": "1990-01-31",
        "adresse": {"street": "1 place de la Mairie", "postcode": "69001", "city": "Lyon"},
        "tel": "+33612345678",
        "avis__later": True,
    }
    assert formdef.display_value(specs[0], answers) == "31/01/1990"
    again = formdef.build_form_class(specs, drafting=False)(
        initial=formdef.to_initial(specs, answers)
    )
    assert again.initial["adresse__city"] == "Lyon"


def test_required_fields_are_optional_while_drafting():
    specs = formdef.parse([{"name": "nom", "type": "text", "label": "Nom", "required": True}])
    assert formdef.build_form_class(specs, drafting=True)({}).is_valid()
    assert not formdef.build_form_class(specs, drafting=False)({}).is_valid()


@pytest.mark.parametrize("value", ["732 829 320 00074", "35600000000010"])
def test_valid_siret(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["73282932000075", "7328293200007", "ABCDEFGHIJKLMN"])
def test_invalid_siret_is_explained(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


def test_iban_checksum():
    validate_iban("FR76 3000 6000 0112 3456 7890 189")
    with pytest.raises(ValidationError, match="mal recopié"):
        validate_iban("FR76 3000 6000 0112 3456 7890 188")
