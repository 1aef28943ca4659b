"""Cleaning of declared file names: what is displayed and offered on download.

The storage key is never derived from the name (it is a UUID chosen by the caller); this
cleaning only makes the *displayed* name harmless: no path, no control, bidi-override or
zero-width characters, no Windows reserved device name, a bounded length in bytes.

Order matters: the name is normalised with NFKC *first*, so compatibility look-alikes
(fullwidth solidus, one-dot leader, two-dot leader, small full stop...) become the
ASCII separator or dot they imitate and are then removed like the real ones; a few
look-alike slashes NFKC keeps (division slash, fraction slash...) are mapped explicitly.
The result is checked again at the end: it must be stable under the whole cleaning.
"""

import re
import unicodedata

# UTF-8 bytes; keeps room under the usual 255-byte file-name limit of file systems and ZIP
# tools once a " (2)" suffix or a directory is added.
MAX_NAME_BYTES = 180
FALLBACK_STEM = "document"

# Superscript digits ("COM¹") are reserved too; NFKC has made them plain digits by then.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{prefix}{n}" for prefix in ("COM", "LPT") for n in "123456789"
}
# Characters Windows refuses in names, and separators that would make a path.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_SPACES = re.compile(r"\s+")
# Slashes that NFKC leaves alone but that read (or are "best-fit" converted) as separators.
_LOOKALIKE_SEPARATORS = str.maketrans(
    dict.fromkeys("\u2044\u2215\u2571\u29f8", "/") | dict.fromkeys("\u2216\u2572\u29f5\u29f9", "\\")
)


def _allowed(char: str) -> bool:
    # Cc: controls; Cf: format (bidi overrides, zero-width, BOM, soft hyphen...);
    # Cs/Co/Cn: surrogates, private use, unassigned; Zl/Zp: line and paragraph separators.
    return unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def split_extension(name: str) -> tuple[str, str]:
    """``("rapport.final", ".pdf")``; the extension is lower-cased, ``""`` when absent."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext or " " in ext or len(ext) > 10:
        return name, ""
    return stem, "." + ext.lower()


def _truncate_utf8(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", errors="ignore")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKE_SEPARATORS)


def _clean(declared: str) -> str:
    name = _normalise(declared)
    # Only the last path part, whichever separator the sender's system used.
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if _allowed(char))
    name = _FORBIDDEN.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem, ext = split_extension(name)
    stem = stem.strip(" .")
    if not stem:
        stem = FALLBACK_STEM
    first, dot, rest = stem.partition(".")
    if first.rstrip().upper() in _RESERVED:
        stem = f"{first.rstrip()}_{dot}{rest}"
    stem = _truncate_utf8(stem, MAX_NAME_BYTES - len(ext.encode("utf-8"))).rstrip(" .")
    if not stem:
        stem = FALLBACK_STEM
    return _normalise(stem + ext)


def _is_clean(name: str) -> bool:
    """The final check: nothing left that is, or becomes, a separator or a leading dot."""
    return (
        bool(name)
        and not name.startswith(".")
        and not re.search(r"[/\\]", name)
        and _normalise(name) == name
        and _clean(name) == name
    )


def clean_name(declared: str) -> str:
    """The displayed name for a declared one; never empty, at most MAX_NAME_BYTES bytes."""
    name = _clean(declared or "")
    if _is_clean(name):
        return name
    return FALLBACK_STEM + split_extension(name)[1]
