"""Documents (reference §4.14): multipart upload, the file itself on show, hard delete, isolation, restart."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers.process import running_server

from sandbox.models.image_size import image_size

#: Every byte value, and the sequences a multipart parser could trip over, in one "PDF".
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\r\n--boundary\r\n\r\n--" + b"%%EOF\n"
JSON = {"Accept": "application/json"}


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes((y % 256, 90, 200)) * width for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(raw))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


def _upload(
    api: httpx.Client, name: str, data: bytes, mime: str = "application/octet-stream", **fields: Any
) -> httpx.Response:
    return api.post(
        "/documents", files={"file": (name, data, mime)}, data={k: str(v) for k, v in fields.items()}
    )


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _account_key(api: httpx.Client) -> str:
    key: str = api.get("/invoices/1").json()["data"]["account_key"]
    return key


def _listed(api: httpx.Client) -> dict[int, dict[str, Any]]:
    response = api.get("/documents", params={"per_page": -1})
    assert response.status_code == 200, response.text
    return {row["id"]: row for row in response.json()["data"]}


def test_pdf_round_trips_byte_for_byte_and_shows_v4s_fields(api: httpx.Client) -> None:
    before = _listed(api)
    document = _created(_upload(api, "Quote 2026.PDF", PDF, "application/pdf", invoice_id=1))
    sha1 = hashlib.sha1(PDF).hexdigest()
    assert document.pop("updated_at") == document.pop("created_at")
    assert document == {
        "account_key": _account_key(api),
        "is_owner": True,
        "user_id": 1,
        "id": max(before) + 1,
        "name": "Quote 2026.PDF",
        "type": "pdf",
        "path": f"{_account_key(api)}/{sha1}.pdf",
        "invoice_id": 1,
        "expense_id": 0,
        "is_deleted": False,
        "is_default": False,
        "preview": None,  # v4 answers with the unsaved model: no preview attribute yet
        "size": len(PDF),
        "width": 0,
        "height": 0,
    }
    download = api.get(f"/documents/{document['id']}")
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(PDF))
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Quote 2026.PDF\"; filename*=UTF-8''Quote%202026.PDF"
    )
    listed = _listed(api)[document["id"]]
    assert "user_id" not in listed
    assert listed["preview"] == ""  # what the database column holds


def test_png_round_trips_with_its_size_and_a_preview_when_large(api: httpx.Client) -> None:
    small, large = _png(40, 30), _png(640, 200)
    first = _created(_upload(api, "small.png", small, "image/png"))
    assert (first["type"], first["width"], first["height"], first["size"]) == ("png", 40, 30, len(small))
    assert first["preview"] is None
    second = _created(_upload(api, "photos/large.PNG", large, "image/png", is_default=1))
    sha1 = hashlib.sha1(large).hexdigest()
    assert second["name"] == "large.PNG"
    assert (second["width"], second["height"], second["is_default"]) == (640, 200, True)
    assert second["preview"] == f"{_account_key(api)}/{sha1}.png.x300.png"
    for document, data in ((first, small), (second, large)):
        download = api.get(f"/documents/{document['id']}")
        assert download.status_code == 200
        assert download.content == data
        assert download.headers["content-type"] == "image/png"


def test_extensions_are_normalised_and_text_gets_a_charset(api: httpx.Client) -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    jpeg += b"\xff\xc0\x00\x11\x08\x01\x2c\x01\x90\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9"
    photo = _created(_upload(api, "scan.JPG", jpeg, "image/jpeg"))
    assert (photo["type"], photo["width"], photo["height"]) == ("jpeg", 400, 300)
    assert photo["preview"].endswith(".jpeg.x300.jpeg")
    tiff = _created(_upload(api, "fax.tif", b"II*\x00\x08\x00\x00\x00\x00\x00"))
    assert (tiff["type"], tiff["preview"]) == ("tiff", None)
    note = _created(_upload(api, "note.txt", b"hello\r\n"))
    download = api.get(f"/documents/{note['id']}")
    assert download.headers["content-type"] == "text/plain; charset=UTF-8"
    assert download.content == b"hello\r\n"


def test_invoice_include_documents_shows_the_upload(api: httpx.Client) -> None:
    document = _created(_upload(api, "order.pdf", PDF, invoice_id=3))
    invoice = api.get("/invoices/3", params={"include": "documents"}).json()["data"]
    shown = [d for d in invoice["documents"] if d["id"] == document["id"]]
    assert len(shown) == 1
    assert shown[0]["invoice_id"] == 3
    assert shown[0]["name"] == "order.pdf"
    assert "documents" not in api.get("/invoices/3").json()["data"]


def test_delete_removes_row_and_file_and_returns_the_document(api: httpx.Client) -> None:
    document = _created(_upload(api, "gone.pdf", PDF, invoice_id=1))
    deleted = api.delete(f"/documents/{document['id']}")
    assert deleted.status_code == 200
    body = deleted.json()["data"]
    assert (body["id"], body["name"], body["invoice_id"], body["is_deleted"]) == (
        document["id"],
        "gone.pdf",
        1,
        False,
    )
    assert "user_id" not in body
    missing = api.get(f"/documents/{document['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"message": "record does not exist"}
    assert document["id"] not in _listed(api)
    invoice = api.get("/invoices/1", params={"include": "documents"}).json()["data"]
    assert document["id"] not in [d["id"] for d in invoice["documents"]]
    # A hard delete hands the highest public id out again, as v4's max(public_id) + 1 does.
    again = _created(_upload(api, "again.pdf", PDF))
    assert again["id"] == document["id"]


def test_a_shared_file_stays_until_its_last_document_goes(api: httpx.Client) -> None:
    first = _created(_upload(api, "a.pdf", PDF))
    second = _created(_upload(api, "b.pdf", PDF))
    assert first["path"] == second["path"]
    assert api.delete(f"/documents/{first['id']}").status_code == 200
    assert api.get(f"/documents/{second['id']}").content == PDF


def test_seeded_documents_download_and_match_their_rows(api: httpx.Client) -> None:
    seeded = _listed(api)
    assert len(seeded) >= 2
    assert any(d["invoice_id"] for d in seeded.values())
    for document in seeded.values():
        download = api.get(f"/documents/{document['id']}")
        assert download.status_code == 200, document
        assert len(download.content) == document["size"]
        assert document["path"].endswith(f"/{hashlib.sha1(download.content).hexdigest()}.{document['type']}")
        if document["type"] == "png":
            assert image_size(download.content) == (document["width"], document["height"])
        if document["type"] == "pdf":
            assert download.content.startswith(b"%PDF-")


def test_reset_forgets_uploads_and_keeps_seeded_files(api: httpx.Client, admin: httpx.Client) -> None:
    seeded = _listed(api)
    document = _created(_upload(api, "temp.pdf", PDF))
    assert admin.post("/reset").status_code == 200
    assert api.get(f"/documents/{document['id']}").status_code == 404
    assert _listed(api) == seeded
    for document_id in seeded:
        assert api.get(f"/documents/{document_id}").status_code == 200


def test_unsupported_type_oversize_and_missing_file_are_400s(api: httpx.Client) -> None:
    before = _listed(api)
    for name in ("virus.exe", "noextension", "archive.tar.gz", ".pdf.zip"):
        response = _upload(api, name, b"MZ")
        assert response.status_code == 400, name
        assert response.json() == {"error": "Unsupported file type"}
    huge = _upload(api, "huge.pdf", b"0" * 10_000_001)
    assert huge.status_code == 400
    assert huge.json() == {"error": "File too large"}
    assert _created(_upload(api, "limit.txt", b"0" * 10_000_000))["size"] == 10_000_000
    for response in (
        api.post("/documents", json={"invoice_id": 1}),
        api.post("/documents", data={"file": "not a file"}, files={"other": ("a.pdf", PDF)}),
        api.post("/documents", files={"file": ("", b"")}),
    ):
        assert response.status_code == 400
        assert response.json() == {"error": "No file was uploaded."}
    assert len(_listed(api)) == len(before) + 1


def test_unknown_or_trashed_parents_are_not_found(api: httpx.Client) -> None:
    for fields in ({"invoice_id": 9999}, {"expense_id": 9999}, {"invoice_public_id": "abc"}):
        response = _upload(api, "a.pdf", PDF, **fields)
        assert response.status_code == 404, fields
        assert response.json() == {"message": "record does not exist"}
    assert api.put("/invoices/2", params={"action": "archive"}).status_code == 200
    assert _upload(api, "a.pdf", PDF, invoice_id=2).status_code == 404
    via_public = _created(_upload(api, "a.pdf", PDF, invoice_public_id=1))
    assert via_public["invoice_id"] == 1


def test_invoice_and_expense_together_keeps_the_invoice(api: httpx.Client) -> None:
    expense_ids = [d["expense_id"] for d in _listed(api).values() if d["expense_id"]]
    if not expense_ids:
        pytest.skip("the dataset has no expense with a document")
    alone = _created(_upload(api, "r.pdf", PDF, expense_id=expense_ids[0]))
    assert (alone["invoice_id"], alone["expense_id"]) == (0, expense_ids[0])
    both = _created(_upload(api, "r.pdf", PDF, invoice_id=1, expense_id=expense_ids[0]))
    assert (both["invoice_id"], both["expense_id"]) == (1, 0)


def test_put_is_refused_as_a_method_the_route_lacks(api: httpx.Client) -> None:
    for method in ("PUT", "PATCH"):
        response = api.request(method, "/documents/1", headers=JSON, json={"name": "x"})
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD, DELETE"
        message = (
            f"The {method} method is not supported for this route. Supported methods: GET, HEAD, DELETE."
        )
        assert response.json() == {"message": message}
    assert api.get("/documents/1").status_code == 200


def test_empty_and_unknown_ids(api: httpx.Client) -> None:
    assert api.get("/documents/0").json() == {"error": "Record not found"}
    assert api.get("/documents/0").status_code == 404
    unknown = api.get("/documents/9999")
    assert (unknown.status_code, unknown.json()) == (404, {"message": "record does not exist"})
    assert api.delete("/documents/0", headers=JSON).status_code == 403
    assert api.delete("/documents/9999").status_code == 404


def test_names_cannot_traverse_or_inject_headers(api: httpx.Client) -> None:
    boundary = "XyZ"
    name = '..\\..//etc/pa"ss\nX-Evil: 1\r.txt'
    quoted = name.replace('"', '\\"')
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
        f"Content-Type: text/plain\r\n\r\nsecret\r\n--{boundary}--\r\n"
    ).encode()
    response = api.post(
        "/documents", content=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    document = _created(response)
    assert document["name"] == 'pa"ss\nX-Evil: 1\r.txt'
    assert document["path"] == f"{_account_key(api)}/{hashlib.sha1(b'secret').hexdigest()}.txt"
    download = api.get(f"/documents/{document['id']}")
    assert download.content == b"secret"
    assert "x-evil" not in download.headers
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"pa_ss_X-Evil: 1_.txt\"; filename*=UTF-8''pa%22ss%0AX-Evil%3A%201%0D.txt"
    )


def test_another_account_cannot_see_or_delete_a_document(api: httpx.Client, other_api: httpx.Client) -> None:
    document = _created(_upload(api, "private.pdf", PDF))
    other_ids = set(_listed(other_api))
    assert document["id"] not in other_ids
    for response in (
        other_api.get(f"/documents/{document['id']}"),
        other_api.delete(f"/documents/{document['id']}"),
    ):
        assert response.status_code == 404
        assert response.json() == {"message": "record does not exist"}
    assert api.get(f"/documents/{document['id']}").content == PDF
    # The other account's own ids do not reach this account's invoices either.
    assert _upload(other_api, "x.pdf", PDF, invoice_id=9999).status_code == 404
    mine = _created(_upload(other_api, "mine.pdf", PDF))
    assert mine["account_key"] != document["account_key"]
    assert mine["path"] != document["path"]


def test_lists_come_in_database_order_and_ignore_client_id(api: httpx.Client) -> None:
    _created(_upload(api, "last.pdf", PDF))
    rows = api.get("/documents", params={"per_page": -1, "client_id": 1}).json()["data"]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert rows[-1]["name"] == "last.pdf"


def test_image_size_reads_headers() -> None:
    assert image_size(_png(3, 2)) == (3, 2)
    assert image_size(b"GIF89a" + struct.pack("<HH", 17, 9) + b"\x00" * 4) == (17, 9)
    assert image_size(b"8BPS\x00\x01" + b"\x00" * 8 + struct.pack(">II", 50, 70)) == (70, 50)
    tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 2)
    tiff += struct.pack(">HHIHH", 256, 3, 1, 12, 0) + struct.pack(">HHII", 257, 4, 1, 34)
    assert image_size(tiff) == (12, 34)
    assert image_size(b"\xff\xd8\xff\xda\x00\x02") is None
    assert image_size(b"not an image") is None


@pytest.mark.slow
def test_uploads_survive_kill_9_and_deletes_stay_deleted(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    files = tmp_path / "data.json.documents"
    png = _png(320, 320)
    with running_server(data) as server:
        with server.client() as client:
            kept = _created(_upload(client, "kept.pdf", PDF, invoice_id=1))
            image = _created(_upload(client, "image.png", png))
            dropped = _created(_upload(client, "dropped.txt", b"bye"))
            assert client.delete(f"/documents/{dropped['id']}").status_code == 200
        server.kill()
    assert (files / "1" / f"{hashlib.sha1(PDF).hexdigest()}.pdf").read_bytes() == PDF
    assert not (files / "1" / f"{hashlib.sha1(b'bye').hexdigest()}.txt").exists()
    with running_server(data) as server, server.client() as client:
        assert client.get(f"/documents/{kept['id']}").content == PDF
        assert client.get(f"/documents/{image['id']}").content == png
        assert client.get(f"/documents/{dropped['id']}").status_code == 404
        invoice = client.get("/invoices/1", params={"include": "documents"}).json()["data"]
        assert kept["id"] in [d["id"] for d in invoice["documents"]]
        assert httpx.post(server.url + "/__admin/reset").status_code == 200
        assert client.get(f"/documents/{kept['id']}").status_code == 404
        seeded = _listed(client)
        assert seeded
        for document_id in seeded:
            assert client.get(f"/documents/{document_id}").status_code == 200
    assert not (files / "1" / f"{hashlib.sha1(PDF).hexdigest()}.pdf").exists()


@pytest.mark.slow
def test_a_crash_between_file_and_row_leaves_no_stray_file(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    with running_server(data) as server:
        server.terminate()
    stray = tmp_path / "data.json.documents" / "1" / f"{'0' * 40}.pdf"
    stray.write_bytes(b"written, never committed")
    torn = stray.with_name(f".{'1' * 40}.pdf.123.tmp")
    torn.write_bytes(b"half")
    with running_server(data) as server, server.client() as client:
        assert _listed(client)
        assert not stray.exists()
        assert not torn.exists()
