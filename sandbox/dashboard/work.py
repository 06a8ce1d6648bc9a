"""The sections of what the company sells and spends: products, tasks and expenses."""

from __future__ import annotations

from sandbox.api.expense_categories import EXPENSE_CATEGORIES
from sandbox.api.expenses import EXPENSES
from sandbox.api.products import PRODUCTS
from sandbox.api.projects import PROJECTS
from sandbox.api.tasks import TASKS
from sandbox.api.vendors import VENDORS
from sandbox.dashboard.cells import (
    Cell,
    Column,
    Section,
    client_cell,
    duration,
    invoice_cell,
    linked,
    name_of,
    num,
    status_cell,
    text,
)
from sandbox.dashboard.company import Company, Row
from sandbox.dashboard.statuses import expense_status, plain_status, task_status

# -- products -------------------------------------------------------------------------------------


def _taxes(row: Row) -> str:
    return ", ".join(
        f"{row.get(f'tax_name{i}')} {row.get(f'tax_rate{i}')}%" for i in (1, 2) if row.get(f"tax_rate{i}")
    )


PRODUCT_SECTION = Section(
    slug="products",
    title="Products",
    singular="product",
    resource=PRODUCTS,
    columns=(
        Column("key", "Product", linked("products", "product_key")),
        Column("notes", "Description", lambda c, row: text(row.get("notes")), optional=True),
        Column("cost", "Cost", lambda c, row: num(c.money(row.get("cost"))), True),
        Column("tax", "Tax", lambda c, row: text(_taxes(row)), optional=True),
        Column("status", "Status", status_cell(plain_status)),
    ),
    label=lambda c, row: str(row.get("product_key") or f"Product {row['id']}"),
    search=lambda c, row: f"{row.get('product_key')} {row.get('notes')}",
    facts=lambda c, row: [
        ("Description", text(row.get("notes"))),
        ("Cost", Cell(c.money(row.get("cost")), kind="strong")),
        ("Default quantity", text(row.get("qty"))),
        ("Taxes", text(_taxes(row))),
    ],
    status=plain_status,
)

# -- tasks ----------------------------------------------------------------------------------------


def _task_facts(company: Company, row: Row) -> list[tuple[str, Cell]]:
    return [
        ("Client", client_cell(company, row.get("client_id")) if row.get("client_id") else Cell("")),
        ("Project", name_of(company.by_id(PROJECTS), row.get("project_id"))),
        ("Duration", Cell(duration(row.get("duration")), kind="strong")),
        ("Invoice", invoice_cell(company, row.get("invoice_id"))),
    ]


TASK_SECTION = Section(
    slug="tasks",
    title="Tasks",
    singular="task",
    resource=TASKS,
    columns=(
        Column("description", "Description", linked("tasks", "description")),
        Column(
            "client",
            "Client",
            lambda c, row: client_cell(c, row.get("client_id")) if row.get("client_id") else Cell(""),
            optional=True,
        ),
        Column(
            "project",
            "Project",
            lambda c, row: name_of(c.by_id(PROJECTS), row.get("project_id")),
            optional=True,
        ),
        Column("duration", "Duration", lambda c, row: num(duration(row.get("duration"))), True),
        Column("status", "Status", status_cell(task_status)),
    ),
    label=lambda c, row: str(row.get("description") or f"Task {row['id']}"),
    search=lambda c, row: f"{row.get('description')} {c.client_name(row.get('client_id'))}",
    facts=_task_facts,
    status=task_status,
)

# -- expenses -------------------------------------------------------------------------------------


def _expense_amount(company: Company, row: Row) -> str:
    return company.money_in(row.get("amount"), row.get("expense_currency_id"))


def _expense_facts(company: Company, row: Row) -> list[tuple[str, Cell]]:
    return [
        ("Amount", Cell(_expense_amount(company, row), kind="strong")),
        ("Date", text(company.date(row.get("expense_date")))),
        ("Vendor", name_of(company.by_id(VENDORS), row.get("vendor_id"))),
        ("Category", name_of(company.by_id(EXPENSE_CATEGORIES), row.get("expense_category_id"))),
        ("Client", client_cell(company, row.get("client_id")) if row.get("client_id") else Cell("")),
        ("Invoice", invoice_cell(company, row.get("invoice_id"))),
        ("Taxes", text(_taxes(row))),
        ("Paid on", text(company.date(row.get("payment_date")))),
        ("Public notes", text(row.get("public_notes"))),
        ("Private notes", text(row.get("private_notes"))),
    ]


EXPENSE_SECTION = Section(
    slug="expenses",
    title="Expenses",
    singular="expense",
    resource=EXPENSES,
    columns=(
        Column(
            "date",
            "Date",
            lambda c, row: Cell(
                c.date(row.get("expense_date")) or "—", f"/expenses/{row['id']}", "strong nowrap"
            ),
        ),
        Column("vendor", "Vendor", lambda c, row: name_of(c.by_id(VENDORS), row.get("vendor_id"))),
        Column(
            "category",
            "Category",
            lambda c, row: name_of(c.by_id(EXPENSE_CATEGORIES), row.get("expense_category_id")),
            optional=True,
        ),
        Column("notes", "Notes", lambda c, row: text(row.get("public_notes")), optional=True),
        Column("amount", "Amount", lambda c, row: num(_expense_amount(c, row)), True),
        Column("status", "Status", status_cell(expense_status)),
    ),
    label=lambda c, row: f"Expense of {_expense_amount(c, row)}",
    search=lambda c, row: " ".join(
        str(v or "")
        for v in (
            row.get("public_notes"),
            row.get("private_notes"),
            name_of(c.by_id(VENDORS), row.get("vendor_id")).text,
            c.client_name(row.get("client_id")),
        )
    ),
    facts=_expense_facts,
    status=expense_status,
)
