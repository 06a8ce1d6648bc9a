"""The bad input catalogue: each hostile request gets v4's answer (or a documented clear error).

Every case is one request with its exact expected status and body. After each one the server has
recorded no unexpected exception (``GET /__admin/errors`` is empty) and the data is exactly what it
was (``GET /__admin/state`` before and after), because none of these requests may write anything.

Where v4 itself answers a case in a way the sandbox cannot copy (it would be a PHP warning page, or
an nginx error page in front of it), the case names the sandbox's clear answer and the difference is
in FIDELITY.md: a body over ``--max-body-bytes`` (413 JSON), a header or request line over 8 KiB
(aiohttp's 400), and a JSON number beyond double range such as ``1e400`` (read as malformed JSON).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

XHR = {"X-Requested-With": "XMLHttpRequest"}
JSON = "application/json"
INVALID = "The given data was invalid."
PRODUCT_KEY_REQUIRED = {"message": INVALID, "errors": {"product_key": ["The product key field is required."]}}
PAYMENT_REQUIRED = {
    "message": INVALID,
    "errors": {
        "invoice_id": ["The invoice id field is required."],
        "amount": ["The amount field is required."],
    },
}
AMOUNT_NOT_A_NUMBER = {"message": INVALID, "errors": {"amount": ["The amount must be a number."]}}
INVOICE_REQUIRED = {
    "message": INVALID,
    "errors": {
        "email": ["The email field is required when client id is not present."],
        "client_id": ["The client id field is required when email is not present."],
    },
}
RECORD_DOES_NOT_EXIST = {"message": "record does not exist"}
RECORD_NOT_FOUND = {"error": "Record not found"}
ROUTE_DOES_NOT_EXIST = {"error": {"message": "Route does not exist"}}
UNAUTHORIZED = {"message": "This action is unauthorized."}
INVALID_TOKEN = {"error": {"message": "Invalid token"}}
MAX_BODY = 12 * 1024 * 1024  # the test server's --max-body-bytes (the default)


def _nested(depth: int, inner: bytes = b"1") -> bytes:
    return b'{"a":' * depth + inner + b"}" * depth


@dataclass(frozen=True)
class Case:
    """One bad request and the answer it must get."""

    name: str
    method: str
    path: str
    status: int
    body: Any = None  # the exact JSON body, when given
    content: bytes | None = None
    content_type: str | None = JSON
    headers: dict[str, str | bytes] = field(default_factory=lambda: dict(XHR))
    check: Callable[[httpx.Response], None] | None = None


def _text_contains(*parts: str) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        for part in parts:
            assert part in response.text, response.text[:500]

    return check


def _too_large(response: httpx.Response) -> None:
    message = response.json()["error"]["message"]
    assert message.startswith("The request body is larger than the sandbox accepts"), message
    assert str(MAX_BODY) in message
    assert response.headers["X-Ninja-Version"] == "4.5.50"


def _client_list(total: int) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        assert response.json()["meta"]["pagination"]["total"] == total

    return check


def _one_client(client_id: int) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        assert response.json()["data"]["id"] == client_id

    return check


def _page(per_page: int, current: int) -> Callable[[httpx.Response], None]:
    def check(response: httpx.Response) -> None:
        pagination = response.json()["meta"]["pagination"]
        assert (pagination["per_page"], pagination["current_page"]) == (per_page, current)

    return check


def _multipart(name: str, content: bytes, boundary: str = "XyZ") -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


CASES: tuple[Case, ...] = (
    # -- malformed and truncated JSON: json_decode gives null, so there is no input at all --------------
    Case(
        "truncated JSON object",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "A", "cost": 1',
    ),
    Case("truncated JSON string", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b'{"product_key": "A'),
    Case(
        "JSON with trailing garbage",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "A"} x',
    ),
    Case("JSON with single quotes", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b"{'product_key': 'A'}"),
    Case(
        "JSON with a trailing comma", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b'{"product_key": "A",}'
    ),
    Case(
        "JSON with a byte order mark",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'\xef\xbb\xbf{"product_key": "A"}',
    ),
    Case("JSON array body", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b'[{"product_key": "A"}]'),
    Case("JSON string body", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b'"A"'),
    Case("JSON null body", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b"null"),
    Case("blank JSON body", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b"  \r\n "),
    Case(
        "truncated invoice",
        "POST",
        "/invoices",
        422,
        INVOICE_REQUIRED,
        b'{"client_id": 1, "invoice_items": [{"qty": 1',
    ),
    # -- content types: only *json* types are read as JSON, only form types as forms ------------------
    Case(
        "JSON sent as text/plain",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "A"}',
        "text/plain",
    ),
    Case(
        "JSON sent as XML",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "A"}',
        "application/xml",
    ),
    Case(
        "JSON with no content type",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "A"}',
        None,
    ),
    Case("a form sent as JSON", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, b"product_key=A", JSON),
    Case(
        "multipart without a boundary",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b"product_key=A",
        "multipart/form-data",
    ),
    Case(
        "multipart with the wrong boundary",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'--other\r\nContent-Disposition: form-data; name="product_key"\r\n\r\nA\r\n--other--\r\n',
        "multipart/form-data; boundary=XyZ",
    ),
    Case(
        "multipart upload that never ends",
        "POST",
        "/documents",
        400,
        {"error": "No file was uploaded."},
        _multipart("a.txt", b"hello")[:-12],
        "multipart/form-data; boundary=XyZ",
    ),
    # -- bodies over --max-body-bytes: a clear 413, nothing read ---------------------------------------
    Case(
        "body one byte over the limit",
        "POST",
        "/products",
        413,
        None,
        b"x" * (MAX_BODY + 1),
        JSON,
        check=_too_large,
    ),
    Case(
        "upload over the limit",
        "POST",
        "/documents",
        413,
        None,
        _multipart("big.txt", b"x" * MAX_BODY),
        "multipart/form-data; boundary=XyZ",
        check=_too_large,
    ),
    # -- deep nesting -----------------------------------------------------------------------------------
    Case(
        "JSON nested 100,000 deep",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b"[" * 100_000 + b"]" * 100_000,
    ),
    Case("JSON nested past json_decode's 512", "POST", "/products", 422, PRODUCT_KEY_REQUIRED, _nested(513)),
    Case(
        "product key nested 500 deep",
        "POST",
        "/products",
        422,
        {"message": INVALID, "errors": {"product_key": ["The product key must be a string."]}},
        b'{"product_key": ' + b"[" * 500 + b"]" * 500 + b"}",
    ),
    Case(
        "form key nested past max_input_nesting_level",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b"product_key" + b"[a]" * 65 + b"=A",
        "application/x-www-form-urlencoded",
    ),
    Case(
        "query key nested 300 deep",
        "GET",
        "/clients?x" + "[a]" * 300 + "=1",
        200,
        None,
        None,
        None,
        check=_client_list(12),
    ),
    # -- huge numbers -----------------------------------------------------------------------------------
    Case("number beyond double range", "POST", "/invoices", 422, INVOICE_REQUIRED, b'{"client_id": 1e400}'),
    Case(
        "client id beyond 64 bits",
        "POST",
        "/invoices",
        404,
        {"error": "Client not found"},
        b'{"client_id": 18446744073709551615, "invoice_items": [{"qty": 1, "cost": 1}]}',
    ),
    Case(
        "huge per_page",
        "GET",
        "/clients?per_page=99999999999999999999",
        200,
        None,
        None,
        None,
        check=_page(9223372036854775807, 1),
    ),
    Case(
        "huge page",
        "GET",
        "/clients?page=99999999999999999999&per_page=5",
        200,
        None,
        None,
        None,
        check=_page(5, 1),
    ),
    # -- NaN and Infinity: not JSON, and not numeric to PHP ----------------------------------------------
    Case("NaN literal", "POST", "/payments", 422, PAYMENT_REQUIRED, b'{"invoice_id": 2, "amount": NaN}'),
    Case(
        "Infinity literal",
        "POST",
        "/payments",
        422,
        PAYMENT_REQUIRED,
        b'{"invoice_id": 2, "amount": Infinity}',
    ),
    Case(
        "-Infinity literal",
        "POST",
        "/payments",
        422,
        PAYMENT_REQUIRED,
        b'{"invoice_id": 2, "amount": -Infinity}',
    ),
    Case("NaN as text", "POST", "/payments", 422, AMOUNT_NOT_A_NUMBER, b'{"invoice_id": 2, "amount": "NaN"}'),
    Case("INF as text", "POST", "/payments", 422, AMOUNT_NOT_A_NUMBER, b'{"invoice_id": 2, "amount": "INF"}'),
    Case(
        "digits with underscores",
        "POST",
        "/payments",
        422,
        AMOUNT_NOT_A_NUMBER,
        b'{"invoice_id": 2, "amount": "1_000"}',
    ),
    # -- invalid UTF-8 --------------------------------------------------------------------------------------
    Case(
        "invalid UTF-8 in JSON",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "\xff\xfe"}',
    ),
    Case(
        "overlong UTF-8 in JSON",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "\xc0\xaf"}',
    ),
    Case(
        "lone surrogate in JSON",
        "POST",
        "/products",
        422,
        PRODUCT_KEY_REQUIRED,
        b'{"product_key": "\\ud800"}',
    ),
    Case(
        "invalid UTF-8 in a filter",
        "GET",
        "/clients?email=%ff%fe",
        200,
        None,
        None,
        None,
        check=_client_list(0),
    ),
    Case(
        "invalid UTF-8 in the token",
        "GET",
        "/clients",
        403,
        INVALID_TOKEN,
        None,
        None,
        headers={"X-Ninja-Token": b"TOK\xffEN"},
    ),
    # -- ids that are 0, negative, huge or not numbers ------------------------------------------------------
    Case("id 0", "GET", "/clients/0", 404, RECORD_NOT_FOUND, None, None),
    Case("negative id", "GET", "/clients/-1", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("huge id", "GET", "/invoices/99999999999999999999", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("id beyond the INT column", "GET", "/payments/4294967297", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("id that is a word", "GET", "/credits/abc", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("fractional id", "GET", "/clients/1.5", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("id with a trailing NUL", "GET", "/clients/1%00", 200, None, None, None, check=_one_client(1)),
    Case("update id 0", "PUT", "/clients/0", 403, UNAUTHORIZED, b"{}"),
    Case("update negative id", "PUT", "/payments/-1", 404, RECORD_DOES_NOT_EXIST, b"{}"),
    Case("delete a word", "DELETE", "/invoices/abc", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("download id 0", "GET", "/download/0", 404, ROUTE_DOES_NOT_EXIST, None, None),
    Case("download huge id", "GET", "/download/99999999999999999999", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case("document id 0", "GET", "/documents/0", 404, RECORD_NOT_FOUND, None, None),
    # -- unknown includes: ignored, as fractal ignores them ------------------------------------------------
    Case(
        "unknown include",
        "GET",
        "/clients/1?include=nope,contacts.nope,,..",
        200,
        None,
        None,
        None,
        check=_one_client(1),
    ),
    Case(
        "include as an array",
        "GET",
        "/clients?include[]=x&include[a]=y",
        200,
        None,
        None,
        None,
        check=_client_list(12),
    ),
    # -- path traversal in document and download routes -----------------------------------------------------
    Case(
        "document id that climbs",
        "GET",
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd",
        404,
        RECORD_DOES_NOT_EXIST,
        None,
        None,
    ),
    Case("document id of dots", "GET", "/documents/%2E%2E", 404, RECORD_DOES_NOT_EXIST, None, None),
    Case(
        "download id that climbs",
        "GET",
        "/download/..%2F..%2Fetc%2Fpasswd",
        404,
        RECORD_DOES_NOT_EXIST,
        None,
        None,
    ),
    # -- the method ------------------------------------------------------------------------------------------
    Case(
        "unknown method",
        "PROPFIND",
        "/clients",
        405,
        {
            "message": "The PROPFIND method is not supported for this route. "
            "Supported methods: GET, HEAD, POST."
        },
        None,
        None,
    ),
)


def _state(admin: httpx.Client) -> Any:
    response = admin.get("/state")
    assert response.status_code == 200
    return response.json()


def _assert_no_server_errors(admin: httpx.Client) -> None:
    errors = admin.get("/errors")
    assert errors.status_code == 200
    assert errors.json()["total"] == 0, errors.json()["errors"][:1]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_gets_a_clear_answer_and_changes_nothing(
    case: Case, base_url: str, admin: httpx.Client
) -> None:
    before = _state(admin)
    headers: dict[str, str | bytes] = {"X-Ninja-Token": "TOKEN", **case.headers}
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    with httpx.Client(base_url=base_url + "/api/v1", timeout=30) as client:
        response = client.request(case.method, case.path, content=case.content, headers=headers)
        assert case.content_type is not None or "Content-Type" not in response.request.headers
    assert response.status_code == case.status, response.text[:500]
    if case.body is not None:
        assert response.json() == case.body
    if case.check is not None:
        case.check(response)
    _assert_no_server_errors(admin)
    assert _state(admin) == before


# -- requests the HTTP layer refuses before the sandbox sees them ----------------------------------------


def _raw(base_url: str, request: bytes) -> bytes:
    """Send bytes as they are (no client library would send these) and read the whole answer."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("name", "request_bytes", "status_line", "text"),
    [
        (
            "a header over 8 KiB",
            b"GET /api/v1/clients HTTP/1.1\r\nHost: x\r\nX-Ninja-Token: " + b"A" * 9000 + b"\r\n\r\n",
            b"HTTP/1.0 400 Bad Request",
            b"Got more than 8190 bytes",
        ),
        (
            "a request line over 8 KiB",
            b"GET /api/v1/clients/" + b"1" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            b"HTTP/1.0 400 Bad Request",
            b"Got more than 8190 bytes",
        ),
        (
            "a broken chunked body",
            b"POST /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Ninja-Token: TOKEN\r\n"
            b"Content-Type: application/json"
            b'\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"pro\r\nZZ\r\n',
            b"HTTP/1.0 400 Bad Request",
            b"Invalid character in chunk size",
        ),
        (
            "dot segments from the API into the admin API",
            b"GET /api/v1/documents/../../__admin/state HTTP/1.1\r\nHost: x\r\nX-Ninja-Token: TOKEN\r\n"
            b"Connection: close\r\n\r\n",
            b"HTTP/1.1 404 Not Found",
            b'"message": "Route does not exist"',
        ),
    ],
)
def test_malformed_http_is_refused_with_a_clear_400(
    name: str, request_bytes: bytes, status_line: bytes, text: bytes, base_url: str, admin: httpx.Client
) -> None:
    before = _state(admin)
    answer = _raw(base_url, request_bytes)
    assert answer.startswith(status_line), answer[:300]
    assert text in answer
    _assert_no_server_errors(admin)
    assert _state(admin) == before


def test_a_body_cut_short_by_the_client_is_not_a_server_error(base_url: str, admin: httpx.Client) -> None:
    before = _state(admin)
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/products HTTP/1.1\r\nHost: x\r\nX-Ninja-Token: TOKEN\r\n"
            b"Content-Type: application/json"
            b'\r\nContent-Length: 100\r\n\r\n{"product_key": "Cut"}'
        )
        sock.shutdown(socket.SHUT_WR)  # the client gives up: 78 bytes never come
        assert sock.recv(65536) == b""  # nobody is left to answer
    _assert_no_server_errors(admin)
    assert _state(admin) == before


# -- uploads: hostile file names are shown back, never used as paths or headers ---------------------------


@pytest.mark.parametrize(
    ("sent_name", "stored_name"),
    [
        ("../../../../../../tmp/escaped.txt", "escaped.txt"),
        ("..\\..\\windows\\escaped.txt", "escaped.txt"),
        ("/etc/passwd.txt", "passwd.txt"),
    ],
)
def test_an_upload_name_that_climbs_keeps_only_its_last_segment(
    api: httpx.Client, admin: httpx.Client, sent_name: str, stored_name: str
) -> None:
    body = _multipart(sent_name, b"climbing")
    response = api.post(
        "/documents", content=body, headers={"Content-Type": "multipart/form-data; boundary=XyZ"}
    )
    assert response.status_code == 200, response.text
    document = response.json()["data"]
    assert document["name"] == stored_name
    assert document["path"].endswith(".txt")
    assert ".." not in document["path"]
    download = api.get(f"/documents/{document['id']}")
    assert download.status_code == 200
    assert download.content == b"climbing"
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=\"{stored_name}\"; filename*=UTF-8''{stored_name}"
    )
    _assert_no_server_errors(admin)


def _upload(api: httpx.Client, raw_name: str) -> httpx.Response:
    body = _multipart(raw_name, b"headers")
    return api.post("/documents", content=body, headers={"Content-Type": "multipart/form-data; boundary=XyZ"})


@pytest.mark.parametrize(
    ("raw_name", "stored_name", "disposition"),
    [
        (
            "evil%0d%0aX-Injected: yes;.txt",  # percent signs are just characters of the name
            "evil%0d%0aX-Injected: yes;.txt",
            'attachment; filename="evil%0d%0aX-Injected: yes;.txt"; '
            "filename*=UTF-8''evil%250d%250aX-Injected%3A%20yes%3B.txt",
        ),
        (
            'say \\"hi\\".txt',  # an escaped quote inside the quoted name (PHP unescapes it)
            'say "hi".txt',
            "attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt",
        ),
        (
            "caf\u00e9\u2028.txt",  # non-ASCII, including a line separator
            "caf\u00e9\u2028.txt",
            "attachment; filename=\"caf__.txt\"; filename*=UTF-8''caf%C3%A9%E2%80%A8.txt",
        ),
    ],
)
def test_an_upload_name_cannot_inject_response_headers(
    api: httpx.Client, admin: httpx.Client, raw_name: str, stored_name: str, disposition: str
) -> None:
    response = _upload(api, raw_name)
    assert response.status_code == 200, response.text
    document = response.json()["data"]
    assert document["name"] == stored_name
    download = api.get(f"/documents/{document['id']}")
    assert download.status_code == 200
    assert download.content == b"headers"
    assert "X-Injected" not in download.headers
    assert download.headers["Content-Disposition"] == disposition
    _assert_no_server_errors(admin)


def test_a_raw_line_break_in_an_upload_name_ends_the_name(api: httpx.Client, admin: httpx.Client) -> None:
    # ``filename="x"`` then a new part header line: PHP reads the name ``x``, which has no extension.
    before = _state(admin)
    response = _upload(api, 'x"\r\nX-Injected: yes')
    assert response.status_code == 400
    assert response.json() == {"error": "Unsupported file type"}
    assert "X-Injected" not in response.headers
    _assert_no_server_errors(admin)
    assert _state(admin) == before


def test_a_huge_time_log_is_answered_and_does_not_poison_the_task_list(
    api: httpx.Client, admin: httpx.Client
) -> None:
    # PHP's ``round()`` of the duration is a float: 9.0e+30 seconds, printed as a number, not a 500.
    created = api.post("/tasks", json={"time_log": "[[1e30, 1e31]]"})
    assert created.status_code == 200, created.text
    assert created.json()["data"]["duration"] == 9e30
    listed = api.get("/tasks", params={"per_page": -1})
    assert listed.status_code == 200
    assert 9e30 in [task["duration"] for task in listed.json()["data"]]
    _assert_no_server_errors(admin)
