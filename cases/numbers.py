"""Case numbers: 45 random bits in Crockford base32, plus one check character.

``K7QX-M3PA-9R`` reads as nine random symbols and a check symbol. The check uses the Damm
algorithm over the quasigroup ``x ∘ y = 2·x + y`` in GF(32): it catches every single wrong
character and every swap of two neighbours, and the check symbol stays in the same
32-symbol alphabet (no ``*~$=`` as in Crockford's mod-37 scheme), so a number is easy to
read out and type. Numbers come from ``secrets``, never from a sequence or the time.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's reading rules: letters that look like digits are read as those digits.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_SYMBOLS = 9  # 45 bits
LENGTH = RANDOM_SYMBOLS + 1
_GF32_MODULUS = 0b100101  # x^5 + x^2 + 1, irreducible


def _times_two(value: int) -> int:
    value <<= 1
    if value & 0b100000:
        value ^= _GF32_MODULUS
    return value


def _damm(values) -> int:
    interim = 0
    for value in values:
        interim = _times_two(interim) ^ value
    return interim


def check_symbol(body: str) -> str:
    """The symbol that brings the Damm interim of ``body + symbol`` back to zero."""
    return ALPHABET[_times_two(_damm(_VALUE[c] for c in body))]


def generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return body + check_symbol(body)


def normalise(text: str) -> str:
    """Upper-case, drop spaces and dashes, apply Crockford's aliases (O→0, I/L→1)."""
    return "".join(text.split()).replace("-", "").upper().translate(_ALIASES)


def is_valid(text: str) -> bool:
    """True when ``text`` (normalised) has the right length, alphabet and check symbol."""
    if len(text) != LENGTH or any(c not in _VALUE for c in text):
        return False
    return _damm(_VALUE[c] for c in text) == 0


def display(number: str) -> str:
    return f"{number[:4]}-{number[4:8]}-{number[8:]}"
