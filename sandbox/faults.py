"""Fault injection and v4's hosted throttle, for ``/api/v1`` requests only (never ``/__admin``).

Order for one request: route match (404/405), ``ApiCheck`` token or secret (403), the throttle
(403, when switched on), then at most one injected fault, then the handler. The fault is the one
the request's ``X-Sandbox-Fault`` header names; without that header, the first fault rule
(``/__admin/faults``) that matches the request and fires (by its probability and remaining count).
A request refused before that (no such route, a bad token, throttled) gets no fault.

A fault is a JSON object with ``latency_ms`` and at most one of ``error``, ``drop``, ``truncate``:

``{"latency_ms": 200}``
    wait 200 ms (real time), then answer normally.
``{"error": 500}``, ``{"error": "403-throttle"}``, ``{"error": 404, "body": {...}}``
    answer v4's own error (table below) without running the handler, after v4's delay for it
    (``--error-delay``; 1 s at most for the throttle). ``body`` (any JSON value) replaces the body,
    pretty-printed like v4's ``errorResponse``, with the API headers. Any other status from 400 to
    599 (v4 never answers 429 or 502, say) needs a ``body``.
``{"drop": true}`` (or ``"before"``), ``{"drop": "after"}``
    close the connection without an answer: before the handler runs, or after it (its writes,
    webhooks and emails happen; only the answer is lost).
``{"truncate": 10}``
    run the handler, send the status and headers with the full ``Content-Length`` but only the
    first 10 bytes of the body, then close the connection (a body no longer than that is whole).

The ``X-Sandbox-Fault`` header says the same, comma-separated: ``latency=200``, ``error=500``,
``error=403-throttle``, ``drop``, ``drop=after``, ``truncate=10``, ``latency=200,error=503``. It is
read as soon as the route matches, so a value that cannot be read answers 400
``{"error":{"message":"X-Sandbox-Fault: ..."}}`` even before the token is checked. The header wins
over the rules, which are then not consulted (nor counted).

``error`` values (reference §2.9; a plain status is its first variant):

* ``400``: a failed validation with ``api_secret``: ``{"error":{"message":"The selected id is invalid."}}``;
* ``401``: a failed login: ``{"error":{"message":"Invalid credentials"}}``;
* ``403``/``403-token``: ``{"error":{"message":"Invalid token"}}``; ``403-secret``: the API_SECRET
  one; ``403-throttle``: ``"Please wait 1 second(s)"``; ``403-plan``: "API requires pro plan";
  ``403-forbidden``: a policy denial ("This action is unauthorized.", JSON or HTML by ``Accept``);
* ``404``/``404-record``: ``{"message": "record does not exist"}``; ``404-empty``:
  ``{"error": "Record not found"}``; ``404-route``: "Route does not exist";
* ``405``: Laravel's method-not-allowed, naming the path's other methods;
* ``422``: ``{"message":"The given data was invalid.","errors":{"id":["The selected id is invalid."]}}``;
* ``500``: ``{"message": "Server Error"}`` (HTML without ``Accept: application/json``);
  ``500-internal``: ``{"error":{"message":"Internal Server Error"}}``;
* ``503``: maintenance mode (``artisan down``): ``{"message": ""}``, or v4's maintenance page.

The journal records what the client got: an injected error's status and body; for ``drop`` and
``truncate`` status ``0`` (no usable answer), with the headers and the body bytes actually sent.

The throttle switch (:mod:`sandbox.throttle`) lives here too, so that a reset clears both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.errors import RequestTraits, SandboxError
from sandbox.injection import ERRORS, compact_error
from sandbox.settings import Settings, parse_throttle
from sandbox.throttle import Throttle, ThrottleConfig

if TYPE_CHECKING:
    from sandbox.admin.matching import Matcher
    from sandbox.journal import JournalEntry

FAULT_HEADER = "X-Sandbox-Fault"
MAX_LATENCY_MS = 300_000
_KEYS = ("latency_ms", "error", "body", "drop", "truncate")
_TOKEN_DELAY = ("403", "403-token", "403-secret")


class FaultSpecError(ValueError):
    """A fault, rule or header that cannot be used; the message says why."""


# --- faults -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """One fault to inject: a latency, and at most one of an error, a drop or a truncation."""

    latency_ms: int = 0
    error: str | None = None
    body: Any = None
    has_body: bool = False
    drop: str | None = None  # "before" or "after" the handler
    truncate: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The fault in the JSON form rules are written in."""
        data: dict[str, Any] = {}
        if self.latency_ms:
            data["latency_ms"] = self.latency_ms
        if self.error is not None:
            data["error"] = int(self.error) if self.error.isdigit() else self.error
            if self.has_body:
                data["body"] = self.body
        if self.drop is not None:
            data["drop"] = True if self.drop == "before" else self.drop
        if self.truncate is not None:
            data["truncate"] = self.truncate
        return data

    @property
    def delay(self) -> str | None:
        """Which of v4's error delays the injected error waits: ``token``, ``throttle`` or none."""
        if self.error in _TOKEN_DELAY:
            return "token"
        return "throttle" if self.error == "403-throttle" else None


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _natural(name: str, value: Any, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FaultSpecError(f"{name} must be a non-negative integer")
    if most is not None and value > most:
        raise FaultSpecError(f"{name} must be at most {most}")
    return value


def _error_key(value: Any, has_body: bool) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FaultSpecError('error must be a status such as 500 or a variant such as "403-throttle"')
    key = str(value).strip().lower()
    if key in ERRORS:
        return key
    if _digits(key) and 400 <= int(key) <= 599 and has_body:
        return key
    if _digits(key) and 400 <= int(key) <= 599:
        raise FaultSpecError(f"v4.5.50 never answers {key} (its throttle answers 403-throttle); give a body")
    raise FaultSpecError(f"unknown error {key}; known: {', '.join(ERRORS)}")


def parse_fault(data: Any) -> Fault:
    """A fault from its JSON object; :class:`FaultSpecError` says what is wrong."""
    if not isinstance(data, dict) or not data:
        raise FaultSpecError('fault must be an object such as {"latency_ms": 200} or {"error": 500}')
    unknown = sorted(str(key) for key in data if key not in _KEYS)
    if unknown:
        raise FaultSpecError(f"unknown fault key: {unknown[0]} (known keys: {', '.join(_KEYS)})")
    terminal = [key for key in ("error", "drop", "truncate") if key in data]
    if len(terminal) > 1:
        raise FaultSpecError(f"give at most one of error, drop and truncate, not {' and '.join(terminal)}")
    if "body" in data and "error" not in data:
        raise FaultSpecError("body goes with error")
    latency = _natural("latency_ms", data.get("latency_ms", 0), MAX_LATENCY_MS)
    if not terminal and not latency:
        raise FaultSpecError("the fault does nothing: give latency_ms, error, drop or truncate")
    fault = Fault(latency_ms=latency)
    if "error" in data:
        has_body = "body" in data
        fault = replace(
            fault, error=_error_key(data["error"], has_body), body=data.get("body"), has_body=has_body
        )
    if "drop" in data:
        drop = data["drop"]
        if drop is not True and drop not in ("before", "after"):
            raise FaultSpecError('drop must be true, "before" or "after"')
        fault = replace(fault, drop="before" if drop is True else drop)
    if "truncate" in data:
        fault = replace(fault, truncate=_natural("truncate", data["truncate"]))
    return fault


def parse_fault_header(text: str) -> Fault:
    """A fault from the compact ``X-Sandbox-Fault`` syntax, e.g. ``latency=200,error=503``."""
    data: dict[str, Any] = {}
    for part in text.split(","):
        name, equals, value = (piece.strip() for piece in part.partition("="))
        name = name.lower()
        key = {"latency": "latency_ms"}.get(name, name)
        if key in data:
            raise FaultSpecError(f"{name} is given twice")
        if name in ("latency", "truncate"):
            if not _digits(value):
                raise FaultSpecError(f"{name} needs a whole number, as in {name}=200")
            data[key] = int(value)
        elif name == "error" and value:
            data[key] = value
        elif name == "drop":
            data[key] = value.lower() if equals else True
        else:
            raise FaultSpecError(
                f"cannot read {part.strip() or 'an empty part'!r}; use latency=MS, error=STATUS[-VARIANT], "
                "drop, drop=after or truncate=BYTES, separated by commas"
            )
    return parse_fault(data)


class FaultHeaderError(SandboxError):
    """An ``X-Sandbox-Fault`` header that cannot be read: 400, naming the header."""

    status = 400

    def render(self, traits: RequestTraits) -> web.Response:
        return compact_error(400, f"{FAULT_HEADER}: {self}")


def header_fault(value: str | None) -> Fault | None:
    """The fault an ``X-Sandbox-Fault`` header asks for; raises :class:`FaultHeaderError`."""
    if value is None:
        return None
    try:
        return parse_fault_header(value)
    except FaultSpecError as exc:
        raise FaultHeaderError(str(exc)) from exc


# --- rules ------------------------------------------------------------------------------------------------


@dataclass
class FaultRule:
    """A matcher, the fault it injects, how likely and how many more times."""

    id: int
    matcher: Matcher
    fault: Fault
    probability: float = 1.0
    count: int | None = None
    matched: int = 0
    hits: int = 0

    @property
    def remaining(self) -> int | None:
        """How many more times the rule may fire (None: no limit)."""
        return None if self.count is None else self.count - self.hits

    def to_json(self) -> dict[str, Any]:
        """The rule as the admin API shows it."""
        return {
            "id": self.id,
            "match": self.matcher.spec,
            "probability": self.probability,
            "count": self.count,
            "remaining": self.remaining,
            "matched": self.matched,
            "hits": self.hits,
            "fault": self.fault.to_json(),
        }


class Faults:
    """The fault rules and the throttle switch of one sandbox."""

    def __init__(self, throttle: ThrottleConfig | None = None, seed: int = 1) -> None:
        self.rules: list[FaultRule] = []
        self.throttle = Throttle(throttle)
        self._next_id = 1
        self._rng = Random(seed)

    @classmethod
    def from_settings(cls, settings: Settings) -> Faults:
        """The rules (none yet) and the throttle as ``--throttle`` sets it."""
        numbers = parse_throttle(settings.throttle)
        return cls(ThrottleConfig(*numbers) if numbers else None, settings.seed)

    def add(
        self, matcher: Matcher, fault: Fault, probability: float = 1.0, count: int | None = None
    ) -> FaultRule:
        """A new rule, tried after the existing ones."""
        rule = FaultRule(self._next_id, matcher, fault, probability, count)
        self._next_id += 1
        self.rules.append(rule)
        return rule

    def get(self, rule_id: int) -> FaultRule | None:
        """The rule with this id, if any."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def remove(self, rule_id: int) -> bool:
        """Delete a rule; False when there was none."""
        rule = self.get(rule_id)
        if rule is not None:
            self.rules.remove(rule)
        return rule is not None

    def clear(self) -> None:
        """Delete every rule."""
        self.rules.clear()

    def reset(self, seed: int) -> None:
        """No rules, the throttle as at start, and the probability draws from the seed again."""
        self.clear()
        self._next_id = 1
        self._rng = Random(seed)
        self.throttle.reset()

    def pick(self, entry: JournalEntry) -> Fault | None:
        """The fault of the first rule that matches the request and fires, counting it."""
        for rule in self.rules:
            if rule.remaining == 0 or not rule.matcher.matches(entry):
                continue
            rule.matched += 1
            if rule.probability < 1 and self._rng.random() >= rule.probability:
                continue
            rule.hits += 1
            return rule.fault
        return None
