"""The status badge of each kind of record, worded as v4's web app words it."""

from __future__ import annotations

from sandbox.dashboard.cells import Status, state
from sandbox.dashboard.company import Company, Row
from sandbox.models.payments import FAILED_OR_VOIDED

INVOICE_TONES = {1: "muted", 2: "info", 3: "info", 4: "info", 5: "warn", 6: "ok"}
PAYMENT_STATUSES = {
    1: Status("Pending", "info"),
    2: Status("Voided", "muted"),
    3: Status("Failed", "bad"),
    4: Status("Completed", "ok"),
    5: Status("Partially Refunded", "warn"),
    6: Status("Refunded", "muted"),
}
#: The order a list's status filter offers the statuses in (others follow, alphabetically).
ORDER = (
    "Active",
    "Draft",
    "Sent",
    "Viewed",
    "Approved",
    "Partial",
    "Paid",
    "Overdue",
    "Converted",
    "Expired",
    "Completed",
    "Pending",
    "Running",
    "Logged",
    "Invoiced",
    "Partially Refunded",
    "Refunded",
    "Voided",
    "Failed",
    "Archived",
    "Deleted",
)


def ordered(labels: set[str]) -> list[str]:
    """Status labels in the filter's order."""
    rank = {label: index for index, label in enumerate(ORDER)}
    return sorted(labels, key=lambda label: (rank.get(label, len(ORDER)), label))


def plain_status(company: Company, row: Row) -> Status:
    """Active, Archived or Deleted."""
    del company
    return state(row) or Status("Active", "ok")


def is_overdue(company: Company, row: Row) -> bool:
    """Sent, unpaid and past its due date by the sandbox's clock."""
    due = str(row.get("due_date") or "")
    status_id = int(row.get("invoice_status_id") or 1)
    return (
        2 <= status_id <= 5
        and float(row.get("balance") or 0) > 0
        and bool(due)
        and due < company.today.isoformat()
    )


def invoice_status(company: Company, row: Row) -> Status:
    """Draft, Sent, Viewed, Partial, Paid or Overdue (Archived or Deleted when trashed)."""
    trashed = state(row)
    if trashed is not None:
        return trashed
    if is_overdue(company, row):
        return Status("Overdue", "bad")
    status_id = int(row.get("invoice_status_id") or 1)
    return Status(
        company.static_name("invoiceStatus", status_id) or "Draft", INVOICE_TONES.get(status_id, "muted")
    )


def quote_status(company: Company, row: Row) -> Status:
    """Draft, Sent, Viewed, Approved, Converted or Expired (Archived or Deleted when trashed)."""
    trashed = state(row)
    if trashed is not None:
        return trashed
    if row.get("quote_invoice_id"):
        return Status("Converted", "ok")
    status_id = int(row.get("invoice_status_id") or 1)
    due = str(row.get("due_date") or "")
    if status_id < 4 and due and due < company.today.isoformat():
        return Status("Expired", "warn")
    if status_id >= 4:
        return Status("Approved", "ok")
    return Status(
        company.static_name("invoiceStatus", status_id) or "Draft", INVOICE_TONES.get(status_id, "muted")
    )


def payment_status(company: Company, row: Row) -> Status:
    """The payment's status (Deleted when deleted)."""
    del company
    if row.get("is_deleted"):
        return Status("Deleted", "bad")
    return PAYMENT_STATUSES.get(int(row.get("payment_status_id") or 4), PAYMENT_STATUSES[4])


def is_valid_payment(row: Row) -> bool:
    """Not deleted, voided or failed: money that came in."""
    return not row.get("is_deleted") and int(row.get("payment_status_id") or 4) not in FAILED_OR_VOIDED


def task_status(company: Company, row: Row) -> Status:
    """Running, Invoiced, or the task's board column (Archived or Deleted when trashed)."""
    trashed = state(row)
    if trashed is not None:
        return trashed
    if row.get("is_running"):
        return Status("Running", "info")
    if row.get("invoice_id"):
        return Status("Invoiced", "ok")
    return Status(company.task_columns.get(int(row.get("task_status_id") or 0), "Logged"), "muted")


def expense_status(company: Company, row: Row) -> Status:
    """Logged, Pending (to be invoiced), Invoiced or Paid (Archived or Deleted when trashed)."""
    del company
    trashed = state(row)
    if trashed is not None:
        return trashed
    if row.get("invoice_id"):
        return Status("Invoiced", "ok")
    if row.get("should_be_invoiced"):
        return Status("Pending", "warn")
    if row.get("payment_date"):
        return Status("Paid", "ok")
    return Status("Logged", "muted")
