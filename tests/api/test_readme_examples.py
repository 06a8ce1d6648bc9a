"""Every curl line of the README's "Using the API" section, run in order with real curl."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
CONTINUATION = re.compile(r"\\\s*\n\s*")


def readme_curl_lines() -> list[str]:
    """The curl commands of the first shell block under "## Using the API", continuations joined."""
    section = README.read_text().split("## Using the API", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    joined = CONTINUATION.sub(" ", block)
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def test_the_readme_shows_the_whole_surface() -> None:
    text = " ".join(readme_curl_lines())
    for segment in ("clients", "invoices", "payments", "login", "products", "tasks", "expenses", "documents"):
        assert f"/api/v1/{segment}" in text, segment


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_readme_curl_line_works(api: httpx.Client, tmp_path: Path) -> None:
    host = str(api.base_url.netloc.decode())
    for line in readme_curl_lines():
        args = shlex.split(line.replace("127.0.0.1:8000", host))
        args[1:1] = ["-s", "-w", "\n%{http_code}"]
        done = subprocess.run(args, capture_output=True, timeout=20, check=True, cwd=tmp_path)
        body, _, status = done.stdout.decode(errors="replace").rpartition("\n")
        if "XMLHttpRequest" in line:
            # The line that shows validation errors as JSON.
            assert status == "422", (line, body)
            assert json.loads(body)["message"] == "The given data was invalid."
            continue
        assert status in ("200", "201"), (line, status, body)
        if " -o " in line:
            saved = tmp_path / args[args.index("-o") + 1]
            assert saved.read_bytes().startswith(b"%PDF"), line
        elif "/hooks" in line:
            assert isinstance(json.loads(body)["id"], int)
        elif "/email_invoice" in line:
            assert json.loads(body) == {"message": "success"}
        elif "/__admin/" not in line:
            assert "data" in json.loads(body), line
