""" "Télécharger tout": a ZIP streamed one document at a time, never built in memory
(the porte-documents, and a demande's archive in ``cases.archive``)."""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

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


Entry = tuple[str, str, datetime, Callable[[], bytes]]


def entries_stream(entries: Iterable[Entry]) -> Iterator[bytes]:
    """A ZIP of ``(folder, file name, modified, read)`` entries, each read only when it is
    written. Folder and name are cleaned again (a stored name must never become a path)
    and the path made unique."""
    sink = _Chunks()
    used: set[str] = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for folder, file_name, modified, read in entries:
            name = _unique(f"{clean_name(folder)}/{clean_name(file_name)}", used)
            info = zipfile.ZipInfo(name, date_time=modified.timetuple()[:6])
            with archive.open(info, "w") as entry:
                entry.write(read())
            yield sink.take()
    yield sink.take()


def zip_stream(documents: Iterable[Document]) -> Iterator[bytes]:
    return entries_stream(
        (
            document.get_kind_display(),
            document.file_name,
            document.updated_at,
            lambda document=document: document_read(document=document),
        )
        for document in documents
    )
