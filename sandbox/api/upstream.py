"""The routes Invoice Ninja v4.5.50 serves under ``/api/v1`` (``routes/api.php``), as data.

The sandbox's own route table (``sandbox.api.api_routes``) is checked against this list by the test
suite and by the coverage report, so a route that v4 has and the sandbox lacks cannot go unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UpstreamRoute:
    """One method and path of v4's API, with the controller action that serves it."""

    method: str
    path: str  # relative to /api/v1, parameters as ``{name}``
    action: str


#: ``Route::resource`` actions in ResourceRegistrar order; PATCH is registered beside PUT.
_RESOURCE_ACTIONS = (
    ("GET", "", "index"),
    ("GET", "/create", "create"),
    ("POST", "", "store"),
    ("GET", "/{id}", "show"),
    ("GET", "/{id}/edit", "edit"),
    ("PUT", "/{id}", "update"),
    ("PATCH", "/{id}", "update"),
    ("DELETE", "/{id}", "destroy"),
)


def _resource(segment: str, controller: str) -> list[UpstreamRoute]:
    return [
        UpstreamRoute(method, f"/{segment}{suffix}", f"{controller}@{action}")
        for method, suffix, action in _RESOURCE_ACTIONS
    ]


def _single(method: str, path: str, action: str) -> list[UpstreamRoute]:
    return [UpstreamRoute(method, path, action)]


#: Every route of v4.5.50's ``routes/api.php``, in file order.
UPSTREAM_ROUTES: tuple[UpstreamRoute, ...] = (
    *_single("GET", "/ping", "AccountApiController@ping"),
    *_single("POST", "/login", "AccountApiController@login"),
    *_single("POST", "/oauth_login", "AccountApiController@oauthLogin"),
    *_single("POST", "/register", "AccountApiController@register"),
    *_single("GET", "/static", "AccountApiController@getStaticData"),
    *_single("GET", "/accounts", "AccountApiController@show"),
    *_single("PUT", "/accounts", "AccountApiController@update"),
    *_single("POST", "/refresh", "AccountApiController@refresh"),
    *_single("POST", "/upgrade", "AccountApiController@upgrade"),
    *_resource("clients", "ClientApiController"),
    *_resource("contacts", "ContactApiController"),
    *_single("GET", "/quotes", "QuoteApiController@index"),
    *_single("GET", "/download/{id}", "InvoiceApiController@download"),
    *_resource("invoices", "InvoiceApiController"),
    *_resource("payments", "PaymentApiController"),
    *_resource("tasks", "TaskApiController"),
    *_resource("credits", "CreditApiController"),
    *_single("POST", "/hooks", "IntegrationController@subscribe"),
    *_single("DELETE", "/hooks/{id}", "IntegrationController@unsubscribe"),
    *_single("POST", "/email_invoice", "InvoiceApiController@emailInvoice"),
    *_single("GET", "/user_accounts", "AccountApiController@getUserAccounts"),
    *_resource("products", "ProductApiController"),
    *_resource("projects", "ProjectApiController"),
    *_resource("tax_rates", "TaxRateApiController"),
    *_resource("users", "UserApiController"),
    *_resource("expenses", "ExpenseApiController"),
    *_single("POST", "/add_token", "AccountApiController@addDeviceToken"),
    *_single("POST", "/remove_token", "AccountApiController@removeDeviceToken"),
    *_single("POST", "/update_notifications", "AccountApiController@updatePushNotifications"),
    *_single("GET", "/dashboard", "DashboardApiController@index"),
    *_resource("documents", "DocumentAPIController"),
    *_resource("vendors", "VendorApiController"),
    *_resource("expense_categories", "ExpenseCategoryApiController"),
    *_single("POST", "/ios_subscription_status", "AccountApiController@iosSubscriptionStatus"),
    *_resource("payment_terms", "PaymentTermApiController"),
)
