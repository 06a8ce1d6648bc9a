"""Webhook delivery: v4's payloads POSTed to subscribers in the background, every attempt logged.

v4 delivers synchronously inside the request; the sandbox sends from a background task so a slow
receiver never slows the API (FIDELITY.md). A 410 answer unsubscribes, as in v4.

Per subscription, the admin API can delay deliveries or simulate a failing receiver (an HTTP error
status, or a dropped connection) without contacting it; those settings live here, in memory.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import aiohttp

from sandbox.bounded import BoundedLog
from sandbox.changes import Changes

#: ``Utils::lookupEventId``: the 21 event names and their ids.
EVENT_IDS: dict[str, int] = {
    "create_client": 1,
    "create_invoice": 2,
    "create_quote": 3,
    "create_payment": 4,
    "create_vendor": 5,
    "update_quote": 6,
    "delete_quote": 7,
    "update_invoice": 8,
    "delete_invoice": 9,
    "update_client": 10,
    "delete_client": 11,
    "delete_payment": 12,
    "update_vendor": 13,
    "delete_vendor": 14,
    "create_expense": 15,
    "update_expense": 16,
    "delete_expense": 17,
    "create_task": 18,
    "update_task": 19,
    "delete_task": 20,
    "approve_quote": 21,
}
TIMEOUT_SECONDS = 10.0
DROP = "drop"

#: A simulated receiver failure: an HTTP status to log, or ``"drop"`` for a connection that fails.
Failure = int | Literal["drop"] | None


def _ignore() -> None:
    return None


@dataclass
class Delivery:
    """One POST to a subscriber and what came of it."""

    id: int
    time: float
    account_key: str
    subscription_id: int
    event: str
    target_url: str
    request_body: str
    status: int | None = None
    response_body: str | None = None
    error: str | None = None
    duration_ms: float | None = None
    unsubscribed: bool = False
    done: bool = False
    redelivery_of: int | None = None
    delay_ms: int = 0
    simulated: bool = False
    on_gone: Callable[[], None] = field(default=_ignore, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The delivery as the admin API shows it."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "on_gone"}


@dataclass(frozen=True)
class SubscriptionSettings:
    """How the sandbox treats one subscription's deliveries: a delay, and an optional simulated failure."""

    delay_ms: int = 0
    fail: Failure = None

    def to_json(self) -> dict[str, Any]:
        """``{"delay_ms": n, "fail": null | {"status": n} | "drop"}``."""
        fail: Any = {"status": self.fail} if isinstance(self.fail, int) else self.fail
        return {"delay_ms": self.delay_ms, "fail": fail}


DEFAULT_SETTINGS = SubscriptionSettings()


@dataclass(frozen=True)
class DeliveryFilter:
    """Search criteria for the log; each one given must hold.

    ``status`` is an HTTP status, ``"error"`` (finished without one) or ``"pending"`` (not finished);
    ``target_url`` is a substring.
    """

    event: str | None = None
    subscription_id: int | None = None
    status: int | Literal["error", "pending"] | None = None
    target_url: str | None = None
    account_key: str | None = None

    def matches(self, delivery: Delivery) -> bool:
        """True when the delivery meets every criterion given."""
        return (
            (self.event is None or delivery.event == self.event)
            and (self.subscription_id is None or delivery.subscription_id == self.subscription_id)
            and self._status_matches(delivery)
            and (self.target_url is None or self.target_url in delivery.target_url)
            and (self.account_key is None or delivery.account_key == self.account_key)
        )

    def _status_matches(self, delivery: Delivery) -> bool:
        if self.status is None:
            return True
        if self.status == "pending":
            return not delivery.done
        if self.status == "error":
            return delivery.done and delivery.status is None
        return delivery.status == self.status


class Webhooks:
    """Sends deliveries from background tasks and keeps a bounded log of them.

    Every new or finished delivery is announced on :attr:`changes`, so admin waits wake on events.
    """

    def __init__(self, limit: int, secret: str | None = None) -> None:
        self.secret = secret
        self.log: BoundedLog[Delivery] = BoundedLog(limit)
        self.changes = Changes()
        self._settings: dict[tuple[str, int], SubscriptionSettings] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiting: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None

    @property
    def dropped(self) -> int:
        """Deliveries evicted from the log by its bound."""
        return self.log.dropped

    def deliveries(self, where: DeliveryFilter | None = None) -> list[Delivery]:
        """Every kept delivery (matching ``where``, when given), oldest first."""
        entries = self.log.entries()
        return entries if where is None else [d for d in entries if where.matches(d)]

    def get(self, delivery_id: int) -> Delivery | None:
        """One delivery by id."""
        return next((d for d in self.log.entries() if d.id == delivery_id), None)

    def clear_log(self) -> None:
        """Forget the delivery log (deliveries under way still finish)."""
        self.log.clear()
        self.changes.notify()

    def clear(self) -> None:
        """Back to the start: forget the log and every subscription's settings, cancel delayed sends."""
        self._settings.clear()
        for task in list(self._waiting):
            task.cancel()
        self.clear_log()

    def settings_for(self, account_key: str, subscription_id: int) -> SubscriptionSettings:
        """The settings of one subscription (the defaults unless changed)."""
        return self._settings.get((account_key, subscription_id), DEFAULT_SETTINGS)

    def configure(self, account_key: str, subscription_id: int, settings: SubscriptionSettings) -> None:
        """Replace one subscription's settings; they apply to deliveries started from now on."""
        if settings == DEFAULT_SETTINGS:
            self._settings.pop((account_key, subscription_id), None)
        else:
            self._settings[(account_key, subscription_id)] = settings

    def send(
        self,
        *,
        account_key: str,
        subscription_id: int,
        event: str,
        target_url: str,
        body: bytes,
        on_gone: Callable[[], None],
        at: float | None = None,
    ) -> Delivery:
        """Start delivering ``body``; returns at once with the log entry the task will complete.

        ``at`` is the time logged for it (the sandbox clock's), else the wall clock's.
        """
        url = target_url
        if self.secret:
            url = f"{target_url}?secret={self.secret}"
        settings = self.settings_for(account_key, subscription_id)
        delivery = Delivery(
            id=self.log.next_id(),
            time=time.time() if at is None else at,
            account_key=account_key,
            subscription_id=subscription_id,
            event=event,
            target_url=url,
            request_body=body.decode(),
            delay_ms=settings.delay_ms,
            on_gone=on_gone,
        )
        self._start(delivery, body, settings.fail)
        return delivery

    def redeliver(self, original: Delivery) -> tuple[Delivery, asyncio.Task[None]]:
        """Send a logged delivery's body to its target again, now: a new log entry, and its task.

        A simulated failure set for the subscription applies; its delay does not.
        """
        delivery = Delivery(
            id=self.log.next_id(),
            time=time.time(),
            account_key=original.account_key,
            subscription_id=original.subscription_id,
            event=original.event,
            target_url=original.target_url,
            request_body=original.request_body,
            redelivery_of=original.id,
            on_gone=original.on_gone,
        )
        fail = self.settings_for(original.account_key, original.subscription_id).fail
        return delivery, self._start(delivery, original.request_body.encode(), fail)

    def _start(self, delivery: Delivery, body: bytes, fail: Failure) -> asyncio.Task[None]:
        self.log.add(delivery)
        task = asyncio.get_running_loop().create_task(self._deliver(delivery, body, fail))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if delivery.delay_ms:
            self._waiting.add(task)
            task.add_done_callback(self._waiting.discard)
        self.changes.notify()
        return task

    async def _deliver(self, delivery: Delivery, body: bytes, fail: Failure) -> None:
        started = time.perf_counter()
        try:
            if delivery.delay_ms:
                await asyncio.sleep(delivery.delay_ms / 1000)
                current = asyncio.current_task()
                if current is not None:
                    self._waiting.discard(current)  # sending now: a reset no longer cancels it
                started = time.perf_counter()
            if fail is not None:
                self._simulate(delivery, fail)
            else:
                await self._post(delivery, body)
        except asyncio.CancelledError:
            delivery.error = "cancelled before it was sent (the sandbox was reset or stopped)"
            raise
        finally:
            delivery.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            delivery.done = True
            self.changes.notify()

    def _simulate(self, delivery: Delivery, fail: int | str) -> None:
        delivery.simulated = True
        if isinstance(fail, int):
            delivery.status = fail
            delivery.response_body = ""
            if fail == 410:
                delivery.on_gone()
                delivery.unsubscribed = True
        else:
            delivery.error = "simulated failure: the connection was dropped before an answer"

    async def _post(self, delivery: Delivery, body: bytes) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS))
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        try:
            async with self._session.post(delivery.target_url, data=body, headers=headers) as response:
                delivery.status = response.status
                delivery.response_body = (await response.text(errors="replace"))[:4096]
            if delivery.status == 410:
                delivery.on_gone()
                delivery.unsubscribed = True
        except (aiohttp.ClientError, TimeoutError, ValueError, OSError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

    async def drain(self) -> None:
        """Wait for deliveries under way (used at shutdown); delayed ones not yet sent are cancelled."""
        for task in list(self._waiting):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=TIMEOUT_SECONDS)

    async def close(self) -> None:
        """Finish pending deliveries and close the HTTP session."""
        await self.drain()
        if self._session is not None:
            await self._session.close()
            self._session = None
