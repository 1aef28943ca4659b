""" "Télécharger tout": a ZIP streamed one document at a time, never built in memory."""

import zipfile
from collections.abc import Iterable, Iterator

from .inspection import clean_name
from .models import Document
from .services import document_read


class _Chunks:
    """A write-only, non-seekable file: zipfile then writes data descriptors and we hand
    out whatever it has written so far."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _unique(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, number = name, 2
    while candidate.lower() in used:
        candidate = f"{stem} ({number}).{ext}" if dot else f"{name} ({number})"
        number += 1
    used.add(candidate.lower())
    return candidate


def zip_stream(documents: Iterable[Document]) -> Iterator[bytes]:
    sink = _Chunks()
    used: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for document in documents:
            # Cleaned again: a name stored by an older cleaning must not become a path here.
            folder, file_name = (
                clean_name(document.get_kind_display()),
                clean_name(document.file_name),
            )
            name = _unique(f"{folder}/{file_name}", used)
            info = zipfile.ZipInfo(name, date_time=document.updated_at.timetuple()[:6])
            with archive.open(info, "w") as entry:
                entry.write(document_read(document=document))
            yield sink.take()
    yield sink.take()
