"""Seed factory: projects and tracked time, made by the same rules the API runs.

Per account: the kanban's four task statuses; a few projects for some clients, each with its own
rate and budget; tasks with realistic time logs (working-hour sessions on past days), most of them
for a client and many inside a project; a timer or two still running at the dataset's "now"; and
tasks already billed on one of their client's invoices, logged before that invoice was written.
Everything is written through ``sandbox.models`` at its moment in the past, in time order, so public
ids, activities and timestamps agree with what the API would have produced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sandbox.models.accounts import Actor, Env
from sandbox.models.projects import new_project
from sandbox.models.static_data import StaticData
from sandbox.models.tasks import encode_time_log, save_task
from sandbox.models.trash import archive_entity
from sandbox.seed.builder import SeedBuilder
from sandbox.store import Record, Store

DAY = 86400
STATUSES = ("Backlog", "Ready to do", "In progress", "Done")
PROJECT_NAMES = (
    "Website redesign",
    "Mobile app",
    "SEO audit",
    "Data migration",
    "Brand refresh",
    "Support retainer",
    "Onboarding portal",
    "Infrastructure upgrade",
    "Quarterly reporting",
    "Checkout revamp",
)
DESCRIPTIONS = (
    "Kick-off meeting and requirements",
    "Wireframes for the landing page",
    "Design review with the client",
    "Implement the contact form",
    "Fix layout issues on mobile",
    "Database schema changes",
    "Write the API integration",
    "Code review and refactoring",
    "Prepare the staging deployment",
    "Performance tuning",
    "Content updates",
    "Weekly status call",
    "Bug triage",
    "Write the user documentation",
    "Accessibility fixes",
    "Migrate the legacy records",
)
RATES = (0.0, 65.0, 85.0, 95.0, 120.0, 150.0)
BUDGETS = (10.0, 20.0, 40.0, 60.0, 80.0, 120.0)
NOTES = ("", "", "Fixed scope, billed monthly.", "Client prefers email updates.")


@dataclass
class _Plan:
    """One task to write: when, for whom, and its time log."""

    when: int
    data: dict[str, Any]
    invoice: Record | None = None
    status: int | None = None
    archive: bool = False


def _sessions(builder: SeedBuilder, first_day: int, count: int) -> list[list[Any]]:
    """``count`` working-hour sessions on separate days from ``first_day`` (a midnight) on."""
    rng = builder.rng
    log: list[list[Any]] = []
    day = first_day
    for _ in range(count):
        start = day + rng.randint(8 * 12, 15 * 12) * 300
        log.append([start, start + rng.randint(2, 14) * 900])
        day += rng.randint(1, 4) * DAY
    return log


def _midnight(ts: int) -> int:
    return ts - ts % DAY


def _first_day(builder: SeedBuilder, earliest: int, latest: int) -> int:
    """A midnight between ``earliest`` and ``latest`` (``latest`` when the range is empty)."""
    return _midnight(builder.rng.randint(min(earliest, latest), latest))


def _statuses(store: Store, account: Record, owner: Record, when: int) -> list[int]:
    ids = []
    for order, name in enumerate(STATUSES):
        status = store.insert(
            "task_statuses",
            {
                "account_id": account["doc_id"],
                "user_id": owner["doc_id"],
                "public_id": store.next_public_id("task_statuses", account["doc_id"]),
                "name": name,
                "sort_order": order,
                "created_at": when,
                "updated_at": when,
                "deleted_at": None,
            },
        )
        ids.append(int(status["public_id"]))
    return ids


def _older_than(builder: SeedBuilder, clients: list[Record], days: int) -> list[Record]:
    """The clients created at least ``days`` before the anchor (the oldest one when none is)."""
    cutoff = builder.anchor_ts - days * DAY
    old = [client for client in clients if int(client["created_at"]) <= cutoff]
    return old or [min(clients, key=lambda client: int(client["created_at"]))]


def _projects(builder: SeedBuilder, env_at: Callable[[int], Env], clients: list[Record]) -> list[Record]:
    rng = builder.rng
    candidates = _older_than(builder, clients, 120)
    chosen = sorted(rng.sample(range(len(candidates)), max(1, len(candidates) // 2)))
    specs = []
    for index in chosen:
        client = candidates[index]
        for _ in range(rng.randint(1, 2)):
            when = max(builder.past(240, 90), int(client["created_at"]) + DAY)
            specs.append((when, client))
    specs.sort(key=lambda spec: (spec[0], spec[1]["public_id"]))
    projects = []
    for when, client in specs:
        data = {
            "name": rng.choice(PROJECT_NAMES),
            "client_id": client["public_id"],
            "task_rate": rng.choice(RATES),
            "budgeted_hours": rng.choice(BUDGETS),
            "due_date": _day(when + rng.randint(30, 200) * DAY),
            "private_notes": rng.choice(NOTES),
        }
        projects.append(new_project(env_at(when), data))
    return projects


def _day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()


def _logged(builder: SeedBuilder, data: dict[str, Any], first_day: int, sessions: int) -> _Plan:
    log = _sessions(builder, first_day, sessions)
    data = {**data, "description": builder.rng.choice(DESCRIPTIONS), "time_log": encode_time_log(log)}
    return _Plan(when=int(log[-1][1]) + builder.rng.randint(1, 30) * 60, data=data)


def _plans(
    builder: SeedBuilder, store: Store, account: Record, clients: list[Record], projects: list[Record]
) -> list[_Plan]:
    rng = builder.rng
    anchor = _midnight(builder.anchor_ts)
    plans: list[_Plan] = []
    for project in projects:
        for _ in range(rng.randint(2, 4)):
            first = _first_day(builder, int(project["created_at"]) + DAY, anchor - 20 * DAY)
            plans.append(_logged(builder, {"project_id": project["public_id"]}, first, rng.randint(1, 4)))
    settled = _older_than(builder, clients, 15)
    for client in rng.sample(settled, min(len(settled), 4)):
        earliest = max(int(client["created_at"]) + DAY, anchor - 120 * DAY)
        first = _first_day(builder, earliest, anchor - 10 * DAY)
        plans.append(_logged(builder, {"client_id": client["public_id"]}, first, rng.randint(1, 3)))
    plans.append(_logged(builder, {}, anchor - rng.randint(5, 30) * DAY, 1))
    # Billed work: logged in the weeks before one of the client's own invoices.
    joined = {client["public_id"]: int(client["created_at"]) for client in clients}
    invoices = [
        row
        for row in store.rows("invoices", account["doc_id"])
        if row.get("invoice_type_id") == 1
        and not row.get("is_recurring")
        and not row.get("is_deleted")
        and row.get("client_id") in joined
        and joined[row["client_id"]] < int(row["created_at"]) - 22 * DAY
    ]
    for invoice in rng.sample(invoices, min(len(invoices), 3)):
        issued = int(invoice["created_at"])
        plan = _logged(builder, {"client_id": invoice["client_id"]}, _midnight(issued) - 21 * DAY, 2)
        plan.when = min(plan.when, issued - 3600)
        plan.invoice = invoice
        plans.append(plan)
    # Timers still running at the dataset's "now".
    for minutes in rng.sample((25, 50, 95, 140), 2 if len(clients) > 4 else 1):
        start = builder.anchor_ts - minutes * 60
        client = rng.choice(clients)
        data = {
            "client_id": client["public_id"],
            "description": rng.choice(DESCRIPTIONS),
            "time_log": encode_time_log([[start, False]]),
            "is_running": True,
        }
        plans.append(_Plan(when=start, data=data))
    return plans


def seed_work(store: Store, static: StaticData, builder: SeedBuilder, account: Record, owner: Record) -> None:
    """Task statuses, projects and tasks (running, billed, archived) for one account."""
    clients = [row for row in store.rows("clients", account["doc_id"]) if row.get("deleted_at") is None]
    if not clients:
        return
    rng = builder.rng
    actor = Actor(account, owner)

    def env_at(when: int) -> Env:
        return Env(store, static, actor, when, rng)

    with store.transaction():
        statuses = _statuses(store, account, owner, builder.anchor_ts - 300 * DAY)
        projects = _projects(builder, env_at, clients)
        plans = _plans(builder, store, account, clients, projects)
        for plan in plans:
            if plan.invoice is None and not plan.data.get("is_running") and rng.random() < 0.4:
                plan.status = rng.choice(statuses)
        unbilled = [p for p in plans if p.invoice is None and not p.data.get("is_running")]
        oldest = min(unbilled, key=lambda p: p.when)
        oldest.archive = True
        for plan in sorted(plans, key=lambda p: p.when):
            data = dict(plan.data)
            if plan.status is not None:
                data["task_status_id"] = plan.status
                data["task_status_sort_order"] = rng.randint(0, 20)
            task = save_task(env_at(plan.when), data)
            if plan.invoice is not None:
                # Invoicing the task (``InvoiceRepository::save``) links it to the invoice.
                billed = int(plan.invoice["created_at"])
                linked = {"invoice_id": plan.invoice["public_id"], "updated_at": billed}
                store.update("tasks", task["doc_id"], linked)
            if plan.archive:
                archive_entity(env_at(min(plan.when + 30 * DAY, builder.anchor_ts - DAY)), "tasks", task)
