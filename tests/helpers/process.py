"""Run ``python -m sandbox serve`` as a real subprocess: start it, wait for it, stop it.

The server prints one line such as
``ninja-sandbox 0.1.0 serving http://127.0.0.1:PORT/api/v1/ token=TOKEN data=PATH ...`` once it
listens. ``start_server`` reads that line (with a deadline), then polls ``/__admin/health`` until it
answers 200. Both pipes are drained by background threads so a chatty server never blocks on a full
pipe, and everything it wrote stays available for assertions and failure messages.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "TOKEN"
_SERVING = re.compile(r"serving (?P<url>http://\S+?)/api/v1/ token=(?P<token>\S+)")


class ServerStartError(RuntimeError):
    """The server exited, or never said it was serving, before the deadline."""


@dataclass
class _Drain:
    """A thread that reads one pipe line by line into a list."""

    stream: IO[str]
    lines: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)
    done: bool = False

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for line in self.stream:
                with self.changed:
                    self.lines.append(line)
                    self.changed.notify_all()
        except ValueError:  # the pipe was closed under us
            pass
        finally:
            with self.changed:
                self.done = True
                self.changed.notify_all()

    def wait_for(self, pattern: re.Pattern[str], deadline: float) -> re.Match[str] | None:
        """The first line matching ``pattern``; None at EOF or when the deadline passes."""
        seen = 0
        with self.changed:
            while True:
                for line in self.lines[seen:]:
                    match = pattern.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                remaining = deadline - time.monotonic()
                if self.done or remaining <= 0:
                    return None
                self.changed.wait(remaining)

    def text(self) -> str:
        with self.changed:
            return "".join(self.lines)


def server_command(data: Path | str, *args: str) -> list[str]:
    """The command line of a sandbox on a free port over ``data``, with no error delay."""
    return [
        sys.executable,
        "-m",
        "sandbox",
        "serve",
        "--port",
        "0",
        "--data",
        str(data),
        "--error-delay",
        "0",
        *args,
    ]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ServerProcess:
    """One running sandbox subprocess."""

    def __init__(self, proc: subprocess.Popen[str], data: Path) -> None:
        self.proc = proc
        self.data = Path(data)
        self.wal = self.data.with_name(self.data.name + ".wal")
        assert proc.stdout is not None
        assert proc.stderr is not None
        self._stdout = _Drain(proc.stdout)
        self._stderr = _Drain(proc.stderr)
        self.url = ""
        self.token = TOKEN

    # -- start-up ---------------------------------------------------------------------------------

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        match = self._stdout.wait_for(_SERVING, deadline)
        if match is None:
            self.kill()
            raise ServerStartError(
                f"sandbox did not report serving within {timeout}s (exit {self.proc.returncode})\n"
                f"stdout:\n{self.stdout}\nstderr:\n{self.stderr}"
            )
        self.url = match.group("url")
        self.token = match.group("token")
        # The serving line is printed once the socket listens, so health must answer at once.
        status: int | str
        with httpx.Client(timeout=5, transport=httpx.HTTPTransport(retries=3)) as client:
            try:
                status = client.get(self.url + "/__admin/health").status_code
            except httpx.TransportError as exc:
                status = f"unreachable ({exc})"
        if status != 200:
            self.kill()
            raise ServerStartError(
                f"sandbox health answered {status} (exit {self.proc.returncode})\nstderr:\n{self.stderr}"
            )

    # -- talking to it ----------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self.url + "/api/v1"

    def client(self, timeout: float = 10.0) -> httpx.Client:
        """An HTTP client for ``/api/v1`` with the demo token."""
        return httpx.Client(base_url=self.api_url, headers={"X-Ninja-Token": self.token}, timeout=timeout)

    @property
    def stdout(self) -> str:
        return self._stdout.text()

    @property
    def stderr(self) -> str:
        return self._stderr.text()

    @property
    def returncode(self) -> int | None:
        return self.proc.poll()

    # -- stopping ---------------------------------------------------------------------------------

    def _reap(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        self._stdout.thread.join(timeout)
        self._stderr.thread.join(timeout)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, then wait for a clean exit; returns the exit status (SIGKILL if it hangs)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self._reap(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self, timeout: float = 15.0) -> int:
        """SIGKILL (``kill -9``) and reap; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.kill()
        return self._reap(timeout)


def start_server(data: Path | str, *args: str, timeout: float = 30.0) -> ServerProcess:
    """Start a sandbox on a free port over ``data`` and wait until it answers its health check."""
    proc = subprocess.Popen(
        server_command(data, *args),
        cwd=REPO_ROOT,
        env=_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = ServerProcess(proc, Path(data))
    try:
        server._wait_ready(timeout)
    except BaseException:
        if server.proc.poll() is None:
            server.kill()
        raise
    return server


@contextmanager
def running_server(data: Path | str, *args: str, timeout: float = 30.0) -> Iterator[ServerProcess]:
    """``start_server`` as a context manager that always reaps the process (SIGKILL if still up)."""
    server = start_server(data, *args, timeout=timeout)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.kill()
        else:
            server._reap(5.0)


def run_server_expecting_exit(
    data: Path | str, *args: str, timeout: float = 30.0
) -> subprocess.CompletedProcess[str]:
    """Run a sandbox that should refuse to start; returns its exit status and output."""
    return subprocess.run(
        server_command(data, *args),
        cwd=REPO_ROOT,
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
