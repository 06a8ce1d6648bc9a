"""A thin wrapper over the ``docker`` command for the container tests: run, inspect, stop, clean up.

The image is ``ninja-sandbox:ci`` (built by ``scripts/docker-check``) or ``$NINJA_SANDBOX_IMAGE``.
When Docker or the image is missing the tests skip on a developer's machine and fail in CI, so a
broken image build can never pass as a skipped test there.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import time
import uuid
from dataclasses import dataclass
from typing import Any, NoReturn

import httpx
import pytest

IMAGE = os.environ.get("NINJA_SANDBOX_IMAGE", "ninja-sandbox:ci")
CONTAINER_PORT = 8000
BUILD_HINT = "build it with `bash scripts/docker-check` (needs root and ../shared beside the repository)"


def in_ci() -> bool:
    """True when the ``CI`` variable is set, as CI services set it."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI, where the image must have been built."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip): {BUILD_HINT}", pytrace=False)
    pytest.skip(f"{reason}: {BUILD_HINT}")


def unique_name(kind: str) -> str:
    """A name no other run uses, so parallel runs never share containers or volumes."""
    return f"ninja-sandbox-test-{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Docker:
    """The docker client, checked to reach an engine that has the image."""

    exe: str

    @classmethod
    def find(cls) -> Docker:
        """The client, or a skip (a failure in CI) saying what is missing."""
        exe = shutil.which("docker")
        if exe is None:
            unavailable("no `docker` command on PATH")
        docker = cls(exe)
        info = docker.run("info", "--format", "{{.ServerVersion}}", check=False, timeout=30)
        if info.returncode != 0:
            unavailable(f"no Docker engine answers `docker info`: {info.stderr.strip()[:300]}")
        image = docker.run("image", "inspect", IMAGE, check=False)
        if image.returncode != 0:
            unavailable(f"the image {IMAGE} is not in the engine")
        return docker

    def run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """``docker ARGS``; with ``check`` a non-zero exit fails the test with docker's message."""
        result = subprocess.run(
            [self.exe, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            pytest.fail(f"`docker {' '.join(args)}` exited {result.returncode}: {result.stderr.strip()}")
        return result

    def inspect(self, name: str, template: str) -> Any:
        """One value of ``docker inspect`` (decoded from JSON)."""
        return json.loads(self.run("inspect", "--format", "{{json " + template + "}}", name).stdout)

    def image_config(self) -> dict[str, Any]:
        """The image's ``Config`` (Env, User, ExposedPorts, Volumes, Healthcheck, Entrypoint, Cmd)."""
        config: dict[str, Any] = self.inspect(IMAGE, ".Config")
        return config

    def files(self, name: str, path: str) -> dict[str, bytes]:
        """The regular files under directory ``path`` of a (possibly stopped) container, by relative path."""
        source = f"{name}:{path.rstrip('/')}/."
        result = subprocess.run([self.exe, "cp", source, "-"], capture_output=True, timeout=60)
        if result.returncode != 0:
            pytest.fail(f"`docker cp {source} -` failed: {result.stderr.decode(errors='replace')}")
        found: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.isfile() else None
                if handle is not None:
                    found[member.name.removeprefix("./")] = handle.read()
        return found


@dataclass(frozen=True)
class Container:
    """One running sandbox container with /data on a volume and port 8000 on 127.0.0.1."""

    docker: Docker
    name: str
    url: str

    @classmethod
    def start(cls, docker: Docker, volume: str, *env: str) -> Container:
        """``docker run -d`` with the volume at /data and a free loopback port docker picks."""
        name = unique_name("run")
        env_args = [arg for value in env for arg in ("-e", value)]
        docker.run(
            "run", "-d", "--name", name, "-v", f"{volume}:/data",
            "-p", f"127.0.0.1::{CONTAINER_PORT}", *env_args, IMAGE,
        )  # fmt: skip
        published = docker.run("port", name, f"{CONTAINER_PORT}/tcp").stdout.split()[0]
        return cls(docker, name, f"http://{published}")

    def status(self) -> str:
        """``created``, ``running``, ``exited`` ..."""
        status: str = self.docker.inspect(self.name, ".State.Status")
        return status

    def logs(self) -> tuple[str, str]:
        """What the container wrote to stdout and to stderr."""
        result = self.docker.run("logs", self.name, check=False)
        return result.stdout, result.stderr

    def wait_until_serving(self, deadline_s: float = 30) -> float:
        """Poll ``/__admin/health`` until it answers 200; returns the seconds it took."""
        started = time.monotonic()
        last = "no answer"
        while time.monotonic() - started < deadline_s:
            try:
                response = httpx.get(f"{self.url}/__admin/health", timeout=2)
                if response.status_code == 200:
                    return time.monotonic() - started
                last = f"HTTP {response.status_code}"
            except httpx.TransportError as exc:
                last = repr(exc)
            if self.status() not in ("created", "running"):
                break
            time.sleep(0.1)
        out, err = self.logs()
        pytest.fail(f"{self.name} never answered /__admin/health ({last}); stdout:\n{out}\nstderr:\n{err}")

    def wait_for_health_status(self, wanted: str, deadline_s: float = 40) -> float:
        """Poll Docker's HEALTHCHECK status until it is ``wanted``; returns the seconds it took."""
        started = time.monotonic()
        state: dict[str, Any] = {}
        while time.monotonic() - started < deadline_s:
            state = self.docker.inspect(self.name, ".State.Health") or {}
            if state.get("Status") == wanted:
                return time.monotonic() - started
            time.sleep(0.5)
        pytest.fail(f"{self.name}: health status never became {wanted!r}: {state}")

    def stop(self, grace_s: int = 10) -> float:
        """``docker stop`` (SIGTERM, SIGKILL after ``grace_s``); returns the seconds it took."""
        started = time.monotonic()
        self.docker.run("stop", "-t", str(grace_s), self.name, timeout=grace_s + 30)
        return time.monotonic() - started

    def remove(self) -> None:
        """Remove the container, running or not."""
        self.docker.run("rm", "-f", self.name, check=False)
