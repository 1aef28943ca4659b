import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from cases import numbers


def test_a_number_carries_at_least_40_random_bits_and_is_grouped_for_reading():
    assert math.log2(len(numbers.ALPHABET) ** numbers.RANDOM_SYMBOLS) >= 40
    number = numbers.generate()
    assert numbers.is_valid(number)
    assert len(numbers.display(number)) == 12
    assert numbers.display(number)[4] == numbers.display(number)[9] == "-"


def _value(number: str) -> int:
    """The 45-bit integer that the nine random symbols of a number encode."""
    value = 0
    for symbol in number[: numbers.RANDOM_SYMBOLS]:
        value = value * len(numbers.ALPHABET) + numbers.ALPHABET.index(symbol)
    return value


def test_numbers_are_random_draws_over_the_45_bit_space_not_a_counter():
    values = [_value(numbers.generate()) for _ in range(2000)]
    assert len(set(values)) == len(values)
    # A counter or a clock moves by small steps; two random draws are ~2**44 apart (a step
    # under 2**20 happens by chance about once in 8,000 runs of this test).
    assert [b - a for a, b in itertools.pairwise(values) if abs(b - a) < 2**20] == []
    assert values not in (sorted(values), sorted(values, reverse=True))
    # Spread over the whole space: each sixteenth gets ~125 of the 2000 draws.
    assert len({value >> 41 for value in values}) == 16


bodies = st.text(alphabet=numbers.ALPHABET, min_size=9, max_size=9)


@given(bodies, st.integers(0, 9), st.sampled_from(numbers.ALPHABET))
def test_every_single_wrong_character_is_caught(body, position, replacement):
    number = body + numbers.check_symbol(body)
    typo = number[:position] + replacement + number[position + 1 :]
    assert numbers.is_valid(typo) == (typo == number)


@given(bodies, st.integers(0, 8))
def test_every_swap_of_two_neighbours_is_caught(body, position):
    number = body + numbers.check_symbol(body)
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert numbers.is_valid(swapped) == (swapped == number)


def test_typing_is_forgiving_on_case_spaces_dashes_and_look_alike_letters():
    number = numbers.generate()
    typed = numbers.display(number).lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert numbers.normalise(typed) == number
