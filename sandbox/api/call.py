"""One API request as the handlers see it: who is calling, with what input."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sandbox.errors import RequestTraits, SandboxError
from sandbox.keys import call_key
from sandbox.models.accounts import Actor, Env
from sandbox.namespaces import runtime_of
from sandbox.runtime import Runtime
from sandbox.transform.context import Context
from sandbox.transform.fractal import parse_includes


def _accept_types(header: str) -> list[str]:
    """``Accept`` media types, best first (Symfony's ``AcceptHeader`` ordering)."""
    items: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        items.append((-quality, index, pieces[0].lower()))
    return [media for _, _, media in sorted(items)]


def request_traits(request: web.Request, input_data: dict[str, Any] | None = None) -> RequestTraits:
    """What of this request decides the shape of an error (``expectsJson`` and friends)."""
    accepts = _accept_types(request.headers.get("Accept", ""))
    ajax = request.headers.get("X-Requested-With", "") == "XMLHttpRequest"
    any_type = not accepts or accepts[0] in ("*/*", "*")
    wants_json = bool(accepts) and ("/json" in accepts[0] or "+json" in accepts[0])
    token = request.headers.get("X-Ninja-Token", "")
    secret = (input_data or {}).get("api_secret")
    return RequestTraits(
        expects_json=(ajax and any_type) or wants_json,
        has_token_header=len(token) > 1,
        has_api_secret=bool(secret) and secret != "0",
        referer=request.headers.get("Referer") or None,
        app_root=f"{request.scheme}://{request.host}",
    )


@dataclass
class Call:
    """The authenticated caller and the parsed input of one request."""

    request: web.Request
    runtime: Runtime
    input: dict[str, Any]
    actor: Actor | None

    @property
    def json_api(self) -> bool:
        """``serializer=json`` (only the exact lower-case value) switches to JSON-API."""
        return self.input.get("serializer") == "json"

    def env(self) -> Env:
        """The business-rule environment for this request (requires an authenticated caller)."""
        assert self.actor is not None
        runtime = self.runtime
        return Env(
            runtime.store,
            runtime.static,
            self.actor,
            runtime.clock.timestamp(),
            runtime.rng,
            base_url=f"{self.request.scheme}://{self.request.host}",
        )

    @contextlib.contextmanager
    def write(self) -> Iterator[Env]:
        """Run business rules in one durable transaction, then send the emails and webhooks they caused.

        A v4 error answer keeps the writes made before it (as v4 does); any other exception undoes them.
        """
        from sandbox.api.effects import carry_out

        env = self.env()
        answered: SandboxError | None = None
        with env.store.transaction():
            try:
                yield env
            except SandboxError as error:
                # v4 has no transactions: what it wrote before an error answer stays written.
                answered = error
        if answered is not None:
            raise answered
        carry_out(self, env)

    def context(self, *, created: bool = False) -> Context:
        """What the transformers need; ``created`` adds ``user_id`` as v4 does for new records."""
        assert self.actor is not None
        raw = self.input.get("include")
        if isinstance(raw, list):
            raw = ",".join(str(item) for item in raw)
        return Context(
            store=self.runtime.store,
            account=self.actor.account,
            user=self.actor.user,
            includes=parse_includes(raw),
            json_api=self.json_api,
            show_user_id=created,
            base_url=f"{self.request.scheme}://{self.request.host}",
            now=self.runtime.clock.timestamp(),
        )


def get_call(request: web.Request) -> Call:
    """The ``Call`` the auth middleware attached to this request."""
    return request[call_key]


def get_runtime(request: web.Request) -> Runtime:
    """The running sandbox's state."""
    return runtime_of(request)
