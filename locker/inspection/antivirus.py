"""Optional antivirus: the clamd INSTREAM protocol over a Unix socket.

Off unless ``GUICHET_CLAMD_SOCKET`` names a socket. When on, inspection only accepts a
file clamd reported clean, so nothing is stored (hence downloadable) before the scan;
an unreachable clamd refuses the upload rather than letting it through.
"""

import socket
import struct

from django.conf import settings

CHUNK = 64 * 1024


class ScanError(Exception):
    pass


def enabled() -> bool:
    return bool(settings.GUICHET_CLAMD_SOCKET)


def is_clean(content: bytes) -> bool:
    """True if clamd finds nothing; False if it finds something; ScanError otherwise."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(settings.GUICHET_CLAMD_TIMEOUT_SECONDS)
            sock.connect(settings.GUICHET_CLAMD_SOCKET)
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as exc:
        raise ScanError(str(exc)) from exc
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith(" OK"):
        return True
    if answer.endswith(" FOUND"):
        return False
    raise ScanError(answer)
