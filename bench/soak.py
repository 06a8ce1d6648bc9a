"""A long soak: 100,000 mixed requests against a real server, printing its memory every 10,000.

    .venv/bin/python bench/soak.py                  # 100,000 requests, RSS every 10,000
    .venv/bin/python bench/soak.py --requests 20000 --every 2000 --journal-limit 1000

The mix reads lists and records, updates clients and invoices (which replaces their items), archives
and restores, emails invoices (the outbox fills and drops), uploads and deletes documents, and sends
bad requests; it creates few new records, so the data itself hardly grows. With the journal and the
outbox full (``--journal-limit`` entries, or their byte budgets) the server's memory must stay flat.
The server is a real ``python -m sandbox serve`` over a data file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench import procs

ROOT = Path(__file__).resolve().parents[1]
_SERVING = re.compile(r"serving (http://\S+?)/api/v1/")


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def one_request(api: httpx.Client, i: int) -> httpx.Response:
    """The ``i``-th request of the mix."""
    client_id = 1 + i % 12
    invoice_id = 1 + i % 40
    step = i % 20
    if step == 0:
        return api.get("/clients", params={"per_page": 15})
    if step == 1:
        return api.get(f"/invoices/{invoice_id}")
    if step == 2:
        return api.put(f"/clients/{client_id}", json={"private_notes": f"soak {i}"})
    if step == 3:
        items = [{"product_key": f"SOAK-{i % 7}", "qty": 1 + i % 3, "cost": 10 + i % 50}]
        return api.put(f"/invoices/{invoice_id}", json={"invoice_items": items})
    if step == 4:
        return api.put(f"/clients/{client_id}", params={"action": "archive"})
    if step == 5:
        return api.put(f"/clients/{client_id}", params={"action": "restore"})
    if step == 6 and i % 100 == 6:
        return api.post("/email_invoice", json={"id": invoice_id})
    if step == 7 and i % 40 == 7:
        uploaded = api.post("/documents", files={"file": (f"soak-{i}.txt", os.urandom(2048), "text/plain")})
        if uploaded.status_code == 200:
            return api.delete(f"/documents/{uploaded.json()['data']['id']}")
        return uploaded
    if step == 8:
        return api.post(
            "/products", content=b'{"product_key": ', headers={"Content-Type": "application/json"}
        )
    if step == 9:
        return api.get("/clients/99999")
    if step == 10 and i % 200 == 10:
        return api.post("/clients", json={"name": f"Soak {i}"})
    if step == 11:
        return api.get("/payments", params={"per_page": 50})
    if step == 12:
        return api.get("/dashboard")
    return api.get("/ping")


def soak(
    url: str, pid: int, requests: int, every: int, report: Callable[[int, float, float], None]
) -> list[tuple[int, float]]:
    """Send ``requests`` requests; after every ``every`` of them report (count, RSS MiB, seconds).

    Raises if the server met an unexpected exception (``/__admin/errors``); v4's own 500 answers
    (an invoice whose contact has no email, say) are part of the mix.
    """
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    with httpx.Client(base_url=url + "/api/v1", headers={"X-Ninja-Token": "TOKEN"}, timeout=30) as api:
        for i in range(1, requests + 1):
            one_request(api, i)
            if i % every == 0:
                errors = httpx.get(url + "/__admin/errors", timeout=30).json()
                if errors["total"]:
                    raise RuntimeError(f"after {i} requests: {errors['errors'][0]['traceback'][-1500:]}")
                rss = rss_mb(pid)
                samples.append((i, rss))
                report(i, rss, time.monotonic() - started)
    return samples


def start(data: Path, journal_limit: int | None) -> tuple[subprocess.Popen[str], str]:
    """``python -m sandbox serve`` on a free port over ``data``; returns once it says it serves."""
    limit = [] if journal_limit is None else ["--journal-limit", str(journal_limit)]
    command = procs.serve_command(0, data, *limit)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        match = _SERVING.search(line)
        if match:
            # Keep draining its log so a full pipe never blocks it.
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, match.group(1)
    raise RuntimeError(f"the sandbox did not start (exit {proc.wait()})")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=10_000)
    parser.add_argument("--journal-limit", type=int, default=None, help="the server's --journal-limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ninja-soak-") as folder:
        proc, url = start(Path(folder) / "soak.json", args.journal_limit)
        try:
            print(f"{'requests':>9} {'RSS MiB':>8} {'seconds':>8}  (pid {proc.pid}, {url})", flush=True)
            print(f"{0:>9} {rss_mb(proc.pid):>8.1f} {0:>8.1f}", flush=True)

            def report(count: int, rss: float, seconds: float) -> None:
                print(f"{count:>9} {rss:>8.1f} {seconds:>8.1f}", flush=True)

            samples = soak(url, proc.pid, args.requests, args.every, report)
            admin = httpx.get(url + "/__admin/requests", params={"limit": 0}, timeout=30).json()
            outbox = httpx.get(url + "/__admin/outbox", params={"limit": 0}, timeout=30).json()
            print(
                f"journal: {admin['total']} kept, {admin['dropped']} dropped; "
                f"outbox: {outbox['total']} kept, {outbox['dropped']} dropped"
            )
            if len(samples) >= 3:
                later = [rss for _, rss in samples[len(samples) // 2 :]]
                print(f"RSS over the second half: {min(later):.1f} to {max(later):.1f} MiB")
            # What growth remains is data: v4 records an activity for every write.
            state = httpx.get(url + "/__admin/state", timeout=60).json()
            print(
                "rows: "
                + ", ".join(f"{len(state.get(t, {}))} {t}" for t in ("activities", "clients", "documents"))
            )
        finally:
            proc.terminate()
            proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
