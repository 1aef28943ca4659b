"""The operator command's contract: one JSON object, exit 0 whatever the verdict."""

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.locker import corpus
from tests.support.inspection import active_content

MIB = 1024 * 1024
KEYS = {"verdict", "reason", "message", "mime", "size", "sha256", "sanitised", "stored_name"}


def run(*args) -> dict:
    out = io.StringIO()
    call_command("inspect_upload", *args, stdout=out)
    return json.loads(out.getvalue())


def test_accepted_file_with_output_writes_the_stored_bytes(tmp_path):
    source = tmp_path / "upload.bin"
    source.write_bytes(corpus.pdf_with(corpus.JS_LOCATIONS["open_action"]))
    target = tmp_path / "stored.pdf"

    report = run(
        str(source),
        "--name",
        "../Avis d'impôt.pdf",
        "--context",
        "demande",
        "--output",
        str(target),
    )

    assert set(report) == KEYS
    assert report["verdict"] == "accept"
    assert report["reason"] is None
    assert report["message"] is None
    assert report["mime"] == "application/pdf"
    assert report["sanitised"] is True
    assert report["stored_name"] == "Avis d'impôt.pdf"
    stored = target.read_bytes()
    assert report["size"] == len(stored)
    assert report["sha256"] == hashlib.sha256(stored).hexdigest()
    assert active_content(stored) == []


def test_refused_file_reports_reason_and_writes_nothing(tmp_path):
    source = tmp_path / "secret.pdf"
    source.write_bytes(corpus.pdf_encrypted(user="1234"))
    target = tmp_path / "out.pdf"

    report = run(
        str(source), "--name", "secret.pdf", "--context", "locker", "--output", str(target)
    )

    assert report["verdict"] == "reject"
    assert report["reason"] == "pdf_encrypted"
    assert report["message"].startswith("Ce fichier PDF est protégé par un mot de passe")
    assert report["sha256"] is None
    assert not target.exists()


@pytest.mark.parametrize(("context", "limit"), [("demande", 5 * MIB), ("locker", 4 * MIB)])
def test_limits_through_the_command(tmp_path, context, limit):
    exact, over = tmp_path / "exact.png", tmp_path / "over.png"
    exact.write_bytes(corpus.png_of_size(limit))
    over.write_bytes(corpus.png_of_size(limit + 1))

    assert run(str(exact), "--name", "a.png", "--context", context)["verdict"] == "accept"
    refused = run(str(over), "--name", "a.png", "--context", context)
    assert (refused["verdict"], refused["reason"]) == ("reject", "too_large")


def _manage(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    return subprocess.run(
        [sys.executable, "manage.py", "inspect_upload", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_exit_codes_from_a_real_process(tmp_path):
    html = tmp_path / "page.pdf"
    html.write_bytes(b"<html><script>alert(1)</script></html>")

    refused = _manage(str(html), "--name", "page.pdf", "--context", "demande")
    assert refused.returncode == 0, refused.stderr
    assert json.loads(refused.stdout)["reason"] == "type_not_allowed"

    assert _manage(str(html), "--name", "page.pdf", "--context", "autre").returncode != 0
    assert _manage(str(html), "--name", "page.pdf").returncode != 0
    missing = _manage(str(Path(tmp_path, "absent.pdf")), "--name", "a.pdf", "--context", "locker")
    assert missing.returncode != 0
    assert "no such file" in missing.stderr
