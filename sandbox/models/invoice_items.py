"""Line items: ``prepareItem`` on create, and the hard delete and re-insert every save does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sandbox.models.accounts import Env
from sandbox.models.dates import process_variables
from sandbox.models.php import parse_float, truthy
from sandbox.models.products import FILLED_FROM_PRODUCT, find_product, upsert_from_item
from sandbox.models.totals import LineItem
from sandbox.store import Record

#: ``InvoiceItem::$fillable``: copied from the request as sent.
ITEM_FILLABLE = ("tax_name1", "tax_rate1", "tax_name2", "tax_rate2", "invoice_item_type_id", "discount")


def prepare_item(env: Env, item: Mapping[str, Any]) -> dict[str, Any]:
    """``prepareItem``: product auto-fill, then defaults, then the Zapier tax aliases."""
    prepared = dict(item)
    if truthy(prepared.get("product_key")):
        product = find_product(env, prepared["product_key"])
        if product is not None:
            for name in FILLED_FROM_PRODUCT:
                if prepared.get(name) is None:
                    prepared[name] = product.get(name)
    for name, default in (("cost", 0), ("product_key", ""), ("notes", ""), ("qty", 1)):
        if prepared.get(name) is None:
            prepared[name] = default
    for name in ("tax_rate1", "tax_name1", "tax_rate2", "tax_name2"):
        if prepared.get(f"item_{name}") is not None:
            prepared[name] = prepared[f"item_{name}"]
    return prepared


def prepare_items(env: Env, items: Any) -> list[dict[str, Any]]:
    """Every item prepared; a comma-separated ``product_key`` whose first key exists expands in place."""
    if not isinstance(items, list):
        return []
    prepared: list[dict[str, Any]] = [dict(item) if isinstance(item, dict) else {} for item in items]
    for index, item in enumerate(prepared):
        key = item.get("product_key")
        parts = key.split(",") if isinstance(key, str) and key else []
        if len(parts) > 1 and find_product(env, parts[0]) is not None:
            for position, part in enumerate(parts):
                expanded = prepare_item(env, {"product_key": part})
                if position < len(prepared):
                    prepared[position] = expanded
                else:
                    prepared.append(expanded)
            # v4 stops preparing here; the sandbox prepares the rest too (FIDELITY.md).
            tail = [prepare_item(env, rest) for rest in prepared[len(parts) :]]
            return prepared[: len(parts)] + tail
        prepared[index] = prepare_item(env, item)
    return prepared


def totals_lines(items: Sequence[Mapping[str, Any]]) -> list[LineItem]:
    """The items as the totals algorithm reads them."""
    lines = []
    for item in items:
        lines.append(
            LineItem(
                cost=item.get("cost"),
                qty=item.get("qty"),
                discount=item.get("discount") or 0,
                tax_rate1=item.get("tax_rate1") if item.get("tax_rate1") is not None else 0,
                tax_rate2=item.get("tax_rate2") if item.get("tax_rate2") is not None else 0,
                product_key=item.get("product_key"),
                notes=item.get("notes"),
                custom_value1=item.get("custom_value1"),
                custom_value2=item.get("custom_value2"),
            )
        )
    return lines


def _is_blank(item: Mapping[str, Any]) -> bool:
    names = ("cost", "product_key", "notes", "custom_value1", "custom_value2")
    return not any(truthy(item.get(name)) for name in names)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def save_items(env: Env, invoice: Record, items: Sequence[Mapping[str, Any]], *, replacing: bool) -> None:
    """Store an invoice's items: existing ones are hard-deleted first, new public ids each time."""
    store = env.store
    if replacing:
        for old in store.find("invoice_items", "invoice_id", invoice["public_id"], env.account_id):
            store.remove("invoice_items", old["doc_id"])
    recurring = bool(invoice.get("is_recurring"))
    account = env.account
    for raw in items:
        item = dict(raw)
        if _is_blank(item):
            continue
        key = _text(item.get("product_key")).strip()
        if (
            key
            and account.get("update_products")
            and not invoice.get("has_tasks")
            and not invoice.get("has_expenses")
        ):
            upsert_from_item(env, item)
        if item.get("tax_name") is not None and item.get("tax_rate") is not None:
            item["tax_name1"], item["tax_rate1"] = item["tax_name"], item["tax_rate"]
        record: Record = {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "invoice_id": invoice["public_id"],
            "public_id": store.next_public_id("invoice_items", env.account_id),
            "product_key": key if recurring else process_variables(key, env.today).strip(),
            "notes": (
                _text(item.get("notes")) if recurring else process_variables(item.get("notes"), env.today)
            ).strip(),
            "cost": parse_float(item.get("cost")),
            "qty": parse_float(item.get("qty")),
            "custom_value1": item.get("custom_value1"),
            "custom_value2": item.get("custom_value2"),
            "tax_name1": "",
            "tax_rate1": 0.0,
            "tax_name2": "",
            "tax_rate2": 0.0,
            "invoice_item_type_id": 1,
            "discount": 0.0,
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        }
        for name in ITEM_FILLABLE:
            if name in item and item[name] is not None:
                record[name] = parse_float(item[name]) if "rate" in name or name == "discount" else item[name]
        store.insert("invoice_items", record)
