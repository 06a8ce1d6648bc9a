"""The bench: every case on the demo data and on 100,000 invoices, against a bare aiohttp baseline.

``bench/run`` (or ``python -m bench``) runs it all and prints the tables; ``--quick`` runs shorter.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import dataset, fixture_cost, load, procs, report
from bench.targets import targets_table

TOKEN_HEADERS = {"X-Ninja-Token": "TOKEN", "Accept": "application/json"}
JSON_HEADERS = {**TOKEN_HEADERS, "Content-Type": "application/json"}
INVOICE_BODY = {
    "client_id": 1,
    "invoice_items": [
        {"product_key": "Bench A", "notes": "First line", "cost": 10, "qty": 1},
        {"product_key": "Bench B", "notes": "Second line", "cost": 20.5, "qty": 2},
        {"product_key": "Bench C", "notes": "Third line", "cost": 7.25, "qty": 3},
    ],
}
CACHE = Path(tempfile.gettempdir()) / "ninja-sandbox-bench"


@dataclass(frozen=True)
class Case:
    """One benchmarked request; ``base`` names the baseline request it is compared with."""

    name: str
    request: load.Request
    base: load.Request | None


def _get(path: str, unique: bool = False) -> load.Request:
    return load.Request("GET", path, headers=TOKEN_HEADERS, unique=unique)


def cases(client_contacts: list[int]) -> list[Case]:
    """The cases, in the order they run (reads first, on untouched data)."""
    one = _get("/api/v1/clients/1")
    page = _get("/api/v1/invoices?per_page=15")
    by_client = _get("/api/v1/invoices?client_id=1")
    post = load.Request("POST", "/api/v1/invoices", json.dumps(INVOICE_BODY).encode(), JSON_HEADERS)
    contacts = [
        {"id": cid, "first_name": "Bench", "last_name": f"Contact {n}", "email": f"bench{n}@example.com"}
        for n, cid in enumerate(client_contacts, 1)
    ]
    put_body = {"name": "Bench Client", "contacts": contacts}
    put = load.Request("PUT", "/api/v1/clients/1", json.dumps(put_body).encode(), JSON_HEADERS)
    return [
        Case("GET /clients/1", one, one),
        Case("GET /clients/1 (every request distinct)", _get(one.path, True), one),
        Case("GET /invoices?per_page=15", page, page),
        Case("GET /invoices?per_page=15 (every request distinct)", _get(page.path, True), page),
        Case("GET /invoices?client_id=1", by_client, by_client),
        Case("GET /invoices?client_id=1 (every request distinct)", _get(by_client.path, True), by_client),
        Case("POST /invoices (3 lines, data file + log)", post, post),
        Case("PUT /clients/1 with contacts", put, put),
    ]


def _send(url: str, request: load.Request) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request(request.method, request.path, body=request.body or None, headers=request.headers)
        answer = connection.getresponse()
        body = answer.read()
        kept = {k: v for k, v in answer.getheaders() if k.lower() not in ("content-length", "date", "server")}
        return answer.status, kept, body
    finally:
        connection.close()


def record_answer(sandbox_url: str, bare_url: str, request: load.Request) -> None:
    """Ask the sandbox the request once and give its answer to the bare baseline to repeat."""
    status, headers, body = _send(sandbox_url, request)
    if status >= 300:
        raise RuntimeError(f"{request.method} {request.path} answered {status}: {body[:500]!r}")
    route, _, query = request.path.partition("?")
    entry = {"method": request.method, "path": route, "query": query, "status": status, "headers": headers}
    entry["body"] = base64.b64encode(body).decode()
    recorded = load.Request("POST", "/__bare/answers", json.dumps(entry).encode())
    if _send(bare_url, recorded)[0] != 204:
        raise RuntimeError("the baseline did not take the recorded answer")


def time_resets(url: str, count: int) -> report.Timing:
    """``POST /__admin/reset`` ``count`` times on one keep-alive connection, timed from the client.

    Each reset follows a write (``POST /api/v1/clients``, not timed): a reset with nothing to undo
    has no data to swap, and would measure only the clearing of the journal and the clock.
    """
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    values = []
    write = json.dumps({"name": "Bench Reset"}).encode()
    try:
        for _ in range(count + 3):
            connection.request("POST", "/api/v1/clients", body=write, headers=JSON_HEADERS)
            written = connection.getresponse()
            written.read()
            if written.status != 200:
                raise RuntimeError(f"the write before a reset answered {written.status}")
            started = time.perf_counter()
            connection.request(
                "POST", "/__admin/reset", body=b"{}", headers={"Content-Type": "application/json"}
            )
            answer = connection.getresponse()
            answer.read()
            values.append((time.perf_counter() - started) * 1000)
            if answer.status != 200:
                raise RuntimeError(f"reset answered {answer.status}")
    finally:
        connection.close()
    return report.Timing(values[3:])  # the first ones build the seeded state once


@dataclass(frozen=True)
class Options:
    """How long and how often to run."""

    seconds: float
    runs: int
    warmup: float
    connections: int
    cold_starts: int
    resets: int
    fixture_tests: int
    fixture_repeats: int


def _sample(cores: procs.Cores, url: str, request: load.Request, opts: Options) -> load.Sample:
    return load.run(cores, url, request, opts.seconds, opts.connections)


def run_dataset(
    name: str, data: Path, invoices: int, cores: procs.Cores, opts: Options
) -> report.DatasetResult:
    """Cold starts, then every case against the sandbox and the baseline, runs interleaved."""
    result = report.DatasetResult(name, invoices)
    work = Path(tempfile.mkdtemp(prefix=f"ninja-bench-{name}-"))
    try:
        copy = work / "data.json"
        starts = []
        sandbox = None
        for attempt in range(opts.cold_starts):
            shutil.copyfile(data, copy)  # every start reads the same file, with no log to replay
            sandbox = procs.start_sandbox(cores, copy)
            starts.append(sandbox.startup_s * 1000)
            result.idle_rss_mb = sandbox.rss_mb()
            if attempt < opts.cold_starts - 1:
                sandbox.stop()
        assert sandbox is not None
        result.cold_start = report.Timing(starts)
        print(f"  {name}: cold start {result.cold_start.text()}, RSS {result.idle_rss_mb:.0f} MB", flush=True)
        client = json.loads(_send(sandbox.url, _get("/api/v1/clients/1"))[2])["data"]
        all_cases = cases([contact["id"] for contact in client["contacts"]])
        bare = procs.start_bare(cores)
        recorded: set[tuple[str, str]] = set()
        try:
            for case in all_cases:
                # Recorded just before the case runs, so the baseline answers with what the sandbox
                # answers at that point (the writes come last).
                if case.base is not None and (case.base.method, case.base.path) not in recorded:
                    record_answer(sandbox.url, bare.url, case.base)
                    recorded.add((case.base.method, case.base.path))
                load.run(cores, sandbox.url, case.request, opts.warmup, opts.connections)
                if case.base is not None:
                    load.run(cores, bare.url, case.base, opts.warmup, opts.connections)
                mine, base = [], []
                for _ in range(opts.runs):
                    if case.base is not None:
                        base.append(_sample(cores, bare.url, case.base, opts))
                    mine.append(_sample(cores, sandbox.url, case.request, opts))
                row = report.CaseResult(
                    case.name,
                    name,
                    load.Summary(tuple(mine)),
                    load.Summary(tuple(base)) if base else None,
                    sandbox.rss_mb(),
                )
                result.cases.append(row)
                if row.sandbox.errors:
                    print(f"  WARNING: {case.name}: {row.sandbox.errors} answers were not 2xx", flush=True)
                print(
                    f"  {name}: {case.name}: {row.sandbox.rps:,.0f} req/s, RSS {row.rss_mb:.0f} MB",
                    flush=True,
                )
            if opts.resets and invoices < 1000:
                result.reset = time_resets(sandbox.url, opts.resets)
        finally:
            bare.stop()
            sandbox.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def demo_data(cores: procs.Cores) -> Path:
    """The demo dataset's data file, as the sandbox writes it when it starts on a new file."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / "demo.json"
    for stale in CACHE.glob("demo.json*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    procs.start_sandbox(cores, path).stop()
    return path


def large_data(invoices: int) -> Path:
    """The large dataset's data file, built once per version of its generator and of the seed code."""
    digest = hashlib.sha256()
    for source in sorted([Path(dataset.__file__), *(procs.ROOT / "sandbox" / "seed").glob("*.py")]):
        digest.update(source.read_bytes())
    path = CACHE / f"invoices-{invoices}-{digest.hexdigest()[:12]}.json"
    if not path.exists():
        print(f"building the {invoices:,}-invoice data file (once): {path}", flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob(f"invoices-{invoices}-*.json"):
            old.unlink()
        dataset.build(path, invoices)
    return path


def main(argv: list[str] | None = None) -> int:
    """Run everything and print the tables."""
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs (about 3 minutes in all)")
    parser.add_argument("--invoices", type=int, default=100_000, help="invoices in the large dataset")
    parser.add_argument("--seconds", type=int, help="seconds per wrk run (whole seconds)")
    parser.add_argument("--runs", type=int, help="runs per case")
    parser.add_argument(
        "--no-readme", action="store_true", help="do not write the tables into bench/README.md"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    opts = Options(
        seconds=args.seconds or (1.0 if quick else 3.0),
        runs=args.runs or (2 if quick else 3),
        warmup=1.0,
        connections=32,
        cold_starts=2 if quick else 3,
        resets=50 if quick else 200,
        fixture_tests=200,
        fixture_repeats=1 if quick else 3,
    )
    started = time.perf_counter()
    cores = procs.plan_cores()
    machine = procs.machine()
    print(f"machine: {machine}\nplacement: {cores.describe()}", flush=True)
    procs.precompile()
    small = run_dataset("demo", demo_data(cores), 79, cores, opts)
    large = run_dataset(f"{args.invoices // 1000}k", large_data(args.invoices), args.invoices, cores, opts)
    print("  fixture cost ...", flush=True)
    fixture = fixture_cost.measure(opts.fixture_tests, opts.fixture_repeats)
    results = [small, large]
    text = "\n\n".join(
        [
            _machine_text(machine, cores, opts, time.perf_counter() - started, quick),
            "### Requests\n\n" + report.throughput_table(results, opts.seconds, opts.runs, opts.connections),
            "### Growth\n\n" + report.growth_table(small, large),
            "### Start-up, reset, fixture, memory\n\n" + report.other_table(results, fixture),
            "### Targets\n\n" + targets_table(small, large, fixture),
        ]
    )
    print("\n" + text)
    if not args.no_readme and not quick:
        report.update_readme(text)
        print(f"\n(written to {report.README})")
    return 0


def _machine_text(
    machine: dict[str, str], cores: procs.Cores, opts: Options, took: float, quick: bool
) -> str:
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/run{' --quick' if quick else ''}` "
        f"in {took / 60:.1f} min.",
        "",
    ]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines.append(f"- placement: {cores.describe()}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
