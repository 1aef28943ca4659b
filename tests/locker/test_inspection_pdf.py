"""PDF rules: refused when locked or broken, active content removed wherever it lives."""

import io

import pikepdf
import pytest

from locker.inspection.isolated import ChildError, run_limited
from tests.locker import corpus
from tests.support.inspection import active_content, inspect

SANITISED_VARIANTS = {
    **{f"js_{k}": corpus.JS_LOCATIONS[k] for k in corpus.JS_LOCATIONS},
    **corpus.OTHER_ACTIVE,
}


@pytest.mark.parametrize("object_streams", [False, True], ids=["plain", "object_streams"])
@pytest.mark.parametrize("variant", sorted(SANITISED_VARIANTS))
def test_active_content_is_removed_and_the_file_kept(variant, object_streams):
    data = corpus.pdf_with(SANITISED_VARIANTS[variant], object_streams=object_streams)
    assert active_content(data), "the corpus file really carries active content"

    result = inspect(data)

    assert result.accepted, result.message
    assert result.sanitised
    assert active_content(result.content) == []
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        assert len(stored.pages) == 2


@pytest.mark.parametrize("location", sorted(corpus.JS_LOCATIONS))
def test_name_spelling_tricks_do_not_hide_javascript(location):
    data = corpus.respell_names(corpus.pdf_with(corpus.JS_LOCATIONS[location]))
    assert b"/J#61vaScript" in data or b"/J#53" in data

    result = inspect(data)

    assert result.accepted, result.message
    assert active_content(result.content) == []


def test_javascript_added_by_an_incremental_update_is_removed():
    data = corpus.pdf_with_incremental_js()
    assert active_content(data)

    result = inspect(data)

    assert result.accepted
    assert result.sanitised
    assert active_content(result.content) == []
    assert b"app.alert" not in result.content


def test_javascript_from_an_earlier_revision_is_removed():
    data = corpus.pdf_with_js_in_old_revision()

    result = inspect(data)

    assert result.accepted
    assert result.sanitised
    assert active_content(result.content) == []
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        assert str(stored.Root.Lang) == "fr-FR"  # the later revision's change is kept


def test_multi_page_pdf_with_object_streams_passes_unchanged_in_substance():
    data = corpus.save(corpus.new_pdf(pages=12), object_streams=True)

    result = inspect(data, "dossier complet.pdf")

    assert result.accepted
    assert not result.sanitised
    assert result.mime == "application/pdf"
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        assert len(stored.pages) == 12


def test_fillable_form_keeps_its_fields():
    result = inspect(corpus.pdf_form(), "formulaire.pdf")

    assert result.accepted
    assert not result.sanitised
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        names = [str(field.T) for field in stored.Root.AcroForm.Fields]
    assert names == ["nom", "prenom"]


def test_plain_https_link_survives():
    result = inspect(corpus.pdf_with_link())

    assert result.accepted
    assert not result.sanitised
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        (annot,) = stored.pages[0].Annots
        assert str(annot.A.URI) == "https://www.service-public.fr/"


def test_mailto_link_survives_but_file_link_does_not():
    assert not inspect(corpus.pdf_with_link("mailto:accueil@mairie.fr")).sanitised
    result = inspect(corpus.pdf_with_link("file:///etc/passwd"))
    assert result.accepted
    assert result.sanitised
    assert b"/etc/passwd" not in result.content


def test_user_password_is_refused_with_a_clear_message():
    result = inspect(corpus.pdf_encrypted(user="secret"))

    assert not result.accepted
    assert result.reason == "pdf_encrypted"
    assert result.message == (
        "Ce fichier PDF est protégé par un mot de passe : enregistrez-en une copie sans "
        "mot de passe puis réessayez."
    )
    assert result.content is None


def test_owner_password_only_is_stored_decrypted():
    result = inspect(corpus.pdf_encrypted(user=""))

    assert result.accepted
    assert result.sanitised
    with pikepdf.open(io.BytesIO(result.content)) as stored:
        assert not stored.is_encrypted


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: d[: len(d) // 2], id="truncated_half"),
        pytest.param(lambda d: d[:-30], id="truncated_end"),
        pytest.param(lambda d: d.replace(b"startxref\n", b"startxref\n9").rstrip(), id="bad_xref"),
        pytest.param(lambda d: d.replace(b"0 8\n", b"0 9\n"), id="xref_count"),
        pytest.param(lambda d: d.replace(b"/Type /Pages", b"/Type /Pagez"), id="no_pages"),
    ],
)
def test_damaged_pdf_that_qpdf_would_repair_is_refused(damage):
    good = corpus.save(corpus.new_pdf(pages=2))
    assert inspect(good).accepted

    result = inspect(damage(good))

    assert not result.accepted
    assert result.reason == "pdf_damaged"
    assert "abîmé" in result.message


def test_bytes_after_the_end_are_not_stored():
    good = corpus.save(corpus.new_pdf(pages=2))
    junk = b"\n<script>alert(1)</script>" + b"PK\x03\x04" + b"x" * 200

    result = inspect(good + junk)

    assert result.accepted
    assert b"<script>" not in result.content
    assert not result.content.endswith(b"x" * 10)


def test_leading_junk_is_not_a_pdf():
    result = inspect(b"\0" * 2048 + corpus.save(corpus.new_pdf()))

    assert not result.accepted
    assert result.reason == "type_not_allowed"


def test_decompression_bomb_is_refused_without_exhausting_the_worker():
    # The cross-reference stream inflates to 1 GiB, twice the child's memory budget.
    bomb = corpus.pdf_bomb(1024 * 1024 * 1024)
    assert len(bomb) < 5 * 1024 * 1024

    result = inspect(bomb)

    assert not result.accepted
    assert result.reason in {"pdf_too_complex", "pdf_damaged"}
    assert inspect(corpus.save(corpus.new_pdf())).accepted  # the worker is fine


def _allocate(size):
    return len(bytearray(size))


def _spin(_):
    while True:
        pass


def test_parser_child_is_bounded_in_memory_and_time():
    assert run_limited(_allocate, 1024, memory_budget=64 * 1024**2, time_limit=5) == 1024
    with pytest.raises(ChildError):
        run_limited(_allocate, 1024**3, memory_budget=64 * 1024**2, time_limit=5)
    with pytest.raises(ChildError):
        run_limited(_spin, None, memory_budget=64 * 1024**2, time_limit=1)


def test_the_stored_file_is_the_resave_never_the_original():
    original = corpus.save(corpus.new_pdf(pages=2), compress_streams=False)

    result = inspect(original)

    assert result.accepted
    assert result.content != original
    assert inspect(result.content).content == result.content  # stable once cleaned
