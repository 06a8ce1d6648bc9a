"""The README's "## Docker" section says what the Dockerfile does: variables, port, volume, user, health."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import yaml
from dockerfile_text import DOCKERFILE, code_blocks, env_defaults, one, readme_section, stages

TEXT = DOCKERFILE.read_text(encoding="utf-8")
SECTION = readme_section("Docker")
PROSE = " ".join(SECTION.split())  # line breaks of the prose do not matter
ENV = env_defaults(TEXT)
PORT = one(TEXT, "EXPOSE").args
VOLUME = json.loads(one(TEXT, "VOLUME").args)[0]
TAG = "ninja-sandbox"
TABLE_ROW = re.compile(r"^\| `(?P<name>[A-Z_]+)` \| (?P<value>[^|]*?) \|$", re.M)


def _commands() -> list[list[str]]:
    lines = [line for block in code_blocks(SECTION, "sh") for line in block.splitlines() if line.strip()]
    inline = re.findall(r"`(docker run [^`]+)`", SECTION)
    return [shlex.split(line) for line in [*lines, *inline]]


def _yaml_blocks() -> list[dict[str, Any]]:
    blocks = [yaml.safe_load(block) for block in code_blocks(SECTION, "yaml")]
    assert all(isinstance(block, dict) for block in blocks)
    return blocks


def test_every_env_the_dockerfile_sets_is_named_in_the_section() -> None:
    missing = [name for name in ENV if f"`{name}" not in SECTION]
    assert missing == []


def test_the_table_gives_each_settings_image_default() -> None:
    rows = {m["name"]: m["value"] for m in TABLE_ROW.finditer(SECTION)}
    settings = {name: value for name, value in ENV.items() if name.startswith("SANDBOX_")}
    assert list(rows) == list(settings)
    for name, value in settings.items():
        if value == "":
            assert rows[name].startswith("empty"), name
        else:
            assert rows[name].split()[0] == f"`{value}`", name


def test_build_and_run_lines_use_the_tag_port_and_volume() -> None:
    commands = _commands()
    assert ["docker", "build", "-t", TAG, "."] in commands
    runs = [c for c in commands if c[:2] == ["docker", "run"]]
    assert [run for run in runs if "-p" in run and "-v" in run]
    for run in runs:
        assert TAG in run
        if "-p" in run:
            assert run[run.index("-p") + 1].rsplit(":", 1)[1] == PORT
        if "-v" in run:
            assert run[run.index("-v") + 1].rsplit(":", 1)[1] == VOLUME


def test_the_image_listens_where_the_section_says() -> None:
    assert f"listens on `{ENV['SANDBOX_HOST']}:{ENV['SANDBOX_PORT']}`" in PROSE
    assert f"`EXPOSE {PORT}`" in PROSE
    assert f"the volume `{VOLUME}`" in PROSE
    assert f"`{ENV['SANDBOX_DATA']}`" in PROSE
    assert ENV["SANDBOX_DATA"].startswith(VOLUME + "/")


def test_user_base_and_health_route_match() -> None:
    uid, _, gid = one(TEXT, "USER").args.partition(":")
    assert uid == gid
    assert f"uid and gid `{uid}`" in PROSE
    base = stages(TEXT)[-1][0].args.split()[0]
    assert f"`{base}`" in PROSE
    healthcheck = one(TEXT, "HEALTHCHECK").args
    interval = re.search(r"--interval=(\d+)s", healthcheck)
    assert interval
    assert f"every {interval[1]} s" in PROSE
    assert "/__admin/health" in healthcheck
    assert "`GET /__admin/health`" in PROSE


def test_compose_service_uses_the_image_port_and_healthcheck() -> None:
    compose = next(block for block in _yaml_blocks() if "services" in block and "jobs" not in block)
    ninja = compose["services"]["ninja"]
    assert [p.rsplit(":", 1)[1] for p in ninja["ports"]] == [PORT]
    assert set(ninja["environment"]) <= set(ENV)
    waits = [s["depends_on"]["ninja"]["condition"] for s in compose["services"].values() if "depends_on" in s]
    assert waits == ["service_healthy"]
    tests = next(s for s in compose["services"].values() if "depends_on" in s)
    assert tests["environment"]["INVOICE_NINJA_URL"] == f"http://ninja:{PORT}"
    assert tests["environment"]["INVOICE_NINJA_TOKEN"] == ENV["SANDBOX_TOKEN"]


def test_github_actions_service_uses_the_image_port_and_env() -> None:
    workflow = next(block for block in _yaml_blocks() if "jobs" in block)
    job = next(iter(workflow["jobs"].values()))
    service = job["services"]["ninja"]
    assert service["image"].rsplit("/", 1)[1].startswith(TAG + ":")
    assert [p.rsplit(":", 1)[1] for p in service["ports"]] == [PORT]
    assert set(service["env"]) <= set(ENV)
    host_port = service["ports"][0].split(":")[0]
    step_env = next(step["env"] for step in job["steps"] if "env" in step)
    assert step_env["INVOICE_NINJA_URL"] == f"http://127.0.0.1:{host_port}"
