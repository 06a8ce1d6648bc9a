"""The routes of ``routes/api.php`` that are not ``Route::resource`` actions, described one by one."""

from __future__ import annotations

from typing import Any

from sandbox.openapi import bodies
from sandbox.openapi import parameters as params
from sandbox.openapi.bodies import json_request
from sandbox.openapi.responses import HTML, ITEM, JSON, WRITE, Response, errors, json_body
from sandbox.openapi.schemas import Schema, item_envelope, ref

Operation = dict[str, Any]


def _user_accounts(description: str) -> Response:
    accounts = {"type": "array", "items": ref("UserAccount")}
    with_static = {
        "type": "object",
        "properties": {
            "accounts": {"anyOf": [accounts, ref("JsonApiDocument")]},
            "static": {"type": "object"},
            "version": {"type": "string"},
        },
        "required": ["accounts", "static", "version"],
        "additionalProperties": False,
    }
    envelope = {
        "type": "object",
        "properties": {"data": {"anyOf": [accounts, with_static, ref("JsonApiDocument")]}},
        "required": ["data"],
        "additionalProperties": False,
    }
    return json_body(description, envelope)


def _data(schema: Schema) -> Schema:
    return {
        "type": "object",
        "properties": {"data": schema},
        "required": ["data"],
        "additionalProperties": False,
    }


_DEVICE: Schema = {
    "type": "object",
    "properties": {
        name: {}
        for name in (
            "token",
            "email",
            "device",
            "account_key",
            "notify_sent",
            "notify_viewed",
            "notify_approved",
            "notify_paid",
        )
    },
    "required": ["token", "email", "device", "account_key"],
    "additionalProperties": False,
}
_SECRET_ERRORS = errors("403")
_LOGIN_RESPONSES = {
    "200": _user_accounts("The user's accounts, each with its token."),
    **errors("401", "403"),
}


def _special() -> dict[str, Operation]:
    """The routes that are not ``Route::resource`` actions, by route name."""
    entries: dict[str, Operation] = {
        "ping": {
            "parameters": [params.query("v2", {"type": "integer", "enum": [0, 1]}, "Legacy Zapier check.")],
            "responses": {
                "200": json_body(
                    "The bare text `success` (not valid JSON, though typed `application/json`); with `v2`, "
                    '`{"data": "<user email>"}`.',
                    None,
                ),
                **errors("403", "500"),
            },
        },
        "login": {"requestBody": json_request(bodies.LOGIN), "responses": _LOGIN_RESPONSES},
        "oauth_login": {"requestBody": json_request(bodies.OAUTH_LOGIN), "responses": _LOGIN_RESPONSES},
        "register": {
            "requestBody": json_request(bodies.REGISTER),
            "responses": {"200": _user_accounts("The new account, as login answers."), **errors(*WRITE)},
        },
        "refresh": {
            "requestBody": json_request(bodies.REFRESH, required=False),
            "responses": {"200": _user_accounts("The user's accounts; no new token."), **errors("403")},
        },
        "user_accounts": {
            "parameters": [
                params.query("token_name", {"type": "string"}, "Shows the token of this name."),
                params.shared("Serializer"),
            ],
            "responses": {"200": _user_accounts("The user's accounts."), **errors("403")},
        },
        "static": {
            "responses": {
                "200": json_body(
                    "v4's cached lookup tables, whole rows.",
                    _data(
                        {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "object"}},
                        }
                    ),
                ),
                **errors("403"),
            },
        },
        "accounts.show": {
            "parameters": [params.include("account"), params.shared("Serializer")],
            "responses": {
                "200": json_body("The caller's account.", item_envelope(ref("Account"))),
                **errors("403"),
            },
        },
        "accounts.update": {
            "parameters": [params.shared("Serializer")],
            "requestBody": json_request(bodies.ACCOUNT_UPDATE),
            "responses": {
                "200": json_body("The account as saved.", item_envelope(ref("Account"))),
                **errors(*WRITE),
            },
        },
        "upgrade": {
            "requestBody": json_request(bodies.UPGRADE, required=False),
            "responses": {
                "200": {
                    "description": '`{"message":"success"}` or `{"message":"error"}` as text/html.',
                    "content": {HTML: {}},
                },
                **errors(*WRITE),
            },
        },
        "ios_subscription_status": {
            "responses": {"200": {"description": "An empty body.", "content": {HTML: {}}}, **_SECRET_ERRORS},
        },
        "download": {
            "responses": {
                "200": {
                    "description": "The invoice as a PDF attachment.",
                    "content": {"application/pdf": {}},
                },
                **errors(*ITEM),
            },
        },
        "hooks.subscribe": {
            "requestBody": json_request(bodies.HOOK),
            "responses": {
                "201": {
                    "description": 'Compact `{"id": n}`, without the API headers.',
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "properties": {"id": {"type": "integer"}},
                                "required": ["id"],
                                "additionalProperties": False,
                            }
                        }
                    },
                },
                "500": {
                    "description": 'An unknown event: the JSON string `"Event is invalid"` (v4\'s answer).',
                    "content": {JSON: {"schema": {"type": "string"}}},
                },
                **errors(*WRITE),
            },
        },
        "hooks.unsubscribe": {
            "responses": {
                "200": json_body('`{"data": "success"}`.', _data({"const": "success"})),
                **errors(*ITEM),
            },
        },
        "email_invoice": {
            "requestBody": json_request(bodies.EMAIL_INVOICE, required=False),
            "responses": {
                "200": json_body(
                    '`{"message": "success"}`.',
                    {
                        "type": "object",
                        "properties": {"message": {"const": "success"}},
                        "required": ["message"],
                        "additionalProperties": False,
                    },
                ),
                "500": json_body(
                    "The mailer's refusal (v4's answer), e.g. `Invalid contact email`.", ref("ErrorValue")
                ),
                **errors(*WRITE),
            },
        },
        "add_token": {
            "requestBody": json_request(bodies.ADD_TOKEN, required=False),
            "responses": {"200": json_body("The registered device.", _data(_DEVICE)), **errors(*WRITE)},
        },
        "remove_token": {
            "requestBody": json_request(bodies.REMOVE_TOKEN, required=False),
            "responses": {
                "200": json_body(
                    '`{"data": ["success"]}`.', _data({"type": "array", "items": {"const": "success"}})
                ),
                **errors(*WRITE),
            },
        },
        "update_notifications": {
            "requestBody": json_request(bodies.NOTIFICATIONS, required=False),
            "responses": {
                "200": {
                    **json_body(
                        "The caller's device; an empty text/html body when none is the caller's.",
                        _data(_DEVICE),
                    ),
                    "content": {JSON: {"schema": _data(_DEVICE)}, HTML: {}},
                },
                **errors(*WRITE),
            },
        },
        "dashboard": {
            "parameters": [
                params.query(
                    "only_activity", {"type": "integer", "enum": [0, 1]}, "Only `{id, activities}`."
                ),
                params.shared("Serializer"),
            ],
            "responses": {
                "200": json_body("Figures and the latest activities.", _data(ref("Dashboard"))),
                **errors("403"),
            },
        },
    }
    return entries


SPECIAL: dict[str, Operation] = _special()
