"""``multipart/form-data`` bodies as PHP reads them into ``$_POST`` and ``$_FILES``.

PHP parses multipart bodies of POST requests only. A part with a ``filename`` parameter is a file
(an empty file name means "no file was chosen" and is skipped, as Laravel does); any other named
part is a form field. The client's file name is cut to its last path segment (``/`` or ``\\``),
so a name can never point anywhere: it is shown back to the client, never used as a path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BOUNDARY = re.compile(r'boundary=(?:"([^"]+)"|([^;,\s]+))', re.IGNORECASE)
_PARAM = re.compile(r';\s*([A-Za-z0-9_*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class UploadedFile:
    """One uploaded file: the client's name for it (last path segment only), its type and its bytes."""

    name: str
    content_type: str
    data: bytes


@dataclass
class MultipartBody:
    """The form fields and the files of a multipart body, in PHP's terms."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    files: dict[str, UploadedFile] = field(default_factory=dict)


def is_multipart(content_type: str) -> bool:
    """True for a ``multipart/form-data`` content type."""
    return content_type.strip().lower().startswith("multipart/form-data")


def _unquote(value: str) -> str:
    """A parameter's value; inside quotes PHP undoes only escaped backslashes and quotes."""
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r'\\([\\"])', r"\1", value[1:-1])
    return value


def _disposition(headers: dict[str, str]) -> dict[str, str]:
    value = headers.get("content-disposition", "")
    if not value.lower().startswith("form-data"):
        return {}
    return {name.lower(): _unquote(raw) for name, raw in _PARAM.findall(value[len("form-data") :])}


def _headers(block: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon:
            text = value.decode("utf-8", errors="replace").strip()
            headers[name.decode("latin-1").strip().lower()] = text
    return headers


def _basename(name: str) -> str:
    return re.split(r"[/\\]", name)[-1]


def parse_multipart(body: bytes, content_type: str) -> MultipartBody:
    """The fields and files of a multipart body; a body without a usable boundary has neither."""
    result = MultipartBody()
    match = _BOUNDARY.search(content_type)
    if match is None:
        return result
    delimiter = b"--" + (match.group(1) or match.group(2)).encode("latin-1", errors="replace")
    if body.startswith(delimiter):
        position = 0
    else:
        position = body.find(b"\r\n" + delimiter)
        if position < 0:
            return result
        position += 2
    while True:
        position += len(delimiter)
        if body[position : position + 2] == b"--":
            break
        line_end = body.find(b"\r\n", position)
        header_end = body.find(b"\r\n\r\n", position)
        if line_end < 0 or header_end < 0:
            break
        content_start = header_end + 4
        next_part = body.find(b"\r\n" + delimiter, content_start)
        if next_part < 0:
            break  # a truncated body: PHP drops the unfinished part
        headers = _headers(body[line_end + 2 : header_end])
        _add_part(result, headers, body[content_start:next_part])
        position = next_part + 2
    return result


def _add_part(result: MultipartBody, headers: dict[str, str], content: bytes) -> None:
    params = _disposition(headers)
    name = params.get("name")
    if not name:
        return
    if "filename" in params:
        filename = _basename(params["filename"])
        if filename:
            content_type = headers.get("content-type", "application/octet-stream")
            result.files[name] = UploadedFile(filename, content_type, content)
        return
    result.fields.append((name, content.decode("utf-8", errors="replace")))
