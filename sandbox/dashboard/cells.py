"""What list and detail pages show: cells, columns, statuses and the description of a section."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.api.resource import Resource
from sandbox.transform.fractal import Transformer

if TYPE_CHECKING:
    from sandbox.dashboard.company import Company, Row


@dataclass(frozen=True)
class Cell:
    """One value as shown: its text, an optional link and a style (``num``, ``strong``, ``mono``...)."""

    text: str
    href: str | None = None
    kind: str = ""


@dataclass(frozen=True)
class Status:
    """A badge: its label and its tone (``ok``, ``info``, ``warn``, ``bad`` or ``muted``)."""

    label: str
    tone: str = "muted"

    @property
    def key(self) -> str:
        """The label as a filter value: ``Partially Refunded`` is ``partially-refunded``."""
        return slug(self.label)


Value = Callable[["Company", "Row"], Cell]


@dataclass(frozen=True)
class Column:
    """A table column: its name, caption and value; ``optional`` columns hide on narrow screens."""

    key: str
    label: str
    value: Value
    numeric: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Related:
    """A table on a detail page: rows of another section that belong to this record."""

    title: str
    rows: Callable[[Company, Row], list[Row]]
    #: The section whose columns and links the rows use, or "" for the ``columns`` given here.
    section: str = ""
    columns: tuple[Column, ...] = ()
    hide: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A list of the demo company's records and its detail pages, read through an API resource."""

    slug: str
    title: str
    singular: str
    resource: Resource
    columns: tuple[Column, ...]
    label: Callable[[Company, Row], str]
    search: Callable[[Company, Row], str]
    facts: Callable[[Company, Row], list[tuple[str, Cell]]]
    status: Callable[[Company, Row], Status]
    #: The API list's input, e.g. ``invoice_type_id=1`` for invoices only.
    filters: dict[str, Any] = field(default_factory=dict)
    related: tuple[Related, ...] = ()
    #: The API route that shows one record (quotes are shown through ``/invoices``).
    api_segment: str = ""

    @property
    def transformer(self) -> Transformer:
        """The transformer the API shows these records with."""
        return self.resource.transformer

    def api_path(self, record_id: Any) -> str:
        """``/api/v1/<segment>/<id>``: where the API shows one record."""
        return f"/api/v1/{self.api_segment or self.resource.segment}/{record_id}"


def slug(text: str) -> str:
    """Lower-case words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def state(row: Row) -> Status | None:
    """``Deleted`` or ``Archived`` for a trashed record, None for an active one."""
    if row.get("is_deleted"):
        return Status("Deleted", "bad")
    if row.get("archived_at"):
        return Status("Archived", "muted")
    return None


def text(value: Any, href: str | None = None, kind: str = "") -> Cell:
    """A plain cell."""
    return Cell("" if value is None else str(value), href, kind)


def client_cell(company: Company, client_id: Any) -> Cell:
    """A client's name, linked to its page."""
    name = company.client_name(client_id)
    return Cell(name, f"/clients/{int(client_id)}" if name else None)


def invoice_cell(company: Company, invoice_id: Any) -> Cell:
    """An invoice's number, linked to its page ("" when there is none)."""
    invoice = company.invoices.get(int(invoice_id or 0))
    if invoice is None:
        return Cell("")
    return Cell(f"Invoice {invoice.get('invoice_number') or invoice['id']}", f"/invoices/{invoice['id']}")


def num(value: str) -> Cell:
    """A right-aligned figure."""
    return Cell(value, kind="num")


def duration(seconds: Any) -> str:
    """Seconds as ``h:mm:ss``."""
    total = int(seconds or 0)
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def linked(section: str, name: str) -> Value:
    """A column that shows one field, linked to the record's page."""

    def value(company: Company, row: Row) -> Cell:
        del company
        return Cell(str(row.get(name) or f"#{row['id']}"), f"/{section}/{row['id']}", "strong")

    return value


def status_cell(status: Callable[[Company, Row], Status]) -> Value:
    """A column that shows the record's status badge."""

    def value(company: Company, row: Row) -> Cell:
        badge = status(company, row)
        return Cell(badge.label, kind=f"badge {badge.tone}")

    return value


def name_of(rows: dict[int, Row], record_id: Any, section: str = "") -> Cell:
    """The ``name`` of a related record (a vendor, a project...), linked when it has a section."""
    row = rows.get(int(record_id or 0))
    if row is None:
        return Cell("")
    return Cell(str(row.get("name") or ""), f"/{section}/{row['id']}" if section else None)
