"""Keys drawn in batches are the keys ``Random.choice`` draws one character at a time."""

from __future__ import annotations

from random import Random

import pytest

from sandbox.models.random_keys import KEY_ALPHABET, random_key


def _one_at_a_time(rng: Random, length: int) -> str:
    return "".join(rng.choice(KEY_ALPHABET) for _ in range(length))


@pytest.mark.parametrize("length", [1, 5, 24, 32, 200])
def test_batched_keys_equal_keys_drawn_one_character_at_a_time(length: int) -> None:
    for seed in range(500):
        batched, single = Random(seed), Random(seed)
        for _ in range(3):
            assert random_key(batched, length) == _one_at_a_time(single, length)
        # The RNG is left where the one-at-a-time draws leave it: later draws are unchanged too.
        assert batched.getstate() == single.getstate()


def test_keys_are_lower_case_letters_and_digits_of_the_asked_length() -> None:
    rng = Random(7)
    keys = [random_key(rng) for _ in range(2000)]
    assert all(len(key) == 32 and set(key) <= set(KEY_ALPHABET) for key in keys)
    assert set("".join(keys)) == set(KEY_ALPHABET)
    assert len(set(keys)) == len(keys)
