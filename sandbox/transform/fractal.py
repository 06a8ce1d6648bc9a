"""Turning records into v4's JSON: transformers, includes and the two serializers.

v4 builds every body with league/fractal 0.13. This module reproduces what the API shows of it:

* a transformer turns one record into an ordered dict of fields, then appends its includes: the
  default includes first, then the requested available ones, in the transformer's own order;
* ``include=a.b`` requests ``a`` and ``a.b`` (parents are implied); unknown names are ignored;
* the array serializer (the default) puts an item include as an object and a collection include
  as a list, and omits an include whose value is null;
* ``serializer=json`` is fractal's ``JsonApiSerializer``: ``{"data": {type, id, attributes,
  relationships}, "included": [...]}``, with nested includes side-loaded and de-duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.transform.context import Context

Record = dict[str, Any]
FieldsFn = Callable[["Context", Record], dict[str, Any]]
IncludeFn = Callable[["Context", Record], "list[Record] | Record | None"]


@dataclass(frozen=True)
class Include:
    """One relation a transformer can include."""

    name: str
    load: IncludeFn
    transformer: Callable[[], Transformer]
    many: bool = True


@dataclass(frozen=True)
class Transformer:
    """How one entity type is shown: its fields and its includes."""

    entity_type: str
    fields: FieldsFn
    default_includes: tuple[Include, ...] = ()
    available_includes: tuple[Include, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def include_names(self) -> tuple[str, ...]:
        """Every include this transformer knows, default ones first."""
        return tuple(i.name for i in (*self.default_includes, *self.available_includes))


MAX_INCLUDE_DEPTH = 10


def parse_includes(raw: Any) -> frozenset[str]:
    """Fractal's ``Manager::parseIncludes``: comma list, modifiers dropped, parents implied."""
    if not isinstance(raw, str) or raw == "":
        return frozenset()
    requested: set[str] = set()
    for item in raw.split(","):
        name = item.split(":", 1)[0]
        parts = name.split(".")[:MAX_INCLUDE_DEPTH]
        for depth in range(1, len(parts) + 1):
            requested.add(".".join(parts[:depth]))
    return frozenset(requested)


def _wanted(transformer: Transformer, ctx: Context, path: str) -> list[Include]:
    # The same for every record of a response: worked out once per transformer and path.
    key = ("includes", id(transformer), path)
    chosen: list[Include] | None = ctx.cache.get(key)
    if chosen is None:
        prefix = f"{path}." if path else ""
        chosen = list(transformer.default_includes)
        chosen += [i for i in transformer.available_includes if f"{prefix}{i.name}" in ctx.includes]
        ctx.cache[key] = chosen
    return chosen


# -- array serializer ------------------------------------------------------------------------------


def to_array(ctx: Context, transformer: Transformer, record: Record, path: str = "") -> dict[str, Any]:
    """One record, array-serialized, with its includes merged in."""
    data = transformer.fields(ctx, record)
    for include in _wanted(transformer, ctx, path):
        value = include.load(ctx, record)
        if value is None:
            continue
        child = include.transformer()
        child_path = f"{path}.{include.name}" if path else include.name
        if include.many:
            assert isinstance(value, list)
            data[include.name] = [to_array(ctx, child, item, child_path) for item in value]
        else:
            assert isinstance(value, dict)
            data[include.name] = to_array(ctx, child, value, child_path)
    return data


# -- JSON-API serializer ---------------------------------------------------------------------------


@dataclass
class _Scope:
    """What fractal's ``Scope::toArray`` yields for one resource under ``JsonApiSerializer``."""

    data: Any  # {"data": resource} or {"data": [resources]}
    included: list[dict[str, Any]]


def _resource(entity_type: str, fields: dict[str, Any]) -> dict[str, Any]:
    attributes = {k: v for k, v in fields.items() if k != "id"}
    return {"type": entity_type, "id": str(fields.get("id")), "attributes": attributes}


def _dedupe_into(target: list[dict[str, Any]], seen: set[str], objects: Sequence[dict[str, Any]]) -> None:
    for obj in objects:
        key = f"{obj['type']}:{obj['id']}"
        if key not in seen:
            seen.add(key)
            target.append(obj)


def _jsonapi_scope(
    ctx: Context, transformer: Transformer, records: list[Record] | Record, path: str, root: bool
) -> _Scope:
    many = isinstance(records, list)
    items: list[Record] = records if isinstance(records, list) else [records]
    resources: list[dict[str, Any]] = []
    raw_included: list[dict[str, _Scope]] = []
    for record in items:
        resources.append(_resource(transformer.entity_type, transformer.fields(ctx, record)))
        includes: dict[str, _Scope] = {}
        for include in _wanted(transformer, ctx, path):
            value = include.load(ctx, record)
            if value is None:
                continue
            child_path = f"{path}.{include.name}" if path else include.name
            includes[include.name] = _jsonapi_scope(ctx, include.transformer(), value, child_path, False)
        raw_included.append(includes)

    # includedData(): nested side-loads first, then the direct includes, de-duplicated.
    included: list[dict[str, Any]] = []
    seen: set[str] = set()
    for includes in raw_included:
        for scope in includes.values():
            _dedupe_into(included, seen, scope.included)
    for includes in raw_included:
        for scope in includes.values():
            objects = scope.data["data"]
            if objects is None or objects == []:
                continue
            _dedupe_into(included, seen, objects if isinstance(objects, list) else [objects])

    # injectData(): relationships, appended per include name in the order fractal meets them.
    relationships: dict[str, list[dict[str, Any]]] = {}
    for includes in raw_included:
        for name, scope in includes.items():
            objects = scope.data["data"]
            if objects == []:
                rel: dict[str, Any] = {"data": []}
            elif isinstance(objects, list):
                rel = {"data": [{"type": o["type"], "id": o["id"]} for o in objects]}
            else:
                rel = {"data": {"type": objects["type"], "id": objects["id"]}}
            relationships.setdefault(name, []).append(rel)
    for name, rels in relationships.items():
        if many:
            for index, rel in enumerate(rels):
                if index < len(resources):
                    resources[index].setdefault("relationships", {})[name] = rel
        else:
            resources[0].setdefault("relationships", {})[name] = rels[0]

    if root:
        roots = {f"{r['type']}:{r['id']}" for r in resources}
        included = [o for o in included if f"{o['type']}:{o['id']}" not in roots]
    data = {"data": resources if many else resources[0]}
    return _Scope(data=data, included=included)


def to_jsonapi(ctx: Context, transformer: Transformer, records: list[Record] | Record) -> dict[str, Any]:
    """A record or a list of records under fractal's ``JsonApiSerializer``."""
    scope = _jsonapi_scope(ctx, transformer, records, "", True)
    result: dict[str, Any] = dict(scope.data)
    if scope.included:
        result["included"] = scope.included
    return result
