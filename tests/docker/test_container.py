"""The Docker image, run for real: health, a seeded request, a write, SIGTERM, the write kept on /data."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from dockerctl import IMAGE, Container, Docker, unique_name

TOKEN_HEADERS = {"X-Ninja-Token": "TOKEN", "Accept": "application/json"}
NEW_CLIENT = "Containerised Holdings Ltd"


@pytest.fixture(scope="module")
def docker() -> Docker:
    """The docker client with an engine that has the image (skip locally, fail in CI)."""
    return Docker.find()


@pytest.fixture
def volume(docker: Docker) -> Iterator[str]:
    """A fresh named volume for /data, removed afterwards with every container that used it."""
    name = unique_name("data")
    docker.run("volume", "create", name)
    yield name
    users = docker.run("ps", "-aq", "--filter", f"volume={name}", check=False).stdout.split()
    if users:
        docker.run("rm", "-f", *users, check=False)
    docker.run("volume", "rm", "-f", name, check=False)


def _clients(container: Container) -> httpx.Response:
    return httpx.get(f"{container.url}/api/v1/clients", headers=TOKEN_HEADERS, timeout=10)


def test_image_serves_keeps_writes_across_sigterm_and_reports_healthy(
    docker: Docker, volume: str, api: httpx.Client
) -> None:
    first = Container.start(docker, volume)
    first.wait_until_serving()

    health = httpx.get(f"{first.url}/__admin/health", timeout=5)
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "version": health.json()["version"],
        "ninja_version": "4.5.50",
        "data": "/data/sandbox-data.json",
        "fixtures": "demo",
        "seed": 1,
        "namespace": None,
    }

    # the seeded demo data, the same as the package serves in-process with the same seed
    seeded = _clients(first)
    assert seeded.status_code == 200
    assert seeded.headers["Content-Type"] == "application/json"
    body = seeded.json()
    local = api.get("/clients").json()
    assert list(body) == ["data", "meta"]
    assert body["meta"]["pagination"]["total"] == local["meta"]["pagination"]["total"] == 12
    assert [(c["id"], c["name"]) for c in body["data"]] == [(c["id"], c["name"]) for c in local["data"]]

    created = httpx.post(
        f"{first.url}/api/v1/clients", headers=TOKEN_HEADERS, json={"name": NEW_CLIENT}, timeout=10
    )
    assert created.status_code == 200
    new_id = created.json()["data"]["id"]
    assert new_id == 13
    assert created.json()["data"]["name"] == NEW_CLIENT

    # PID 1 is the server itself, running as the image's non-root user
    proc1 = docker.run("exec", first.name, "cat", "/proc/1/status", "/proc/1/cmdline").stdout
    uid_line = next(line for line in proc1.splitlines() if line.startswith("Uid:"))
    assert uid_line.split()[1:] == ["10001"] * 4
    assert "ninja-sandbox\0serve" in proc1

    assert first.wait_for_health_status("healthy") < 40

    stop_took = first.stop(grace_s=10)
    assert first.status() == "exited"
    assert docker.inspect(first.name, ".State.ExitCode") == 0
    assert docker.inspect(first.name, ".State.OOMKilled") is False
    assert stop_took < 5, f"docker stop took {stop_took:.1f}s: SIGTERM did not stop the server"

    # logs go to stdout; the shutdown folded the write-ahead log into the data file
    stdout, _ = first.logs()
    assert "serving http://127.0.0.1:8000/api/v1/ token=TOKEN data=/data/sandbox-data.json" in stdout
    files = docker.files(first.name, "/data")
    assert files["sandbox-data.json.wal"] == b""
    state = json.loads(files["sandbox-data.json"])
    assert NEW_CLIENT in [row["name"] for row in state["clients"].values()]
    first.remove()

    second = Container.start(docker, volume)
    second.wait_until_serving()
    kept = httpx.get(f"{second.url}/api/v1/clients/{new_id}", headers=TOKEN_HEADERS, timeout=10)
    assert kept.status_code == 200
    assert kept.json()["data"]["id"] == new_id
    assert kept.json()["data"]["name"] == NEW_CLIENT
    listed = _clients(second)
    assert listed.status_code == 200
    assert listed.json()["meta"]["pagination"]["total"] == 13
    second.stop()
    assert docker.inspect(second.name, ".State.ExitCode") == 0


def test_image_settings_come_from_the_environment(docker: Docker, volume: str) -> None:
    running = Container.start(
        docker, volume, "SANDBOX_TOKEN=CI-TOKEN", "SANDBOX_SEED=7", "SANDBOX_ERROR_DELAY=0"
    )
    running.wait_until_serving()
    health = httpx.get(f"{running.url}/__admin/health", timeout=5)
    assert health.status_code == 200
    assert health.json()["seed"] == 7
    ok = httpx.get(f"{running.url}/api/v1/ping", headers={"X-Ninja-Token": "CI-TOKEN"}, timeout=10)
    assert ok.status_code == 200
    assert ok.text == "success"
    # the demo token is not the configured one any more, and the refusal comes without the delay
    refused = httpx.get(f"{running.url}/api/v1/ping", headers={"X-Ninja-Token": "TOKEN"}, timeout=2)
    assert refused.status_code == 403
    assert refused.json() == {"error": {"message": "Invalid token"}}
    running.stop()
    assert running.docker.inspect(running.name, ".State.ExitCode") == 0


def test_image_was_built_from_this_dockerfile(docker: Docker) -> None:
    config = docker.image_config()
    assert config["User"] == "10001:10001"
    assert config["ExposedPorts"] == {"8000/tcp": {}}
    assert config["Volumes"] == {"/data": {}}
    assert config["Entrypoint"] == ["ninja-sandbox"]
    assert config["Cmd"] == ["serve"]
    test = config["Healthcheck"]["Test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "/__admin/health" in test[3]
    env = dict(item.split("=", 1) for item in config["Env"])
    assert env["SANDBOX_HOST"] == "0.0.0.0"
    assert env["SANDBOX_DATA"] == "/data/sandbox-data.json"
    # nothing of the build stage is left: no wheels, no sources, no build backend
    leftovers = docker.run(
        "run", "--rm", "--entrypoint", "python", IMAGE, "-c",
        "import glob, importlib.util as u; "
        "print(glob.glob('/tmp/wheels/*') + glob.glob('/src') "
        "+ [m for m in ('hatchling',) if u.find_spec(m)])",
    ).stdout  # fmt: skip
    assert leftovers.strip() == "[]"
