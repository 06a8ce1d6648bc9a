"""Crash safety: SIGKILL the server at random moments under a stream of writes of every kind.

One data file lives through the whole run. Each round opens the server to the writers, kills it
(``kill -9``) after a random number of acknowledged writes or a random delay, restarts it over the same
file and checks, through the API of the restarted server:

* the data file opens (the restart answers its health check);
* every write acknowledged with a 2xx before the kill is there, with what it was acknowledged with;
* nothing is half-applied: every invoice the writers created (answered or not) has all its items,
  every payment is reflected in its invoice's and client's balance, and the books add up;
* no request met an unexpected exception (``/__admin/errors`` is empty).

Some rounds run with ``--fsync``, some with a tiny fold threshold so kills land during folds too.
The last check starts a plain ``python -m sandbox serve`` over the file and reads the documents back.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import time
from pathlib import Path

import httpx
import pytest
from helpers.process import running_server
from rel_checks import Books, all_rows, balance_problems
from rel_servers import ForkServer
from rel_workload import Acked, Workload

pytestmark = pytest.mark.slow

MIN_KILLS = 50
MAX_KILLS = 120
TIME_BUDGET_S = 30.0
WRITERS = 6
#: A log this size triggers a fold, so some kills land while the data file is being rewritten.
SMALL_FOLD_BYTES = 96 * 1024


def _check_acknowledged(api: httpx.Client, acked: Acked, context: str) -> int:
    """Assert every acknowledged write is present and whole; returns how many were checked."""
    books = Books.read(api)
    problems = balance_problems(books)
    assert not problems, f"{context}: the books do not add up: {problems[:5]}"
    clients, invoices = books.by_id("clients"), books.by_id("invoices")
    payments, credits = books.by_id("payments"), books.by_id("credits")
    for client_id, name in acked.clients.items():
        assert client_id in clients, f"{context}: acknowledged client {client_id} lost"
        assert clients[client_id]["name"] == name, context
    for client_id in acked.archived_clients:
        assert clients[client_id]["archived_at"], f"{context}: archive of client {client_id} lost"
    for invoice_id, (po_number, count, amount) in acked.invoices.items():
        assert invoice_id in invoices, f"{context}: acknowledged invoice {invoice_id} lost"
        invoice = invoices[invoice_id]
        assert invoice["po_number"] == po_number, context
        assert invoice["amount"] == amount, context
        assert len(invoice["invoice_items"]) == count, f"{context}: invoice {invoice_id} lost items"
    for invoice in books.invoices:  # answered or not, an invoice is whole or absent
        if str(invoice["po_number"]).startswith("crash-"):
            count = int(invoice["po_number"].rsplit("-n", 1)[1])
            assert len(invoice["invoice_items"]) == count, f"{context}: half-written invoice {invoice}"
    for invoice_id in acked.sent:
        assert invoices[invoice_id]["is_public"], f"{context}: mark_sent of invoice {invoice_id} lost"
    for payment_id, (invoice_id, amount) in acked.payments.items():
        assert payment_id in payments, f"{context}: acknowledged payment {payment_id} lost"
        assert payments[payment_id]["invoice_id"] == invoice_id, context
        assert payments[payment_id]["amount"] == amount, context
    for payment_id in acked.deleted_payments:
        assert payments[payment_id]["is_deleted"], f"{context}: deletion of payment {payment_id} lost"
    for credit_id, (notes, amount) in acked.credits.items():
        assert credit_id in credits, f"{context}: acknowledged credit {credit_id} lost"
        assert (credits[credit_id]["private_notes"], credits[credit_id]["amount"]) == (notes, amount)
    documents = {int(row["id"]): row for row in all_rows(api, "/documents")}
    for document_id, (name, sha1) in acked.documents.items():
        assert document_id in documents, f"{context}: acknowledged document {document_id} lost"
        assert documents[document_id]["name"] == name, context
        assert sha1 in documents[document_id]["path"], context
    return acked.count()


def _no_server_errors(url: str, context: str) -> None:
    errors = httpx.get(url + "/__admin/errors", timeout=10)
    assert errors.status_code == 200
    assert errors.json()["total"] == 0, f"{context}: {errors.json()['errors'][:2]}"


def _round_args(round_no: int) -> tuple[list[str], int | None]:
    args = ["--fsync"] if round_no % 4 == 3 else []
    return args, SMALL_FOLD_BYTES if round_no % 3 == 1 else None


@pytest.mark.timeout(300)  # bounded by MIN_KILLS rounds; a loaded machine only makes them slower
def test_acknowledged_writes_survive_repeated_kill_9(fork: ForkServer, tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    data = tmp_path / "crash.json"
    started = time.monotonic()
    kills = checked = 0
    server = fork.spawn(data)
    with httpx.Client(base_url=server.api, headers={"X-Ninja-Token": "TOKEN"}, timeout=30) as api:
        books = Books.read(api)
        assert balance_problems(books) == []
    live = [c["id"] for c in books.clients if not c["archived_at"] and not c["is_deleted"]]
    workload = Workload(WRITERS, seed, live)
    workload.start()
    try:
        while kills < MAX_KILLS and (kills < MIN_KILLS or time.monotonic() - started < TIME_BUDGET_S):
            context = f"kill {kills + 1} (random seed {seed})"
            workload.gate.open(server.url)
            if rng.random() < 0.5:
                workload.wait_for_acks(rng.randint(0, 40), timeout=20)
            else:
                time.sleep(rng.uniform(0.0, 0.25))  # a random moment, mid-request more often than not
            status, output = fork.kill(server)
            kills += 1
            assert status == -9, f"{context}: exit {status}\n{output[-2000:]}"
            workload.gate.close()
            assert not workload.unexpected, f"{context}: {workload.unexpected[:3]}"
            with workload.lock:
                acked = copy.deepcopy(workload.acked)
            # The data file must open: a restart that fails shows the server's own words.
            args, fold_bytes = _round_args(kills)
            server = fork.spawn(data, *args, fold_bytes=fold_bytes)
            with httpx.Client(base_url=server.api, headers={"X-Ninja-Token": "TOKEN"}, timeout=30) as api:
                checked = _check_acknowledged(api, acked, context)
            _no_server_errors(server.url, context)
    finally:
        workload.stop()
    status, output = fork.terminate(server)
    assert status == 0, output[-2000:]
    assert kills >= MIN_KILLS
    assert checked >= 150, f"only {checked} acknowledged writes in {kills} kills"
    json.loads(data.read_bytes())  # a clean stop leaves one complete JSON document

    # A plain ``python -m sandbox serve`` reads the same file, documents included.
    with running_server(data) as again:
        with again.client() as api:
            assert _check_acknowledged(api, workload.acked, "final restart") == checked
            for document_id, (_, sha1) in workload.acked.documents.items():
                response = api.get(f"/documents/{document_id}")
                assert response.status_code == 200
                assert hashlib.sha1(response.content).hexdigest() == sha1
        _no_server_errors(again.url, "final restart")
        assert again.terminate() == 0
    print(f"\ncrash safety: {kills} kills, {checked} acknowledged writes checked, seed {seed}")
