"""A fork server for ``ninja-sandbox serve``: import once, then start many real server processes fast.

The crash harness kills the server with SIGKILL dozens of times. A fresh ``python -m sandbox serve``
spends about a second importing before it even opens the data file, so this process imports the
sandbox once and then forks a child for every start. Each child is a separate process that runs the
unchanged ``ninja-sandbox serve`` entry point (``sandbox.cli.main``) over the data file: it opens and
replays the file, listens, and dies to a real ``SIGKILL``. Only the import work is shared.

It talks JSON lines on stdin/stdout and uses no threads (forking a threaded process is unsafe):

* ``{"cmd": "spawn", "args": [...], "fold_bytes": n, "fsize": m}`` starts a child with those ``serve``
  arguments (``fold_bytes`` lowers the log size that triggers a fold, to crash during folds too;
  ``fsize`` caps the size of any file it writes, ``RLIMIT_FSIZE``, a stand-in for a full disk) and answers
  ``{"pid": p, "url": u}`` once it prints its serving line, or ``{"error", "status", "output"}``;
* ``{"cmd": "kill", "pid": p}`` / ``{"cmd": "term", "pid": p}`` send SIGKILL / SIGTERM, reap the
  child and answer ``{"status": s, "output": ...}`` (``s`` is ``-9`` for a SIGKILL);
* end of input kills every child and exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import signal
import sys
import time
from typing import Any

_SERVING = re.compile(rb"serving (http://\S+?)/api/v1/")
_KEEP = 64 * 1024
START_TIMEOUT = 30.0


class Child:
    """A forked server: its pid, the read end of its output pipe and the tail of what it wrote."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.fd: int | None = fd
        self.output = b""
        self.url: str | None = None

    def take(self, data: bytes) -> None:
        self.output = (self.output + data)[-_KEEP:]
        if self.url is None:
            match = _SERVING.search(self.output)
            if match:
                self.url = match.group(1).decode()


class ForkServer:
    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        self.children: dict[int, Child] = {}

    # -- children -----------------------------------------------------------------------------------

    def spawn(self, args: list[str], fold_bytes: int | None, fsize: int | None) -> dict[str, Any]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a plain ``ninja-sandbox serve`` with its output on the pipe
            try:
                os.dup2(write_end, 1)
                os.dup2(write_end, 2)
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.closerange(3, 1 << 16)
                sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
                if fsize:
                    import resource

                    # Python ignores SIGXFSZ, so a write past the cap fails with EFBIG instead.
                    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
                if fold_bytes:
                    from sandbox.store import wal

                    wal.FOLD_THRESHOLD_BYTES = fold_bytes
                from sandbox.cli import main

                code = main(["serve", *args])
            except BaseException as exc:  # report anything, then leave
                print(f"child failed: {exc!r}", flush=True)
                code = 3
            sys.stdout.flush()
            os._exit(code)
        os.close(write_end)
        child = Child(pid, read_end)
        self.children[pid] = child
        self.selector.register(read_end, selectors.EVENT_READ, child)
        deadline = time.monotonic() + START_TIMEOUT
        while child.url is None and child.fd is not None and time.monotonic() < deadline:
            self.pump(deadline - time.monotonic())
        if child.url is not None:
            return {"pid": pid, "url": child.url}
        status = self.reap(child, signal.SIGKILL)
        output = child.output.decode(errors="replace")
        return {"error": f"no serving line (exit {status})", "status": status, "output": output}

    def pump(self, timeout: float) -> None:
        """Read whatever the children wrote (waiting up to ``timeout``)."""
        for key, _ in self.selector.select(max(0.0, timeout)):
            if key.data is not None:  # commands wait until the start is answered
                self.drain(key.data)

    def drain(self, child: Child) -> None:
        if child.fd is None:
            return
        try:
            data = os.read(child.fd, 65536)
        except OSError:
            data = b""
        if data:
            child.take(data)
            return
        self.selector.unregister(child.fd)
        os.close(child.fd)
        child.fd = None

    def reap(self, child: Child, sig: int) -> int:
        with contextlib.suppress(ProcessLookupError):  # it has exited already: reap it all the same
            os.kill(child.pid, sig)
        _, raw = os.waitpid(child.pid, 0)
        while child.fd is not None:
            self.drain(child)  # the pipe's writers are gone: read to EOF
        self.children.pop(child.pid, None)
        return os.waitstatus_to_exitcode(raw)

    # -- the command loop ---------------------------------------------------------------------------

    def handle(self, command: dict[str, Any]) -> dict[str, Any]:
        name = command.get("cmd")
        if name == "spawn":
            return self.spawn(list(command["args"]), command.get("fold_bytes"), command.get("fsize"))
        if name in ("kill", "term"):
            child = self.children.get(int(command["pid"]))
            if child is None:
                return {"error": "no such child"}
            sig = signal.SIGKILL if name == "kill" else signal.SIGTERM
            status = self.reap(child, sig)
            return {"status": status, "output": child.output.decode(errors="replace")}
        return {"error": f"unknown command {name!r}"}

    def run(self) -> None:
        stdin = sys.stdin.buffer
        os.set_blocking(stdin.fileno(), True)
        self.selector.register(stdin.fileno(), selectors.EVENT_READ, None)
        pending = b""
        while True:
            for key, _ in self.selector.select():
                if key.data is not None:
                    self.drain(key.data)
                    continue
                chunk = os.read(stdin.fileno(), 65536)
                if not chunk:
                    self.shutdown()
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    reply = self.handle(json.loads(line))
                    sys.stdout.write(json.dumps(reply) + "\n")
                    sys.stdout.flush()

    def shutdown(self) -> None:
        for child in list(self.children.values()):
            self.reap(child, signal.SIGKILL)


if __name__ == "__main__":
    import importlib

    for module in ("sandbox.cli", "sandbox.seed"):  # the whole import cost, paid once
        importlib.import_module(module)

    print(json.dumps({"ready": True}), flush=True)
    ForkServer().run()
