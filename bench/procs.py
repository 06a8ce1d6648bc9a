"""Processes the bench starts: the sandbox, the bare baseline, each pinned to its own core when it can."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PYTHON = str(_VENV_PYTHON) if _VENV_PYTHON.exists() else sys.executable


@dataclass(frozen=True)
class Cores:
    """Which cores the servers and the load generator run on (None: not pinned)."""

    server: int | None
    load: int | None

    def prefix(self, core: int | None) -> list[str]:
        """``taskset -c N`` when pinning is possible."""
        if core is None or shutil.which("taskset") is None:
            return []
        return ["taskset", "-c", str(core)]

    def describe(self) -> str:
        """How the processes are placed, for the report."""
        if self.server is None:
            return "not pinned (fewer than two usable cores)"
        return f"server on core {self.server}, wrk on core {self.load} (taskset)"


def plan_cores() -> Cores:
    """Server and load generator on two different cores when the machine has two."""
    usable = sorted(os.sched_getaffinity(0))
    if len(usable) < 2 or shutil.which("taskset") is None:
        return Cores(None, None)
    return Cores(usable[0], usable[1])


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env() -> dict[str, str]:
    """The servers' environment: byte-code caching on, as in an installed package."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def precompile() -> None:
    """Write the byte-code caches once, so the first cold start measures a warm install, not compiling."""
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(ROOT / "sandbox"), str(ROOT / "bench")],
        check=False,
        env=server_env(),
        stdout=subprocess.DEVNULL,
    )


class Process:
    """A started server process with its URL."""

    def __init__(self, args: list[str], port: int, health: str) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.health_url = self.url + health
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.startup_s = self._wait_healthy(started)

    def _wait_healthy(self, started: float, timeout: float = 120.0) -> float:
        while time.perf_counter() - started < timeout:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"server exited with {self.proc.returncode}: {err[-2000:]}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.002)
        raise RuntimeError(f"{self.health_url} did not answer within {timeout} s")

    def rss_mb(self) -> float:
        """Resident memory of the process now, in MB."""
        with contextlib.suppress(OSError), open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 30 s)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr is not None:
            self.proc.stderr.close()


def serve_command(port: int, data: Path, *extra: str) -> list[str]:
    """``python -m sandbox serve`` on ``port`` (0: any free one) over ``data``, with no error delay."""
    return [
        PYTHON,
        "-m",
        "sandbox",
        "serve",
        "--port",
        str(port),
        "--data",
        str(data),
        "--error-delay",
        "0",
        *extra,
    ]


def start_sandbox(cores: Cores, data: Path) -> Process:
    """``ninja-sandbox serve`` on ``data`` (the data file and its log), pinned to the server core."""
    port = free_port()
    return Process([*cores.prefix(cores.server), *serve_command(port, data)], port, "/__admin/health")


def start_bare(cores: Cores) -> Process:
    """The bare aiohttp baseline (answers are recorded into it later), pinned to the server core."""
    port = free_port()
    args = [*cores.prefix(cores.server), PYTHON, str(ROOT / "bench" / "bare.py"), str(port)]
    return Process(args, port, "/__bare/health")


def machine() -> dict[str, str]:
    """A description of the machine the figures come from."""
    cpu = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import aiohttp, orjson, platform; "
            "print(platform.python_version(), aiohttp.__version__, orjson.__version__)",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": versions[0] if versions else platform.python_version(),
        "aiohttp": versions[1] if len(versions) > 1 else "?",
        "orjson": versions[2] if len(versions) > 2 else "?",
        "wrk": (wrk.stdout or wrk.stderr).split("\n")[0].strip(),
        "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }
