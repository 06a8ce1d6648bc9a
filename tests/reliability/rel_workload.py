"""A stream of concurrent writes of every kind, recording which ones the server acknowledged.

Writer threads create clients, invoices with items, payments and credits, run actions (archive,
mark_sent), delete payments and upload documents, against whichever server is up. When it is killed
under them they park until the next one is up. Every 2xx answer is recorded in ``Acked``, so after a
restart the test can check that each acknowledged write is there, whole.

Every invoice a writer creates carries its item count in ``po_number`` (``crash-...-n3``), so even an
invoice whose answer was lost to the kill can be checked for a missing item.
"""

from __future__ import annotations

import hashlib
import random
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

TOKEN = "TOKEN"


@dataclass
class Acked:
    """Everything the server answered 2xx for, with what it must still hold."""

    clients: dict[int, str] = field(default_factory=dict)
    archived_clients: set[int] = field(default_factory=set)
    #: Clients kept for archiving: no invoice or credit goes to them, since v4 answers 404 for an
    #: archived client and another writer may archive one at any moment.
    archivable: set[int] = field(default_factory=set)
    #: Archivable clients a writer set out to archive (acknowledged or not).
    claimed_clients: set[int] = field(default_factory=set)
    invoices: dict[int, tuple[str, int, float]] = field(default_factory=dict)  # po_number, items, amount
    sent: set[int] = field(default_factory=set)
    payments: dict[int, tuple[int, float]] = field(default_factory=dict)  # invoice id, amount
    deleted_payments: set[int] = field(default_factory=set)
    #: Payments a writer set out to delete (acknowledged or not), so no other writer tries too.
    claimed_payments: set[int] = field(default_factory=set)
    credits: dict[int, tuple[str, float]] = field(default_factory=dict)  # private notes, amount
    documents: dict[int, tuple[str, str]] = field(default_factory=dict)  # name, sha1

    def count(self) -> int:
        """How many writes were acknowledged."""
        return (
            len(self.clients)
            + len(self.archived_clients)
            + len(self.invoices)
            + len(self.sent)
            + len(self.payments)
            + len(self.deleted_payments)
            + len(self.credits)
            + len(self.documents)
        )


class Gate:
    """The server the writers may use now (None while it is down), and who is parked waiting."""

    def __init__(self, writers: int) -> None:
        self.cond = threading.Condition()
        self.url: str | None = None
        self.generation = 0
        self.parked = 0
        self.writers = writers
        self.stopped = False

    def open(self, url: str) -> None:
        with self.cond:
            self.url = url
            self.generation += 1
            self.cond.notify_all()

    def close(self) -> None:
        """Take the server away; returns once every writer has parked (nothing is in flight)."""
        with self.cond:
            self.url = None
            self.generation += 1
            self.cond.notify_all()
            ok = self.cond.wait_for(lambda: self.parked == self.writers, timeout=30)
            assert ok, f"only {self.parked} of {self.writers} writers parked"

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.url = None
            self.cond.notify_all()

    def wait(self, seen: int) -> tuple[str, int] | None:
        """Park until a server newer than generation ``seen`` is up; None once stopped."""
        with self.cond:
            self.parked += 1
            self.cond.notify_all()
            self.cond.wait_for(lambda: self.stopped or (self.url is not None and self.generation > seen))
            self.parked -= 1
            if self.stopped or self.url is None:
                return None
            return self.url, self.generation

    def current(self) -> int:
        with self.cond:
            return self.generation


class Workload:
    """``writers`` threads writing until stopped; ``acked`` and ``acks`` (a running count) grow."""

    def __init__(self, writers: int, seed: int, clients: list[int]) -> None:
        self.clients = clients  # live clients to start with (the seeded ones)
        self.gate = Gate(writers)
        self.acked = Acked()
        self.lock = threading.Condition()
        self.acks = 0
        self.unexpected: list[str] = []
        self.seed = seed
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(writers)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.gate.stop()
        for thread in self.threads:
            thread.join(30)
            assert not thread.is_alive()

    def wait_for_acks(self, count: int, timeout: float) -> None:
        """Block until ``count`` more writes (than now) were acknowledged, or the time is up."""
        with self.lock:
            target = self.acks + count
            self.lock.wait_for(lambda: self.acks >= target or bool(self.unexpected), timeout=timeout)

    # -- the writers --------------------------------------------------------------------------------

    def _run(self, writer: int) -> None:
        rng = random.Random(self.seed * 1000 + writer)
        generation = 0
        sequence = 0
        while True:
            ticket = self.gate.wait(generation)
            if ticket is None:
                return
            url, generation = ticket
            with httpx.Client(base_url=url + "/api/v1", headers={"X-Ninja-Token": TOKEN}, timeout=10) as api:
                while self.gate.current() == generation:
                    sequence += 1
                    tag = f"crash-w{writer}-{sequence}"
                    try:
                        self._one_write(api, rng, tag)
                    except httpx.TransportError:
                        break  # killed under us: this write was never acknowledged

    def _ack(self, what: str, response: httpx.Response) -> dict[str, Any] | None:
        with self.lock:
            if response.status_code != 200:
                self.unexpected.append(f"{what}: {response.status_code} {response.text[:300]}")
                self.lock.notify_all()
                return None
            self.acks += 1
            self.lock.notify_all()
        data: dict[str, Any] = response.json()["data"]
        return data

    def _pick(self, rng: random.Random, pool: list[int]) -> int | None:
        return rng.choice(pool) if pool else None

    def _one_write(self, api: httpx.Client, rng: random.Random, tag: str) -> None:
        acked = self.acked
        with self.lock:
            clients = [c for c in [*self.clients, *acked.clients] if c not in acked.archivable]
            own_clients = [c for c in acked.archivable if c not in acked.claimed_clients]
            drafts = [i for i in acked.invoices if i not in acked.sent]
            invoices = list(acked.invoices)
            payments = [p for p in acked.payments if p not in acked.claimed_payments]
        kind = rng.choices(
            ["client", "invoice", "mark_sent", "payment", "credit", "archive", "delete_payment", "document"],
            weights=[3, 5, 2, 4, 2, 1, 1, 2],
        )[0]
        if kind == "client":
            data = self._ack(kind, api.post("/clients", json={"name": tag}))
            if data is not None:
                with self.lock:
                    acked.clients[int(data["id"])] = tag
                    if rng.random() < 0.3:
                        acked.archivable.add(int(data["id"]))
        elif kind == "invoice":
            count = rng.randint(1, 4)
            items = [
                {
                    "product_key": f"{tag}-{n}",
                    "notes": tag,
                    "qty": rng.randint(1, 3),
                    "cost": rng.randint(1, 90),
                }
                for n in range(count)
            ]
            po_number = f"{tag}-n{count}"
            body = {
                "client_id": rng.choice(clients),
                "po_number": po_number,
                "is_public": rng.random() < 0.5,
                "invoice_items": items,
            }
            data = self._ack(kind, api.post("/invoices", json=body))
            if data is not None:
                with self.lock:
                    acked.invoices[int(data["id"])] = (po_number, count, float(data["amount"]))
                    if data["is_public"]:
                        acked.sent.add(int(data["id"]))
        elif kind == "mark_sent" and drafts:
            invoice_id = rng.choice(drafts)
            data = self._ack(kind, api.put(f"/invoices/{invoice_id}", params={"action": "mark_sent"}))
            if data is not None:
                with self.lock:
                    acked.sent.add(invoice_id)
        elif kind == "payment" and invoices:
            invoice_id = rng.choice(invoices)
            body = {"invoice_id": invoice_id, "amount": rng.randint(1, 60), "transaction_reference": tag}
            data = self._ack(kind, api.post("/payments", json=body))
            if data is not None:
                with self.lock:
                    acked.payments[int(data["id"])] = (invoice_id, float(data["amount"]))
                    acked.sent.add(invoice_id)  # a payment marks its invoice sent first
        elif kind == "credit":
            body = {"client_id": rng.choice(clients), "amount": rng.randint(1, 50), "private_notes": tag}
            data = self._ack(kind, api.post("/credits", json=body))
            if data is not None:
                with self.lock:
                    acked.credits[int(data["id"])] = (tag, float(data["amount"]))
        elif kind == "archive" and own_clients:
            client_id = rng.choice(own_clients)
            with self.lock:
                if client_id in acked.claimed_clients:
                    return
                acked.claimed_clients.add(client_id)
            data = self._ack(kind, api.put(f"/clients/{client_id}", params={"action": "archive"}))
            if data is not None:
                with self.lock:
                    acked.archived_clients.add(client_id)
        elif kind == "delete_payment" and payments:
            payment_id = rng.choice(payments)
            with self.lock:
                if payment_id in acked.claimed_payments:
                    return
                acked.claimed_payments.add(payment_id)
            if self._ack(kind, api.delete(f"/payments/{payment_id}")) is not None:
                with self.lock:
                    acked.deleted_payments.add(payment_id)
        elif kind == "document":
            content = f"{tag} {rng.random()}\n".encode() * rng.randint(1, 50)
            name = f"{tag}.txt"
            files = {"file": (name, content, "text/plain")}
            data = self._ack(kind, api.post("/documents", files=files))
            if data is not None:
                with self.lock:
                    acked.documents[int(data["id"])] = (name, hashlib.sha1(content).hexdigest())
