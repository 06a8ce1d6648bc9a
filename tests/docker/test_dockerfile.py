"""The Dockerfile, read without Docker: base, stages, settings as ENV, user, volume, health check, PID 1."""

from __future__ import annotations

import dataclasses
import json

import pytest
from dockerfile_text import DOCKERFILE, REPO_ROOT, env_defaults, instructions, one, stages

from sandbox.settings import SETTING_SPECS, Settings, SettingSpec

TEXT = DOCKERFILE.read_text(encoding="utf-8")
IMAGE_DEFAULTS = {"SANDBOX_HOST": "0.0.0.0", "SANDBOX_DATA": "/data/sandbox-data.json"}


def test_every_stage_starts_from_python_3_11_slim_bookworm() -> None:
    froms = [stage[0].args.split()[0] for stage in stages(TEXT)]
    assert len(froms) == 2
    assert froms == ["python:3.11-slim-bookworm"] * 2


def test_build_stage_makes_wheels_and_final_stage_installs_them_from_a_mount() -> None:
    build, final = stages(TEXT)
    assert build[0].args.endswith("AS build")
    build_runs = [i.args for i in build if i.keyword == "RUN"]
    assert any("pip wheel" in run and "--only-binary=:all:" in run for run in build_runs)
    final_runs = [i.args for i in final if i.keyword == "RUN"]
    installs = [run for run in final_runs if "pip install" in run]
    assert len(installs) == 1
    assert "--mount=type=bind,from=build" in installs[0]
    assert "--no-index" in installs[0]
    assert "--no-cache-dir" in installs[0]
    # nothing of the build stage is copied into the final image
    assert [i for i in final if i.keyword in ("COPY", "ADD")] == []


@pytest.mark.parametrize("spec", SETTING_SPECS, ids=lambda spec: spec.env)
def test_every_setting_is_an_env_with_the_commands_default(spec: SettingSpec) -> None:
    env = env_defaults(TEXT)
    assert spec.env in env, f"the Dockerfile sets no ENV {spec.env}"
    if spec.env in IMAGE_DEFAULTS:
        assert env[spec.env] == IMAGE_DEFAULTS[spec.env]
        return
    default = {f.name: f.default for f in dataclasses.fields(Settings)}[spec.name]
    if env[spec.env] == "":
        assert default == ""
    else:
        assert spec.parse(env[spec.env]) == default


def test_env_sets_only_settings_and_python_output() -> None:
    env = env_defaults(TEXT)
    settings = {spec.env for spec in SETTING_SPECS}
    assert set(env) - settings == {"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}
    assert env["PYTHONUNBUFFERED"] == "1"


def test_runs_as_a_numeric_non_root_user_with_data_in_a_volume() -> None:
    user = one(TEXT, "USER").args
    uid, _, gid = user.partition(":")
    assert uid.isdigit()
    assert gid.isdigit()
    assert int(uid) != 0
    assert one(TEXT, "VOLUME").exec_form() == ["/data"]
    assert one(TEXT, "EXPOSE").args == env_defaults(TEXT)["SANDBOX_PORT"] == "8000"
    final = stages(TEXT)[-1]
    keywords = [i.keyword for i in final]
    # /data is made and handed to the user before it is declared a volume (later changes are lost)
    prepare = next(i for i in final if i.keyword == "RUN" and "mkdir /data" in i.args)
    assert f"--uid {uid}" in prepare.args
    assert "chown sandbox:sandbox /data" in prepare.args
    assert final.index(prepare) < keywords.index("VOLUME")


def test_server_is_pid_1_through_exec_form_entrypoint_and_cmd() -> None:
    assert one(TEXT, "ENTRYPOINT").exec_form() == ["ninja-sandbox"]
    assert one(TEXT, "CMD").exec_form() == ["serve"]
    assert one(TEXT, "STOPSIGNAL").args == "SIGTERM"


def test_healthcheck_uses_python_urllib_on_the_admin_health_route() -> None:
    healthcheck = one(TEXT, "HEALTHCHECK")
    options, _, command = healthcheck.args.partition("CMD ")
    assert "--interval=" in options
    form = json.loads(command)
    assert form[:2] == ["python", "-c"]
    assert len(form) == 3
    assert "urllib.request" in form[2]
    assert "/__admin/health" in form[2]
    assert "curl" not in form[2]
    assert "wget" not in form[2]


def test_dockerignore_sends_only_the_package_to_the_builder() -> None:
    lines = [
        line.strip()
        for line in (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*"
    assert {line for line in lines if line.startswith("!")} == {
        "!pyproject.toml",
        "!README.md",
        "!fixtures/",
        "!sandbox/",
    }
    copied = [source for i in instructions(TEXT) if i.keyword == "COPY" for source in i.args.split()[:-1]]
    assert copied == ["pyproject.toml", "README.md", "fixtures/", "sandbox/"]
