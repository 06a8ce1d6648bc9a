"""Text as the bundled fonts can draw it: controls dropped, missing characters replaced, RTL ordered."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf.bidi import BidiParagraph

FONT_DIR = Path(__file__).with_name("fonts")
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

REPLACEMENT = "\ufffd"
_NEWLINES = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
)
_MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


@cache
def covered_code_points() -> frozenset[int]:
    """Code points that both bundled faces can draw."""
    maps = []
    for name in FONT_FILES.values():
        font = TTFont(FONT_DIR / name, lazy=True)
        maps.append(set(font.getBestCmap()))
        font.close()
    return frozenset(cp for cp in set.intersection(*maps) if unicodedata.category(chr(cp)) != "Cc")


def visual_order(line: str) -> str:
    """Right-to-left runs reversed for drawing, since fpdf2 reorders only when shaping with HarfBuzz."""
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in line):
        return line
    out = []
    for char in BidiParagraph(line).get_reordered_characters():
        ch = char.character
        out.append(_MIRRORED.get(ch, ch) if char.embedding_level % 2 else ch)
    return "".join(out)


def clean_text(text: str, multiline: bool = False) -> str:
    """Text reduced to what the font can draw: controls dropped, unknown characters replaced."""
    if text.isascii() and text.isprintable():
        return text.strip()
    covered = covered_code_points()
    out = []
    for ch in unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(_NEWLINES)):
        category = unicodedata.category(ch)
        if ch == "\n":
            out.append("\n" if multiline else " ")
        elif ch == "\t" or (category.startswith("Z") and ord(ch) not in covered):
            out.append(" ")
        elif category in ("Cc", "Cf"):
            continue  # invisible controls, soft hyphens, joiners, bidi overrides
        elif ord(ch) in covered:
            out.append(ch)
        elif category in ("Mn", "Me"):
            continue  # a combining mark the font lacks: the letter under it still reads
        else:
            # A letter the font lacks precomposed may still exist as base letter plus marks.
            parts = unicodedata.normalize("NFD", ch)
            base = parts[0]
            if len(parts) > 1 and ord(base) in covered:
                out.append(base + "".join(m for m in parts[1:] if ord(m) in covered))
            else:
                out.append(REPLACEMENT)
    return "\n".join(visual_order(line) for line in "".join(out).strip().split("\n"))
