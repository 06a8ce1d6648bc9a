"""Tax rates (``TaxRateRepository::save``): a name, a rate in percent and the inclusive flag."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.errors import RecordNotFoundError, ValidationError
from sandbox.models import fields as f
from sandbox.models.accounts import Env
from sandbox.models.php import php_round, route_id
from sandbox.store import Record

#: ``TaxRate::$fillable`` with the column each value lands in (``rate`` is DECIMAL(13,3)).
TAX_RATE_FIELDS: dict[str, f.Kind] = {"name": "string", "rate": "decimal", "is_inclusive": "bool"}


def validate_tax_rate(data: Mapping[str, Any]) -> None:
    """``Create/UpdateTaxRateRequest``: ``name`` and ``rate`` are required (on DELETE too), then the types."""
    errors = f.required_errors(data, ("name", "rate"))
    for field, messages in f.type_errors(TAX_RATE_FIELDS, data).items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def tax_rate_named_by(env: Env, data: Mapping[str, Any]) -> Record | None:
    """The tax rate a POST's ``public_id`` names; archived ones are not found.

    v4 tests ``isset($data['public_id'])``, so any value but null names a record, and an empty or
    zero id names none that exists.
    """
    if data.get("public_id") is None:
        return None
    rate = env.store.get_public("tax_rates", env.account_id, route_id(data["public_id"]) or 0)
    if rate is None or rate.get("deleted_at") is not None:
        raise RecordNotFoundError()
    return rate


def save_tax_rate(env: Env, data: Mapping[str, Any], tax_rate: Record | None = None) -> Record:
    """Create a tax rate, or fill the given one; a save that changes nothing leaves ``updated_at`` alone."""
    fields = f.fill(TAX_RATE_FIELDS, data)
    if "rate" in fields:
        fields["rate"] = php_round(fields["rate"] or 0.0, 3)
    if tax_rate is not None:
        changed = {name: value for name, value in fields.items() if tax_rate.get(name) != value}
        if not changed:
            return tax_rate
        return env.store.update("tax_rates", tax_rate["doc_id"], {**changed, "updated_at": env.now})
    return env.store.insert(
        "tax_rates",
        {
            "name": "",
            "rate": 0.0,
            "is_inclusive": False,
            **fields,
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id("tax_rates", env.account_id),
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )
