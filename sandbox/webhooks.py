"""Webhook delivery: v4's payloads POSTed to subscribers in the background, every attempt logged.

v4 delivers synchronously inside the request; the sandbox sends from a background task so a slow
receiver never slows the API (FIDELITY.md). A 410 answer unsubscribes, as in v4.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp

from sandbox.bounded import BoundedLog

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

    def to_json(self) -> dict[str, Any]:
        """The delivery as the admin API shows it."""
        return asdict(self)


class Webhooks:
    """Sends deliveries from background tasks and keeps a bounded log of them."""

    def __init__(self, limit: int, secret: str | None = None) -> None:
        self.secret = secret
        self.log: BoundedLog[Delivery] = BoundedLog(limit)
        self._tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None

    @property
    def dropped(self) -> int:
        """Deliveries evicted from the log by its bound."""
        return self.log.dropped

    def deliveries(self) -> list[Delivery]:
        """Every kept delivery, oldest first."""
        return self.log.entries()

    def clear(self) -> None:
        """Forget the log."""
        self.log.clear()

    def send(
        self,
        *,
        account_key: str,
        subscription_id: int,
        event: str,
        target_url: str,
        body: bytes,
        on_gone: Callable[[], None],
    ) -> Delivery:
        """Start delivering ``body``; returns at once with the log entry the task will complete."""
        url = target_url
        if self.secret:
            url = f"{target_url}?secret={self.secret}"
        delivery = Delivery(
            id=self.log.next_id(),
            time=time.time(),
            account_key=account_key,
            subscription_id=subscription_id,
            event=event,
            target_url=url,
            request_body=body.decode(),
        )
        self.log.add(delivery)
        task = asyncio.get_running_loop().create_task(self._deliver(delivery, body, on_gone))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return delivery

    async def _deliver(self, delivery: Delivery, body: bytes, on_gone: Callable[[], None]) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS))
        started = time.perf_counter()
        headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
        try:
            async with self._session.post(delivery.target_url, data=body, headers=headers) as response:
                delivery.status = response.status
                delivery.response_body = (await response.text(errors="replace"))[:4096]
            if delivery.status == 410:
                on_gone()
                delivery.unsubscribed = True
        except (aiohttp.ClientError, TimeoutError, ValueError, OSError) as exc:
            delivery.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        finally:
            delivery.duration_ms = round((time.perf_counter() - started) * 1000, 3)
            delivery.done = True

    async def drain(self) -> None:
        """Wait for deliveries under way (used at shutdown)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=TIMEOUT_SECONDS)

    async def close(self) -> None:
        """Finish pending deliveries and close the HTTP session."""
        await self.drain()
        if self._session is not None:
            await self._session.close()
            self._session = None
