"""Running wrk: one bounded run against one URL, parsed into requests/s and latency percentiles."""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import Cores

#: Lua for wrk: the request's method, headers and body, and optionally a fresh query parameter per
#: request (``nocache=N``) so that no two requests are alike and no cached answer can be reused.
_SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
local counter = 0
local unique = {unique}
request = function()
  if not unique then return wrk.format() end
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "nocache=" .. counter)
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


@dataclass(frozen=True)
class Request:
    """What every request of a run sends."""

    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    unique: bool = False

    def script(self) -> str:
        """The wrk Lua script for this request."""
        headers = "\n".join(
            f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in self.headers.items()
        )
        return _SCRIPT.format(
            method=_lua_string(self.method),
            body=_lua_string(self.body.decode()) if self.body else "nil",
            headers=headers,
            unique="true" if self.unique else "false",
        )


@dataclass(frozen=True)
class Sample:
    """One wrk run."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def parse(output: str) -> Sample:
    """Requests/s, p50, p99 and the count of non-2xx answers and socket errors from wrk's output."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Sample(float(rps.group(1)) if rps else 0.0, _latency(output, "50"), _latency(output, "99"), errors)


def run(cores: Cores, base_url: str, request: Request, seconds: float, connections: int) -> Sample:
    """One bounded wrk run (one thread, ``connections`` connections) on the load core.

    wrk takes whole seconds: ``seconds`` is rounded, and at least 1.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(request.script())
        script = Path(handle.name)
    try:
        args = [
            *cores.prefix(cores.load),
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
        ]
        args += ["-s", str(script), base_url + request.path]
        done = subprocess.run(args, capture_output=True, text=True, check=False, timeout=seconds + 60)
    finally:
        script.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse(done.stdout)


@dataclass(frozen=True)
class Summary:
    """Several runs of one case: the medians and the spread of requests/s."""

    samples: tuple[Sample, ...]

    @property
    def rps(self) -> float:
        """Median requests/s."""
        return statistics.median(s.rps for s in self.samples)

    @property
    def p50_ms(self) -> float:
        """Median of the runs' p50 latency."""
        return statistics.median(s.p50_ms for s in self.samples)

    @property
    def p99_ms(self) -> float:
        """Median of the runs' p99 latency."""
        return statistics.median(s.p99_ms for s in self.samples)

    @property
    def spread(self) -> float:
        """(max - min) / median of requests/s, as a fraction."""
        values = [s.rps for s in self.samples]
        return (max(values) - min(values)) / self.rps if self.rps else 0.0

    @property
    def errors(self) -> int:
        """Non-2xx answers and socket errors over all runs."""
        return sum(s.errors for s in self.samples)
