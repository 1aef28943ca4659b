"""Download headers, and the optional clamd hook (a clamd-speaking socket stands in)."""

import socket
import struct
import threading

import pytest
from django.test import RequestFactory

from locker.inspection import content_disposition, download_response
from tests.locker import corpus
from tests.support.inspection import inspect

EICAR_MARKER = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def test_download_is_an_attachment_with_the_utf8_name():
    response = download_response(b"%PDF-", filename="Avis d'impôt 🧾.pdf", mime="application/pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Avis d\'imp?t ?.pdf"; '
        "filename*=UTF-8''Avis%20d%27imp%C3%B4t%20%F0%9F%A7%BE.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_disposition_never_carries_a_path_or_header_injection():
    header = content_disposition('../../x"\r\nSet-Cookie: a=b.pdf')
    assert "\r" not in header
    assert "\n" not in header
    assert "/" not in header.split("filename*=")[0]
    assert header.startswith("attachment;")


def test_streamed_download_keeps_the_headers(tmp_path):
    path = tmp_path / "f.png"
    path.write_bytes(b"\x89PNG")
    response = download_response(path.open("rb"), filename="f.png", mime="image/png")
    assert b"".join(response.streaming_content) == b"\x89PNG"
    assert response["Content-Disposition"].startswith("attachment;")
    assert RequestFactory()  # headers do not depend on the request


class FakeClamd:
    """Speaks clamd's INSTREAM protocol on a Unix socket; finds the EICAR marker."""

    def __init__(self, path):
        self.path = str(path)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(self.path)
        self.server.listen()
        self.scanned = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    size = struct.unpack("!L", self._exact(conn, 4))[0]
                    if size == 0:
                        break
                    data += self._exact(conn, size)
                self.scanned += 1
                found = EICAR_MARKER in data
                conn.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")

    @staticmethod
    def _exact(conn, size):
        buf = b""
        while len(buf) < size:
            buf += conn.recv(size - len(buf))
        return buf

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings, tmp_path):
    fake = FakeClamd(tmp_path / "clamd.sock")
    settings.GUICHET_CLAMD_SOCKET = fake.path
    yield fake
    fake.close()


def test_antivirus_is_off_by_default(settings):
    assert settings.GUICHET_CLAMD_SOCKET == ""
    assert inspect(corpus.save(corpus.new_pdf())).accepted


def test_clean_file_is_accepted_after_the_scan(clamd):
    result = inspect(corpus.save(corpus.new_pdf()))
    assert result.accepted
    assert clamd.scanned == 1


def test_file_found_infected_is_refused(clamd):
    pdf = corpus.new_pdf()
    pdf.Root.Payload = pdf.make_stream(EICAR_MARKER)

    result = inspect(corpus.save(pdf, compress_streams=False))

    assert not result.accepted
    assert result.reason == "infected"
    assert "virus" in result.message


def test_unreachable_antivirus_refuses_rather_than_lets_through(settings, tmp_path):
    settings.GUICHET_CLAMD_SOCKET = str(tmp_path / "absent.sock")

    result = inspect(corpus.save(corpus.new_pdf()))

    assert not result.accepted
    assert result.reason == "scan_unavailable"
