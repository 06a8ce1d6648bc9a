"""Change notification for the in-memory logs, so admin waits wake on events instead of polling."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class Changes:
    """Coroutines await :meth:`next`; :meth:`notify` wakes all of them (from any thread)."""

    def __init__(self) -> None:
        self._waiters: list[asyncio.Future[None]] = []

    def next(self) -> asyncio.Future[None]:
        """A future done at the next :meth:`notify` (callers bound the wait with ``asyncio.timeout``).

        The waiter is registered by this call, not when the caller first awaits: a change made
        after the caller's last look cannot be missed, even when the wait is wrapped in a task
        that has not started yet.
        """
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        waiter.add_done_callback(self._forget)
        return waiter

    def _forget(self, waiter: asyncio.Future[None]) -> None:
        """Drop a waiter that completed or was cancelled (a timeout) before any notification."""
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    def notify(self) -> None:
        """Wake every waiting coroutine."""
        if not self._waiters:
            return
        waiters, self._waiters = self._waiters, []
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for waiter in waiters:
            loop = waiter.get_loop()
            if loop is running:
                _release(waiter)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_release, waiter)


async def wait_for(changes: Changes, select: Callable[[], list[T]], count: int, seconds: float) -> list[T]:
    """``select()`` once it returns at least ``count`` items, or its last answer after ``seconds``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        found = select()
        remaining = deadline - loop.time()
        if len(found) >= count or remaining <= 0:
            return found
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(remaining):
                await changes.next()


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
