"""The colours of the invoice layout."""

from __future__ import annotations

RGB = tuple[int, int, int]
INK: RGB = (33, 37, 41)
MUTED: RGB = (108, 117, 125)
RULE: RGB = (222, 226, 230)
WHITE: RGB = (255, 255, 255)
DEFAULT_ACCENT: RGB = (55, 163, 198)


def accent_color(value: str) -> RGB:
    """``#rrggbb`` or ``#rgb`` as RGB; anything else falls back to the default accent."""
    digits = value.strip().removeprefix("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    try:
        number = int(digits, 16) if len(digits) == 6 else -1
    except ValueError:
        number = -1
    if number < 0:
        return DEFAULT_ACCENT
    return (number >> 16, (number >> 8) & 0xFF, number & 0xFF)


def tint(color: RGB, share: float) -> RGB:
    """``color`` mixed into white, ``share`` being how much of the colour is kept."""
    r, g, b = (round(255 - (255 - c) * share) for c in color)
    return (r, g, b)
