"""Laravel's ``strtolower(str_random(32))`` keys, drawn from the sandbox's seeded RNG."""

from __future__ import annotations

from random import Random

#: The characters of Laravel's ``str_random``, lower-cased.
KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
KEY_LENGTH = 32

# ``Random.choice`` over 36 characters takes the top 6 bits of one 32-bit draw and draws again while
# they are 36 or more. Those bits are the top byte's upper six, so a byte table maps a draw's top
# byte to its character and deletes the rejected ones.
_CHARACTER_OF_TOP_BYTE = bytes(
    ord(KEY_ALPHABET[byte >> 2]) if byte >> 2 < len(KEY_ALPHABET) else 0 for byte in range(256)
)
_REJECTED_TOP_BYTES = bytes(byte for byte in range(256) if byte >> 2 >= len(KEY_ALPHABET))


def random_key(rng: Random, length: int = KEY_LENGTH) -> str:
    """``length`` characters of ``rng.choice(KEY_ALPHABET)``, and the RNG left where those calls leave it.

    The draws come a batch at a time: ``getrandbits(32 * n)`` is ``n`` 32-bit draws, the first in the
    lowest bits. A batch holds no more draws than characters still missing, so none is drawn that
    the character-by-character way would not have drawn.
    """
    key = b""
    while len(key) < length:
        missing = length - len(key)
        draws = rng.getrandbits(32 * missing).to_bytes(4 * missing, "little")
        key += draws[3::4].translate(_CHARACTER_OF_TOP_BYTE, _REJECTED_TOP_BYTES)
    return key.decode("ascii")
