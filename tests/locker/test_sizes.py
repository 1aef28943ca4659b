"""Sizes are written one way everywhere: French units, decimal comma, no useless ",0"."""

import pytest
from django.template import Context, Template
from django.utils import translation

from locker.sizes import format_size

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 o"),
        (516, "516 o"),
        (1023, "1023 o"),
        (1024, "1 Ko"),
        (240 * 1024 + 100, "240,1 Ko"),
        (1_572_864, "1,5 Mo"),
        (4 * 1024 * 1024, "4 Mo"),
        (5 * 1024 * 1024 - 10, "5 Mo"),
        (235 * 1024 * 1024, "235 Mo"),
        (3 * 1024**3 // 2, "1,5 Go"),
    ],
)
def test_sizes_in_french(size, expected):
    with translation.override("fr"):
        assert format_size(size) == expected.replace(" ", NBSP)


def test_the_number_follows_the_language():
    with translation.override("en"):
        assert format_size(1_572_864).startswith("1.5" + NBSP)


def test_templates_use_the_same_function(settings):
    settings.GUICHET_UPLOAD_MAX_BYTES = {"demande": 5 * 1024 * 1024, "locker": 4 * 1024 * 1024}
    template = Template("{% load locker_tags %}{{ size|file_size }} / {% upload_max 'locker' %}")
    with translation.override("fr"):
        rendered = template.render(Context({"size": 516}))
    assert rendered == f"516{NBSP}o / 4{NBSP}Mo"
