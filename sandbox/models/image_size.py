"""Image dimensions read from file headers, as PHP's ``getimagesize`` reports them.

``getimagesize`` looks at the bytes, not at the file name, so a JPEG uploaded as ``photo.png`` still
gets its size. Only the formats v4 treats as images are read: PNG, GIF, JPEG, TIFF and PSD.
"""

from __future__ import annotations

import struct

#: JPEG start-of-frame markers (baseline, progressive, lossless...), which carry the dimensions.
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
#: JPEG markers that stand alone, without a length field.
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_TIFF_WIDTH = 256
_TIFF_HEIGHT = 257


def _png(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _gif(data: bytes) -> tuple[int, int] | None:
    if len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return width, height


def _jpeg(data: bytes) -> tuple[int, int] | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _JPEG_SOF:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data starts before any frame header: broken file
            return None
        position += 2 + length
    return None


def _tiff(data: bytes) -> tuple[int, int] | None:
    order = "<" if data[:2] == b"II" else ">"
    if len(data) < 8:
        return None
    (offset,) = struct.unpack(order + "I", data[4:8])
    if offset + 2 > len(data):
        return None
    (count,) = struct.unpack(order + "H", data[offset : offset + 2])
    found: dict[int, int] = {}
    for index in range(count):
        entry = offset + 2 + index * 12
        if entry + 12 > len(data):
            break
        tag, kind = struct.unpack(order + "HH", data[entry : entry + 4])
        if tag not in (_TIFF_WIDTH, _TIFF_HEIGHT):
            continue
        if kind == 3:  # SHORT
            (value,) = struct.unpack(order + "H", data[entry + 8 : entry + 10])
        elif kind == 4:  # LONG
            (value,) = struct.unpack(order + "I", data[entry + 8 : entry + 12])
        else:
            continue
        found[tag] = value
    if _TIFF_WIDTH not in found or _TIFF_HEIGHT not in found:
        return None
    return found[_TIFF_WIDTH], found[_TIFF_HEIGHT]


def _psd(data: bytes) -> tuple[int, int] | None:
    if len(data) < 22:
        return None
    height, width = struct.unpack(">II", data[14:22])
    return width, height


def image_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` of a PNG, GIF, JPEG, TIFF or PSD file; None when the bytes are none of them."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(data)
        if data.startswith((b"GIF87a", b"GIF89a")):
            return _gif(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg(data)
        if data.startswith((b"II*\x00", b"MM\x00*")):
            return _tiff(data)
        if data.startswith(b"8BPS"):
            return _psd(data)
    except struct.error:
        return None
    return None
