"""64 clients at once creating invoices and paying them, all for the same three clients.

v4 numbers invoices from the account's counter (v4-entities.md §6): with the demo's settings (no
pattern, padding 4, shared counter) every new invoice takes the next counter value, so the numbers of
the invoices created here must be exactly the run that starts at the counter, with no gap and no
repeat. Balances must come out exact: each client's balance moves by what its invoices added and its
payments took, to the cent, and the books add up (``rel_checks``).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

import httpx
from rel_checks import Books, balance_problems

CLIENTS = 64
INVOICES_EACH = 3
SHARED_CLIENTS = (1, 2, 3)


def _worker(
    base_url: str, number: int, barrier: threading.Barrier, results: list[dict[str, Any]], failures: list[str]
) -> None:
    rng = random.Random(number)
    with httpx.Client(base_url=base_url + "/api/v1", headers={"X-Ninja-Token": "TOKEN"}, timeout=60) as api:
        barrier.wait()
        for round_no in range(INVOICES_EACH):
            client_id = SHARED_CLIENTS[(number + round_no) % len(SHARED_CLIENTS)]
            items = [
                {"product_key": f"C{number}-{round_no}", "qty": rng.randint(1, 3), "cost": rng.randint(5, 99)}
            ]
            body = {"client_id": client_id, "is_public": True, "invoice_items": items}
            created = api.post("/invoices", json=body)
            if created.status_code != 200:
                failures.append(f"invoice: {created.status_code} {created.text[:200]}")
                return
            invoice = created.json()["data"]
            # Half the payments overpay, which turns the excess into a credit (v4-entities.md §7).
            amount = round(invoice["amount"] * rng.choice((0.25, 0.5, 1.5)), 2)
            paid = api.post("/payments", json={"invoice_id": invoice["id"], "amount": amount})
            if paid.status_code != 200:
                failures.append(f"payment: {paid.status_code} {paid.text[:200]}")
                return
            results.append({"invoice": invoice, "payment": paid.json()["data"], "asked": amount})


def test_64_concurrent_clients_get_unique_gap_free_numbers_and_exact_balances(
    api: httpx.Client, admin: httpx.Client, base_url: str
) -> None:
    account = api.get("/accounts")
    assert account.status_code == 200
    counter = account.json()["data"]["invoice_number_counter"]
    before = Books.read(api)
    assert balance_problems(before) == []
    balances = {c["id"]: (c["balance"], c["paid_to_date"]) for c in before.clients}
    credits_before = len(before.credits)

    barrier = threading.Barrier(CLIENTS)
    results: list[dict[str, Any]] = []
    failures: list[str] = []
    threads = [
        threading.Thread(target=_worker, args=(base_url, n, barrier, results, failures))
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
        assert not thread.is_alive()
    assert failures == []
    created = CLIENTS * INVOICES_EACH
    assert len(results) == created

    numbers = [r["invoice"]["invoice_number"] for r in results]
    assert len(set(numbers)) == created, [n for n, c in Counter(numbers).items() if c > 1]
    assert sorted(numbers) == [f"{n:04d}" for n in range(counter, counter + created)]
    assert api.get("/accounts").json()["data"]["invoice_number_counter"] == counter + created

    after = Books.read(api)
    assert balance_problems(after) == []
    clients = after.by_id("clients")
    invoices = after.by_id("invoices")
    overpaid = 0
    for client_id in SHARED_CLIENTS:
        mine = [r for r in results if r["invoice"]["client_id"] == client_id]
        billed = sum(r["invoice"]["amount"] for r in mine)
        paid = sum(r["payment"]["amount"] for r in mine)
        balance, paid_to_date = balances[client_id]
        assert round(clients[client_id]["balance"] - (balance + billed - paid), 2) == 0
        assert round(clients[client_id]["paid_to_date"] - (paid_to_date + paid), 2) == 0
    for r in results:
        invoice, payment = r["invoice"], r["payment"]
        expected = min(r["asked"], invoice["amount"])  # an overpayment is capped at the balance
        assert payment["amount"] == expected
        overpaid += r["asked"] > invoice["amount"]
        assert invoices[invoice["id"]]["balance"] == round(invoice["amount"] - expected, 2)
        assert invoices[invoice["id"]]["invoice_status_id"] == (6 if expected == invoice["amount"] else 5)
    assert len(after.credits) == credits_before + overpaid

    errors = admin.get("/errors")
    assert errors.status_code == 200
    assert errors.json()["total"] == 0
    journal = admin.get("/requests", params={"limit": 0})
    assert journal.json()["total"] == 2 + 4 + 2 * created + 4  # the reads above and every write
