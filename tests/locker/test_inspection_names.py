"""Declared names: the displayed name is cleaned, the storage key never comes from it."""

import unicodedata

import pytest

from locker.inspection import clean_name
from locker.inspection.names import MAX_NAME_BYTES
from tests.locker import corpus
from tests.support.inspection import inspect

PDF = corpus.save(corpus.new_pdf())


@pytest.mark.parametrize(
    ("declared", "cleaned"),
    [
        ("Relevé d'identité bancaire.pdf", "Relevé d'identité bancaire.pdf"),
        (unicodedata.normalize("NFD", "Avis d'impôt 2025.pdf"), "Avis d'impôt 2025.pdf"),
        ("📄 facture été 🇫🇷.pdf", "📄 facture été 🇫🇷.pdf"),
        ("Ünïcödé—«titre».PDF", "Ünïcödé—«titre».pdf"),
        ("facture\u202egnp.pdf", "facturegnp.pdf"),  # right-to-left override
        ("fac\u200btu\u200dre\ufeff.pdf", "facture.pdf"),  # zero-width and BOM
        ("rapport\u2066\u2069\u200e\u200f.pdf", "rapport.pdf"),  # isolates and marks
        ("ligne\nsuivante\t\x00\x1b.pdf", "lignesuivante.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\marie\\Documents\\rib.pdf", "rib.pdf"),
        ("/var/www/../avis.pdf", "avis.pdf"),
        ("dossier/", "document"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("CON.pdf", "CON_.pdf"),
        ("con.tar.pdf", "con_.tar.pdf"),
        ("LPT1.png", "LPT1_.png"),
        ("nul", "nul_"),
        ("  .. espaces   multiples  ..pdf  ", "espaces multiples.pdf"),
        ("", "document"),
        (".pdf", "pdf"),
        ("...", "document"),
        ("\u202e\u200b", "document"),
    ],
)
def test_names_are_cleaned(declared, cleaned):
    assert clean_name(declared) == cleaned


# Look-alikes of "/", "\\", "." and "..": NFKC turns them into the real ones *before*
# the cleaning, which then removes them; a few slashes NFKC keeps are mapped explicitly.
LOOKALIKE_NAMES = [
    ("..\uff0f..\uff0fetc\uff0fpasswd.pdf", "passwd.pdf"),  # fullwidth solidus
    ("C:\uff3cUsers\uff3crib.pdf", "rib.pdf"),  # fullwidth reverse solidus
    ("\u2025\u2215\u2025\u2215avis.pdf", "avis.pdf"),  # two-dot leader, division slash
    ("\u2024\u2024\u2044avis.pdf", "avis.pdf"),  # one-dot leaders, fraction slash
    ("\ufe52\ufe52\ufe68avis.pdf", "avis.pdf"),  # small full stops, small reverse solidus
    ("\u2025\u29f5\u2216avis.pdf", "avis.pdf"),  # reverse solidus operator, set minus
    ("\u2025", "document"),  # ".."
    ("\u2024", "document"),  # "."
    ("\uff0e\uff0e", "document"),  # ".." in fullwidth
    ("\u2024htaccess", "htaccess"),  # no hidden "dot file"
    ("avis\uff0ePDF", "avis.pdf"),  # a fullwidth dot is a real extension dot
    ("\u2100.pdf", "c.pdf"),  # "℀" is "a/c" once normalised
]


@pytest.mark.parametrize(("declared", "cleaned"), LOOKALIKE_NAMES)
def test_lookalike_separators_and_dots_are_normalised_before_cleaning(declared, cleaned):
    result = clean_name(declared)

    assert result == cleaned
    assert unicodedata.normalize("NFKC", result) == result
    assert clean_name(result) == result


@pytest.mark.parametrize(
    "declared",
    [
        "é" * 500 + ".pdf",
        "😀" * 300 + ".pdf",
        "a" * 10_000 + ".pdf",
        "e\u0301" * 400 + ".pdf",
    ],
)
def test_very_long_names_are_bounded_in_bytes_and_keep_the_extension(declared):
    cleaned = clean_name(declared)

    assert len(cleaned.encode("utf-8")) <= MAX_NAME_BYTES
    assert cleaned.endswith(".pdf")
    assert unicodedata.is_normalized("NFC", cleaned)
    assert len(cleaned) > 20


@pytest.mark.parametrize(
    ("declared", "stored"),
    [
        ("Justificatif de domicile \u2013 été.pdf", "Justificatif de domicile \u2013 été.pdf"),
        ("🧾 reçu.pdf", "🧾 reçu.pdf"),
        ("../..\\secret\u202e.pdf", "secret.pdf"),
        ("AUX.PDF", "AUX_.pdf"),
    ],
)
def test_accented_and_emoji_names_pass_with_the_cleaned_name(declared, stored):
    result = inspect(PDF, declared)

    assert result.accepted
    assert result.stored_name == stored


def test_bidi_trick_cannot_fake_the_extension():
    # Displays as "facturefdp.exe" read right-to-left... but the content decides.
    result = inspect(PDF, "facture\u202eexe.pdf")
    assert result.accepted
    assert result.stored_name == "factureexe.pdf"

    result = inspect(PDF, "facture\u202efdp.exe")
    assert not result.accepted
    assert result.reason == "extension_mismatch"
