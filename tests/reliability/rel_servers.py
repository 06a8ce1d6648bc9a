"""Starting and killing real sandbox processes for the reliability tests.

``ForkServer`` drives ``rel_forkserver.py`` (see there): every start is a new ``ninja-sandbox serve``
process over the given data file, every kill a real SIGKILL, without paying the import time each time.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from helpers.process import REPO_ROOT, _env

FORKSERVER = Path(__file__).with_name("rel_forkserver.py")


@dataclass(frozen=True)
class Spawned:
    """One started server process."""

    pid: int
    url: str

    @property
    def api(self) -> str:
        return self.url + "/api/v1"


class ForkServerError(RuntimeError):
    """The fork server could not start a sandbox, or is gone."""


class ForkServer:
    """A client of ``rel_forkserver.py``; safe to use from several threads (one command at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, str(FORKSERVER)],
            cwd=REPO_ROOT,
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        ready = self._read()
        if not ready.get("ready"):
            raise ForkServerError(f"the fork server did not start: {ready}")

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise ForkServerError(f"the fork server exited ({self.proc.poll()})")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _ask(self, command: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(command) + "\n")
            self.proc.stdin.flush()
            return self._read()

    def spawn(
        self, data: Path, *args: str, fold_bytes: int | None = None, fsize: int | None = None
    ) -> Spawned:
        """Start ``ninja-sandbox serve`` on a free port over ``data``; returns once it answers health."""
        argv = ["--port", "0", "--data", str(data), "--error-delay", "0", *args]
        reply = self._ask({"cmd": "spawn", "args": argv, "fold_bytes": fold_bytes, "fsize": fsize})
        if "pid" not in reply:
            raise ForkServerError(f"{reply.get('error')}\n{reply.get('output', '')[-3000:]}")
        spawned = Spawned(int(reply["pid"]), str(reply["url"]))
        health = httpx.get(spawned.url + "/__admin/health", timeout=10)
        if health.status_code != 200:
            self.kill(spawned)
            raise ForkServerError(f"health answered {health.status_code}: {health.text[:300]}")
        return spawned

    def refused_start(self, data: Path, *args: str, fsize: int | None = None) -> tuple[int, str]:
        """Start a server that must refuse to start: its exit status and everything it printed."""
        argv = ["--port", "0", "--data", str(data), "--error-delay", "0", *args]
        reply = self._ask({"cmd": "spawn", "args": argv, "fold_bytes": None, "fsize": fsize})
        if "pid" in reply:
            self.kill(Spawned(int(reply["pid"]), str(reply["url"])))
            raise AssertionError(f"the sandbox started over {data}")
        return int(reply["status"]), str(reply["output"])

    def kill(self, spawned: Spawned) -> tuple[int, str]:
        """SIGKILL and reap; the exit status (-9) and everything the process printed."""
        reply = self._ask({"cmd": "kill", "pid": spawned.pid})
        return int(reply["status"]), str(reply.get("output", ""))

    def terminate(self, spawned: Spawned) -> tuple[int, str]:
        """SIGTERM (a clean shutdown that folds the log) and reap."""
        reply = self._ask({"cmd": "term", "pid": spawned.pid})
        return int(reply["status"]), str(reply.get("output", ""))

    def close(self) -> None:
        """Kill any child still running and stop the fork server."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
