"""``GET /api/v1/dashboard`` (DashboardApiController@index)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from sandbox.api.call import get_call
from sandbox.api.respond import envelope
from sandbox.api.routing import ApiRoute
from sandbox.models.dashboard import Dashboard
from sandbox.models.php import truthy
from sandbox.transform.activities import ACTIVITY
from sandbox.transform.fractal import to_array, to_jsonapi


async def get_dashboard(request: web.Request) -> web.Response:
    """``GET /api/v1/dashboard`` (DashboardApiController@index); ``only_activity`` keeps only activities."""
    call = get_call(request)
    assert call.actor is not None
    dashboard = Dashboard(call.runtime.store, call.actor.account, call.actor.user)
    ctx = call.context()
    rows = dashboard.activities()
    activities: Any = (
        to_jsonapi(ctx, ACTIVITY, rows) if ctx.json_api else [to_array(ctx, ACTIVITY, row) for row in rows]
    )
    if truthy(call.input.get("only_activity")):
        return envelope(call, {"id": 1, "activities": activities})
    paid, average, balances = dashboard.paid_to_date(), dashboard.average_invoice(), dashboard.balances()
    sent, active = dashboard.totals()
    data = {
        "id": 1,
        "paidToDate": paid.value,
        "paidToDateCurrency": paid.currency_id,
        "balances": balances.value,
        "balancesCurrency": balances.currency_id,
        "averageInvoice": average.value,
        "averageInvoiceCurrency": average.currency_id,
        "invoicesSent": sent,
        "activeClients": active,
        "activities": activities,
    }
    return envelope(call, data)


ROUTES = [ApiRoute("GET", "/dashboard", get_dashboard, "dashboard")]
