"""Every curl line of the v4 docs in ../shared/seeds, run with real curl against the sandbox."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
CONTINUATION = re.compile(r"\\\s*\n\s*")


def _curl_lines(text: str) -> list[str]:
    joined = CONTINUATION.sub(" ", text.replace("|", ""))
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def _client_examples() -> list[str]:
    if not SEEDS.is_dir():
        return []
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in _curl_lines(path.read_text()) if "/clients" in line]
    return lines


EXAMPLES = _client_examples()


def _money_examples() -> list[str]:
    if not SEEDS.is_dir():
        return []
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in _curl_lines(path.read_text()) if "/clients" not in line]
    return lines


MONEY_EXAMPLES = _money_examples()


def _run(line: str, host: str, email: str) -> tuple[int, dict[str, str], str]:
    command = line.replace("ninja.test", host).replace("<value>", email)
    args = shlex.split(command)
    args[1:1] = ["-s", "-i"]
    done = subprocess.run(args, capture_output=True, timeout=20, check=True)
    head, _, body = done.stdout.decode().partition("\r\n\r\n")
    status = int(head.split()[1])
    headers = dict(h.split(": ", 1) for h in head.split("\r\n")[1:])
    return status, headers, body


def test_seed_documents_hold_client_examples() -> None:
    assert SEEDS.is_dir(), "../shared/seeds must sit beside the repository"
    assert len(EXAMPLES) >= 8


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("line", EXAMPLES)
def test_seed_client_example_works_against_the_sandbox(line: str, api: httpx.Client) -> None:
    host = str(api.base_url.netloc.decode())
    email = api.get("/contacts/1").json()["data"]["email"]
    try:
        status, headers, body = _run(line, host, email)
    except ValueError:
        pytest.xfail("the docs page's quoting is broken (an opening ' closed by \"): no shell can run it")
    if "X-API-TOKEN" in line and "X-Ninja-Token" not in line:
        # The v5 header name: v4 answers 403, and the sandbox says why in a header.
        assert status == 403
        assert json.loads(body) == {"error": {"message": "Invalid token"}}
        assert "X-Ninja-Token" in headers["X-Sandbox-Hint"]
        return
    assert status == 200, body
    data = json.loads(body)["data"]
    if "email=" in line:
        assert [client["id"] for client in data] == [1]
    elif "id_number=" in line:
        assert data == []  # the demo's clients have no id numbers
    elif "-X POST" in line:
        assert data["name"] == "Client"
        assert data["contacts"][0]["email"] == "test@example.com"
    elif "-X PUT" in line:
        assert data["name"] == "test"
        assert data["contacts"][0]["first_name"] == "test"
    elif "include=invoices.invitations" in line:
        assert data["invoices"]
        assert all(invoice["invitations"][0]["link"].startswith("http") for invoice in data["invoices"])
    else:
        assert isinstance(data, list | dict)


def test_seed_documents_hold_invoice_examples() -> None:
    assert len(MONEY_EXAMPLES) >= 14
    assert any("/download/1" in line for line in MONEY_EXAMPLES)
    assert any("/email_invoice" in line for line in MONEY_EXAMPLES)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("line", MONEY_EXAMPLES)
def test_seed_invoice_example_works_against_the_sandbox(
    line: str, api: httpx.Client, admin: httpx.Client
) -> None:
    host = str(api.base_url.netloc.decode())
    number = api.get("/invoices/1").json()["data"]["invoice_number"]
    command = line.replace("ninja.test", host).replace("<value>", number)
    args = shlex.split(command)
    args[1:1] = ["-s", "-D", "-", "-o", "-"]
    done = subprocess.run(args, capture_output=True, timeout=20, check=True)
    head, _, body = done.stdout.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert status == 200, body
    if "/download/" in line:
        assert body.startswith(b"%PDF-")
        assert b'filename="Invoice_' in head
        return
    payload = json.loads(body)
    if "/email_invoice" in line:
        assert payload == {"message": "success"}
        assert admin.get("/outbox").json()["total"] >= 1
        return
    data = payload["data"]
    if "invoice_number=" in line:
        assert [row["invoice_number"] for row in data] == [number]
    elif "action=archive" in line:
        assert data["id"] == 1
        assert data["archived_at"] is not None
    elif "-X POST" in line:
        item = data["invoice_items"][0]
        assert (item["product_key"], item["notes"], item["cost"], item["qty"]) == ("ITEM", "Test", 10, 1)
        assert data["amount"] == 10
        assert data["client_id"] == 1
    elif "/invoices/1" in line:
        assert data["id"] == 1
    else:
        assert data
        assert all("invoice_items" in row for row in data)
