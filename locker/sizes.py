"""File sizes written one way everywhere: "516 o", "12 Ko", "1,5 Mo", "4 Mo".

Units are the French ones (octet, kilo-octet, méga-octet, giga-octet) in steps of 1024, as
people's own computers show them; the number follows the active language's format (a
decimal comma in French), with one decimal at most and none when it is zero. A no-break
space keeps the number and its unit on one line.
"""

from django.utils.formats import number_format
from django.utils.translation import pgettext

_STEP = 1024


def _units():
    return (
        pgettext("file size unit: byte", "o"),
        pgettext("file size unit: kilobyte", "Ko"),
        pgettext("file size unit: megabyte", "Mo"),
        pgettext("file size unit: gigabyte", "Go"),
    )


def format_size(size: int | float | None) -> str:
    """``size`` bytes for people: ``format_size(1_572_864)`` → ``"1,5 Mo"``."""
    units = _units()
    value = float(size or 0)
    index = 0
    while value >= _STEP and index < len(units) - 1:
        value /= _STEP
        index += 1
    if index == 0:
        return f"{int(value)}\u00a0{units[0]}"
    rounded = round(value, 1)
    if rounded >= _STEP and index < len(units) - 1:  # 1023,97 Ko reads better as 1 Mo
        rounded, index = round(rounded / _STEP, 1), index + 1
    decimals = 0 if rounded == int(rounded) else 1
    return f"{number_format(rounded, decimal_pos=decimals)}\u00a0{units[index]}"
