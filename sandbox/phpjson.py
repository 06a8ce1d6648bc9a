"""JSON bytes in the exact text forms v4.5.50 sends.

v4 answers with PHP's ``json_encode``: most API bodies are pretty-printed with a four-space indent,
``/`` escaped as ``\\/`` and non-ASCII text escaped as ``\\uXXXX``; the token and hook answers are
compact but escape the same way; Laravel's own error bodies are pretty but leave slashes alone.
orjson does the heavy lifting (it is many times faster than the standard library's pretty printer)
and the PHP details are applied to its output.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

_LEADING_SPACES = re.compile(rb"(?m)^( +)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escape_non_ascii(text: bytes) -> bytes:
    """Escape every non-ASCII character as PHP does: ``\\u00e9``, surrogate pairs above U+FFFF."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _NON_ASCII.sub(escape, text.decode()).encode()


def _double_indent(match: re.Match[bytes]) -> bytes:
    return match.group(1) * 2


def dumps(value: Any, *, pretty: bool = True, escape_slashes: bool = True) -> bytes:
    """Serialize ``value`` like PHP's ``json_encode`` (``JSON_PRETTY_PRINT`` when ``pretty``)."""
    if pretty:
        body = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        if b"  " in orjson.dumps(value):
            # Some text holds two spaces in a row. JSON strings cannot hold a raw newline, so every
            # run of spaces at the start of a line is structural indentation: double those runs.
            body = _LEADING_SPACES.sub(_double_indent, body)
        else:
            # orjson indents by two; PHP by four. With no two spaces in a row inside any text, every
            # double space is one level of indentation: widen each to four spaces.
            body = body.replace(b"  ", b"    ")
    else:
        body = orjson.dumps(value)
    if escape_slashes and b"/" in body:
        body = body.replace(b"/", b"\\/")
    if not body.isascii():
        body = _escape_non_ascii(body)
    return body


def php_float(value: float | int | None) -> float | int:
    """A PHP ``(float)`` as ``json_encode`` prints it: integral values lose their ``.0``."""
    if value is None:
        return 0
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return int(number)
    return number
