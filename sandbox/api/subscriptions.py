"""The iOS in-app purchase endpoints (AccountApiController@upgrade, @iosSubscriptionStatus).

Both answer bare text as ``text/html``, not JSON. The plan is the company's; the sandbox keeps the
company's plan fields on the account record.
"""

from __future__ import annotations

from datetime import date

from aiohttp import web

from sandbox.api.call import get_call
from sandbox.api.login import throttle
from sandbox.api.routing import ApiRoute, Auth
from sandbox.errors import plain_html
from sandbox.models.account_settings import setting

#: App-store product ids: (plan, number of users, yearly price = ten monthly prices).
PRODUCTS = {
    "v1_pro_yearly": ("pro", 1, 10 * 10),
    "v1_enterprise_2_yearly": ("enterprise", 2, 14 * 10),
    "v1_enterprise_5_yearly": ("enterprise", 5, 26 * 10),
    "v1_enterprise_10_yearly": ("enterprise", 10, 36 * 10),
    "v1_enterprise_20_yearly": ("enterprise", 20, 44 * 10),
}


def add_year(day: date) -> date:
    """Carbon's ``addYear``: 29 February overflows into 1 March."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


async def upgrade(request: web.Request) -> web.Response:
    """``POST /api/v1/upgrade`` (AccountApiController@upgrade): a yearly plan bought in the app store."""
    call = get_call(request)
    assert call.actor is not None
    if setting(call.actor.account, "app_store_order_id"):
        return plain_html('{"message":"error"}')
    data = call.input
    today = call.runtime.clock.today()
    changes: dict[str, object] = {}
    product = data.get("product_id")
    if isinstance(product, str) and product in PRODUCTS:
        plan, users, price = PRODUCTS[product]
        changes.update({"plan": plan, "num_users": users, "plan_price": price})
    with call.write() as env:
        account = env.account
        changes.update(
            {
                "app_store_order_id": data.get("order_id"),
                "plan_term": "year",
                "plan_started": setting(account, "plan_started") or today.isoformat(),
                "plan_paid": today.isoformat(),
                "plan_expires": add_year(today).isoformat(),
                "trial_plan": None,
            }
        )
        env.store.update("accounts", account["doc_id"], changes)
    return plain_html('{"message":"success"}')


async def ios_subscription_status(request: web.Request) -> web.Response:
    """``POST /api/v1/ios_subscription_status`` (AccountApiController@iosSubscriptionStatus): a stub."""
    await throttle(get_call(request))
    return plain_html("")


ROUTES = [
    ApiRoute("POST", "/upgrade", upgrade, "upgrade"),
    ApiRoute(
        "POST", "/ios_subscription_status", ios_subscription_status, "ios_subscription_status", Auth.SECRET
    ),
]
