"""``/__admin/clock``: frozen and moved time, and v4's recurring and reminder jobs run for the time passed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from helpers.receiver import webhook_receiver

from sandbox.models import recurring_job
from sandbox.namespaces import NAMESPACE_HEADER

#: 2030-06-12T10:30:00Z, a Wednesday; New York (the demo account's time zone) is on summer time.
T0 = 1907490600
HOUR, DAY = 3600, 86400
ITEMS = [{"product_key": "HOSTING", "notes": "Hosting for :MONTH :YEAR", "cost": 10, "qty": 2}]
EMPTY = {"recurring": {"created": []}, "reminders": [], "overdue": [], "errors": []}


def _freeze(admin: httpx.Client, at: int = T0) -> None:
    response = admin.post("/clock", json={"freeze": at})
    assert response.status_code == 200
    assert (response.json()["now"], response.json()["frozen"]) == (at, True)


def _move(admin: httpx.Client, **options: Any) -> dict[str, Any]:
    response = admin.post("/clock", json=options)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _template(api: httpx.Client, **extra: Any) -> dict[str, Any]:
    """A weekly template of client 1 that starts today and has been started (made public)."""
    body = {
        "client_id": 1,
        "is_recurring": True,
        "frequency_id": 1,
        "start_date": "2030-06-12",
        "is_public": True,
        "po_number": "PO-7",
        "invoice_items": ITEMS,
        **extra,
    }
    response = api.post("/invoices", json=body)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    assert (data["is_recurring"], data["is_public"], data["invoice_number"]) == (True, body["is_public"], "")
    return data


def _account_key(api: httpx.Client) -> str:
    key: str = api.get("/accounts").json()["data"]["account_key"]
    return key


def test_advance_runs_the_recurring_job(api: httpx.Client, admin: httpx.Client) -> None:
    with webhook_receiver() as receiver:
        hook = api.post("/hooks", json={"event": "create_invoice", "target_url": f"{receiver.url}/hook"})
        assert hook.status_code == 201
        _freeze(admin)
        counter = api.get("/accounts").json()["data"]["invoice_number_counter"]
        balance = api.get("/clients/1").json()["data"]["balance"]
        template = _template(api)

        moved = _move(admin, advance=DAY)

        first_run = T0 + HOUR // 2  # the hourly job at 11:00 picks up a template started today
        assert (moved["now"], moved["frozen"], moved["iso"]) == (T0 + DAY, True, "2030-06-13T10:30:00Z")
        assert moved["jobs"] == {"from": T0, "to": T0 + DAY}
        child_id = template["id"] + 1
        assert moved["recurring"] == {
            "created": [
                {
                    "account_key": _account_key(api),
                    "id": child_id,
                    "invoice_number": f"R{counter:04d}",
                    "template_id": template["id"],
                    "invoice_date": "2030-06-12",
                    "due_date": "2030-06-26",
                    "amount": 20.0,
                    "time": first_run,
                    "at": "2030-06-12T11:00:00Z",
                    "emailed": True,
                    "paid": False,
                }
            ]
        }
        assert (moved["reminders"], moved["overdue"], moved["errors"]) == ([], [], [])

        child = api.get(f"/invoices/{child_id}").json()["data"]
        expected = {
            "invoice_number": f"R{counter:04d}",
            "client_id": 1,
            "amount": 20,
            "balance": 20,
            "invoice_status_id": 2,
            "is_public": True,
            "is_recurring": False,
            "frequency_id": 0,
            "invoice_date": "2030-06-12",
            "due_date": "2030-06-26",  # the client's 14 days of payment terms
            "start_date": "",
            "last_sent_date": "2030-06-12",
            "po_number": "PO-7",
            "updated_at": first_run,
            "filename": f"Invoice_R{counter:04d}.pdf",
        }
        assert {name: child[name] for name in expected} == expected
        assert isinstance(child["recurring_invoice_id"], int)
        assert child["recurring_invoice_id"] > 0  # the template's internal id (a v4 leak)
        [item] = child["invoice_items"]
        assert (item["product_key"], item["notes"], item["cost"], item["qty"]) == (
            "HOSTING",
            "Hosting for June 2030",
            10,
            2,
        )
        assert (item["invoice_item_type_id"], item["updated_at"]) == (1, first_run)

        shown = api.get(f"/invoices/{template['id']}").json()["data"]
        assert (shown["last_sent_date"], shown["invoice_number"]) == ("2030-06-12", "")
        assert api.get("/clients/1").json()["data"]["balance"] == round(balance + 20, 2)

        emails = admin.get("/outbox", params={"invoice_id": child_id}).json()["messages"]
        assert len(emails) == 2  # one per contact of the client
        assert {(email["template"], email["time"]) for email in emails} == {("invoice", first_run)}
        assert all(f"R{counter:04d}" in email["subject"] for email in emails)

        received = receiver.wait_for(2)  # the template's creation, then the job's invoice
        [delivered] = [r for r in received if r.body["id"] == child_id]
        assert delivered.body["invoice_number"] == f"R{counter:04d}"
        # The hook fires when the invoice is made, before the email job marks it sent.
        assert (delivered.body["invoice_status_id"], delivered.body["is_public"]) == (1, True)
        assert delivered.body["client_name"] == "Roskoth e.V."
        log = admin.get("/webhooks", params={"event": "create_invoice"}).json()["deliveries"]
        assert [entry["time"] for entry in log] == [T0, first_run]

    activities = api.get("/dashboard").json()["data"]["activities"]
    newest = [a for a in activities if a["updated_at"] == first_run]
    assert {a["activity_type_id"] for a in newest} == {4, 5, 6}  # created, template updated, emailed
    assert all(a["is_system"] is True for a in newest)


def test_advancing_twice_does_not_duplicate_and_the_next_week_comes(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _freeze(admin)
    template = _template(api)
    first = _move(admin, advance=DAY)["recurring"]["created"]
    assert [row["invoice_date"] for row in first] == ["2030-06-12"]
    assert _move(admin, advance=DAY) | {"now": None, "iso": None} == {
        "now": None,
        "frozen": True,
        "iso": None,
        "jobs": {"from": T0 + DAY, "to": T0 + 2 * DAY},
        **EMPTY,
    }
    later = _move(admin, advance=6 * DAY)["recurring"]["created"]
    # A week after the last send, at the account's recurring hour (08:00 in New York).
    assert [(row["invoice_date"], row["at"]) for row in later] == [("2030-06-19", "2030-06-19T12:00:00Z")]
    assert later[0]["invoice_number"] == f"R{int(first[0]['invoice_number'][1:]) + 1:04d}"
    assert api.get(f"/invoices/{template['id']}").json()["data"]["last_sent_date"] == "2030-06-19"


def test_one_long_advance_runs_every_passed_moment_in_order(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    _template(api, frequency_id=4, recurring_due_date="1998-01-20")  # monthly, due on the 20th
    created = _move(admin, advance=70 * DAY)["recurring"]["created"]
    assert [(row["invoice_date"], row["due_date"], row["at"]) for row in created] == [
        ("2030-06-12", "2030-06-20", "2030-06-12T11:00:00Z"),
        ("2030-07-12", "2030-07-20", "2030-07-12T12:00:00Z"),
        ("2030-08-12", "2030-08-20", "2030-08-12T12:00:00Z"),
    ]
    numbers = [int(row["invoice_number"][1:]) for row in created]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    listed = api.get("/invoices", params={"client_id": 1, "per_page": 500}).json()["data"]
    assert sorted(row["updated_at"] for row in listed if row["invoice_number"].startswith("R"))[-3:] == [
        row["time"] for row in created
    ]


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("1998-01-31", "2030-06-30"),  # day 31 of the month: June has 30
        ("1998-01-12", "2030-07-12"),  # the 12th has come today: next month's
        ("1998-02-03", "2030-06-18"),  # the first Tuesday after today
        ("1998-02-11", "2030-06-26"),  # the second Wednesday after today (a Wednesday)
        ("2030-07-01", ""),  # neither code month: no due date
    ],
)
def test_a_templates_due_date_code_gives_the_invoices_due_date(
    api: httpx.Client, admin: httpx.Client, code: str, due: str
) -> None:
    _freeze(admin)
    template = _template(api, recurring_due_date=code)
    assert template["due_date"] == code
    [created] = _move(admin, advance=HOUR)["recurring"]["created"]
    assert created["due_date"] == (due or None)
    assert api.get(f"/invoices/{created['id']}").json()["data"]["due_date"] == due


def test_a_runaway_move_stops_at_the_limit(
    api: httpx.Client, admin: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recurring_job, "MAX_ACTIONS", 2)
    _freeze(admin)
    _template(api)
    moved = _move(admin, advance=5 * 7 * DAY)
    assert [row["invoice_date"] for row in moved["recurring"]["created"]] == ["2030-06-12", "2030-06-19"]
    assert moved["errors"] == [
        {
            "job": "limit",
            "error": "stopped after 2 invoices and reminders, before the run at 2030-06-26T12:00:00Z; "
            "move the clock in smaller steps",
        }
    ]
    assert moved["now"] == T0 + 5 * 7 * DAY


def test_only_started_templates_run_from_their_start_date(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    draft = _template(api, is_public=False)
    later = _template(api, start_date="2030-06-14")
    ended = _template(api, start_date="2030-06-01", end_date="2030-06-12")
    assert draft["invoice_status_id"] == 1
    assert _move(admin, advance=DAY)["recurring"]["created"] == []
    created = _move(admin, advance=DAY)["recurring"]["created"]
    # Its first run is the first hourly run of its start date in New York (04:00 UTC).
    assert [(row["template_id"], row["at"]) for row in created] == [(later["id"], "2030-06-14T04:00:00Z")]
    for template in (draft, ended):
        assert api.get(f"/invoices/{template['id']}").json()["data"]["last_sent_date"] == ""


def test_auto_billed_invoices_are_paid_and_not_emailed(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    template = _template(api, client_id=6, auto_bill_id=4)
    assert template["auto_bill_id"] == 4
    [created] = _move(admin, advance=HOUR)["recurring"]["created"]
    assert (created["paid"], created["emailed"], created["due_date"]) == (True, False, "2030-07-12")
    invoice = api.get(f"/invoices/{created['id']}", params={"include": "payments"}).json()["data"]
    assert (invoice["invoice_status_id"], invoice["balance"]) == (6, 0)
    assert [(p["amount"], p["payment_date"]) for p in invoice["payments"]] == [(20, "2030-06-12")]
    assert admin.get("/outbox", params={"invoice_id": created["id"]}).json()["messages"] == []


def test_jobs_false_moves_time_only(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    _template(api)
    assert _move(admin, advance=DAY, jobs=False) | {"now": 0, "iso": ""} == {
        "now": 0,
        "frozen": True,
        "iso": "",
        "jobs": None,
        **EMPTY,
    }
    # The skipped day is not replayed; the next run after the new time sends the template.
    created = _move(admin, advance=HOUR)["recurring"]["created"]
    assert [(row["invoice_date"], row["at"]) for row in created] == [("2030-06-13", "2030-06-13T11:00:00Z")]


def test_overdue_appears_after_the_due_date_and_nothing_else_changes(
    api: httpx.Client, admin: httpx.Client
) -> None:
    _freeze(admin)
    due = api.post(
        "/invoices",
        json={"client_id": 1, "invoice_items": ITEMS, "due_date": "2030-06-12", "is_public": True},
    ).json()["data"]
    not_yet = api.post(
        "/invoices",
        json={"client_id": 1, "invoice_items": ITEMS, "due_date": "2030-06-20", "is_public": True},
    ).json()["data"]
    client = api.get("/clients/1").json()["data"]
    dashboard = api.get("/dashboard").json()["data"]
    assert _move(admin, advance=HOUR)["overdue"] == []  # due today: not overdue until the day is over

    moved = _move(admin, advance=DAY)

    assert moved["overdue"] == [
        {
            "account_key": _account_key(api),
            "id": due["id"],
            "invoice_number": due["invoice_number"],
            "due_date": "2030-06-12",
            "balance": 20.0,
            "since": 1907539200,  # 2030-06-13T00:00:00Z
        }
    ]
    # v4's API computes no overdue state: status, balances and the dashboard stay as they were.
    shown = api.get(f"/invoices/{due['id']}").json()["data"]
    assert (shown["invoice_status_id"], shown["balance"], shown["updated_at"]) == (2, 20, T0)
    after = api.get("/clients/1").json()["data"]
    assert (after["balance"], after["paid_to_date"]) == (client["balance"], client["paid_to_date"])
    figures = api.get("/dashboard").json()["data"]
    assert {k: figures[k] for k in ("balances", "invoicesSent", "paidToDate")} == {
        k: dashboard[k] for k in ("balances", "invoicesSent", "paidToDate")
    }
    listed = admin.get("/clock/overdue", params={"account_key": _account_key(api)})
    assert listed.status_code == 200
    rows = {row["id"]: row for row in listed.json()["invoices"]}
    assert (rows[due["id"]]["label"], rows[due["id"]]["since"]) == ("Past Due", 1907539200)
    assert not_yet["id"] not in rows
    assert listed.json()["total"] == len(rows)


def test_enabled_reminders_are_emailed_at_midnight(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    name = api.get("/accounts").json()["data"]["name"]
    settings = {"name": name, "enable_reminder1": True, "num_days_reminder1": 2}
    assert api.put("/accounts", json=settings).status_code == 200
    invoice = api.post(
        "/invoices",
        json={"client_id": 1, "invoice_items": ITEMS, "due_date": "2030-06-12", "is_public": True},
    ).json()["data"]

    moved = _move(admin, advance=3 * DAY)

    midnight = 1907625600  # 2030-06-14T00:00:00Z, two days after the due date
    assert moved["reminders"] == [
        {
            "account_key": _account_key(api),
            "id": invoice["id"],
            "invoice_number": invoice["invoice_number"],
            "reminder": "reminder1",
            "time": midnight,
            "at": "2030-06-14T00:00:00Z",
            "sent": True,
        }
    ]
    emails = admin.get("/outbox", params={"template": "reminder1"}).json()["messages"]
    assert {(email["invoice_id"], email["time"]) for email in emails} == {(invoice["id"], midnight)}
    assert emails[0]["subject"] == f"Reminder: Invoice {invoice['invoice_number']} from {name}"
    assert api.get(f"/invoices/{invoice['id']}").json()["data"]["last_sent_date"] == "2030-06-14"
    assert _move(admin, advance=3 * DAY)["reminders"] == []  # reminder1 goes once


def test_frozen_time_stamps_records_and_journal(api: httpx.Client, admin: httpx.Client) -> None:
    _freeze(admin)
    first = api.post("/clients", json={"name": "Frozen One"}).json()["data"]
    second = api.post("/clients", json={"name": "Frozen Two"}).json()["data"]
    assert (first["updated_at"], second["updated_at"]) == (T0, T0)
    assert _move(admin, advance=90)["now"] == T0 + 90
    updated = api.put(f"/clients/{first['id']}", json={"name": "Frozen Later"}).json()["data"]
    assert updated["updated_at"] == T0 + 90
    journal = admin.get("/requests").json()["requests"]
    assert [entry["time"] for entry in journal] == [T0, T0, T0 + 90]
    clock = admin.get("/clock")
    assert clock.status_code == 200
    assert clock.json() == {"now": T0 + 90, "frozen": True, "iso": "2030-06-12T10:31:30Z"}
    running = _move(admin, freeze=False)
    assert running["frozen"] is False
    assert T0 + 90 <= running["now"] < T0 + 150
    assert running["jobs"] is None or running["jobs"]["from"] == T0 + 90


def test_set_and_freeze_take_iso_dates_and_going_back_runs_nothing(admin: httpx.Client) -> None:
    assert _move(admin, freeze="2030-06-12T10:30:00Z")["now"] == T0
    moved = _move(admin, to="2030-06-13")
    assert (moved["now"], moved["frozen"], moved["jobs"]) == (
        T0 + 48600,
        True,
        {"from": T0, "to": T0 + 48600},
    )
    back = _move(admin, to="2030-06-12T12:30:00+02:00")
    assert (back["now"], back["jobs"]) == (T0, None)
    assert _move(admin, advance=-60)["now"] == T0 - 60


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"advance": "soon"}, "advance must be a number of seconds"),
        ({"advance": True}, "advance must be a number of seconds"),
        ({"freeze": "tomorrow"}, "freeze must be a unix time or an ISO 8601 date-time, not 'tomorrow'"),
        ({"to": -5}, "to must lie between 1970 and 9999"),
        ({"advance": 1e15}, "advance would move the time outside 1970 to 9999"),
        ({"jobs": "yes"}, "jobs must be true or false"),
        ({"speed": 2}, "unknown field speed; known fields: advance, freeze, to, jobs"),
        ([], "the body must be a JSON object"),
    ],
)
def test_bad_clock_options_are_400(admin: httpx.Client, body: Any, error: str) -> None:
    before = admin.get("/clock").json()
    response = admin.post("/clock", json=body)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    after = admin.get("/clock").json()
    assert after["frozen"] == before["frozen"]
    assert after["now"] >= before["now"]


def test_the_clock_and_its_jobs_are_per_namespace(base_url: str, admin: httpx.Client) -> None:
    name = "clock-test"
    ns_admin = httpx.Client(base_url=base_url + "/__admin", headers={NAMESPACE_HEADER: name}, timeout=10)
    ns_api = httpx.Client(
        base_url=base_url + "/api/v1", headers={"X-Ninja-Token": f"TOKEN~{name}"}, timeout=10
    )
    try:
        _freeze(ns_admin)
        template = _template(ns_api)
        created = _move(ns_admin, advance=DAY)["recurring"]["created"]
        assert [row["template_id"] for row in created] == [template["id"]]
        assert admin.get("/clock").json()["frozen"] is False
        assert admin.get("/outbox").json()["messages"] == []
        assert ns_admin.get("/outbox", params={"invoice_id": created[0]["id"]}).json()["total"] == 2
    finally:
        assert admin.delete(f"/namespaces/{name}").status_code == 200
        ns_admin.close()
        ns_api.close()
