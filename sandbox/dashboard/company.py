"""The demo company as the dashboard reads it: through the API's resources, filters and transformers.

The dashboard keeps no data path of its own. Rows come from ``list_rows`` with the same input a
``GET /api/v1/...`` call would carry, records from ``find_entity``, and fields from the resource's
transformer, as the demo token's user would see them.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any

from aiohttp import web

from sandbox.api.auth import actor_for_token
from sandbox.api.call import Call
from sandbox.api.resource import Resource, find_entity, list_rows
from sandbox.errors import SandboxError
from sandbox.models.accounts import Actor
from sandbox.models.dates import account_date_format, format_date
from sandbox.models.money import currency_for, format_money
from sandbox.namespaces import runtime_of
from sandbox.runtime import Runtime
from sandbox.store import Record
from sandbox.transform.context import Context
from sandbox.transform.fractal import Transformer, to_array

Row = dict[str, Any]


def demo_actor(runtime: Runtime) -> Actor | None:
    """The account and user behind the demo token, else the first account's owner; None when there is none."""
    actor = actor_for_token(runtime, runtime.settings.token)
    if actor is not None:
        return actor
    store = runtime.store
    for account in sorted(store.all("accounts"), key=lambda row: row["doc_id"]):
        users = store.rows("users", int(account["doc_id"]))
        if users:
            return Actor(account=account, user=users[0])
    return None


class Company:
    """One request's view of the demo company."""

    def __init__(self, request: web.Request, runtime: Runtime, actor: Actor) -> None:
        self.request = request
        self.runtime = runtime
        self.actor = actor
        self.account = actor.account
        self.store = runtime.store
        self.static = runtime.static
        self._tables: dict[str, dict[int, Row]] = {}

    @property
    def name(self) -> str:
        """The company's name."""
        return str(self.account.get("name") or "Untitled Company")

    @property
    def base_url(self) -> str:
        """Where this sandbox answers, e.g. ``http://127.0.0.1:8000``."""
        return f"{self.request.scheme}://{self.request.host}"

    def call(self, **data: Any) -> Call:
        """A ``Call`` as the API builds it for a request with this input, made by the demo user."""
        return Call(request=self.request, runtime=self.runtime, input=dict(data), actor=self.actor)

    @cached_property
    def context(self) -> Context:
        """The transformers' context for a plain ``GET`` by the demo user."""
        return self.call().context()

    def rows(self, resource: Resource, **filters: Any) -> list[Record]:
        """The rows ``GET /api/v1/<resource>`` lists for these filters, in the API's order."""
        return list_rows(self.call(**filters), resource)

    def find(self, resource: Resource, raw_id: str) -> Record | None:
        """The record ``GET /api/v1/<resource>/<raw_id>`` shows, or None when there is none."""
        try:
            return find_entity(self.call(id=raw_id), resource)
        except SandboxError:
            return None

    def show(self, transformer: Transformer, record: Record) -> Row:
        """A record as the API shows it."""
        return to_array(self.context, transformer, record)

    def listed(self, resource: Resource, **filters: Any) -> list[Row]:
        """Every row of a list, each as the API shows it."""
        return [self.show(resource.transformer, row) for row in self.rows(resource, **filters)]

    @cached_property
    def clients(self) -> dict[int, Row]:
        """Every client (archived and deleted too) as the API shows it, by id."""
        from sandbox.api.clients import CLIENTS

        return {int(row["id"]): row for row in self.listed(CLIENTS)}

    @cached_property
    def invoices(self) -> dict[int, Row]:
        """Every invoice, quote and recurring invoice as the API shows it, by id."""
        from sandbox.api.invoices import INVOICES

        return {int(row["id"]): row for row in self.listed(INVOICES)}

    def by_id(self, resource: Resource) -> dict[int, Row]:
        """Every row of a resource as the API shows it, by id (read once per page)."""
        if resource.segment not in self._tables:
            self._tables[resource.segment] = {int(row["id"]): row for row in self.listed(resource)}
        return self._tables[resource.segment]

    @cached_property
    def task_columns(self) -> dict[int, str]:
        """The names of the task board's columns (task statuses), by id."""
        from sandbox.transform.task_statuses import TASK_STATUS, task_statuses_of

        rows = [self.show(TASK_STATUS, row) for row in task_statuses_of(self.context, self.account)]
        return {int(row["id"]): str(row["name"]) for row in rows}

    def client_name(self, client_id: Any) -> str:
        """A client's display name ("" when unknown)."""
        client = self.clients.get(int(client_id or 0))
        return str(client.get("display_name") or client.get("name") or "") if client else ""

    def currency(self, client_id: Any = None) -> dict[str, Any]:
        """The currency of a client's documents (the company's when it has none)."""
        return currency_for(self.static, self.account, self.clients.get(int(client_id or 0)))

    def money(self, amount: Any, client_id: Any = None) -> str:
        """An amount in a client's currency, as v4 prints it."""
        return format_money(amount, self.currency(client_id))

    def money_in(self, amount: Any, currency_id: Any) -> str:
        """An amount in the currency with this id (the company's when there is none)."""
        currency = next((row for row in self.static.tables["currencies"] if row["id"] == currency_id), None)
        return format_money(amount, dict(currency) if currency else self.currency())

    @cached_property
    def date_format(self) -> str:
        """The company's date format (PHP letters)."""
        return account_date_format(self.static, self.account)

    def date(self, value: Any) -> str:
        """A stored ``Y-m-d`` in the company's date format."""
        return format_date(value, self.date_format)

    @property
    def today(self) -> dt.date:
        """Today by the sandbox's clock."""
        return self.runtime.clock.today()

    def static_name(self, table: str, value: Any) -> str:
        """The ``name`` of a row of a static table (payment types, invoice statuses...)."""
        for row in self.static.tables.get(table, []):
            if row.get("id") == value:
                return str(row.get("name") or "")
        return ""


def company_of(request: web.Request) -> Company | None:
    """The demo company of the request's runtime, or None when its data holds no company."""
    runtime = runtime_of(request)
    actor = demo_actor(runtime)
    return None if actor is None else Company(request, runtime, actor)
