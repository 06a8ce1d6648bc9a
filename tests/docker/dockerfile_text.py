"""Read the repository's Dockerfile and the README's "## Docker" section for the static checks."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "Dockerfile"
README = REPO_ROOT / "README.md"


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction with its continuation lines joined."""

    keyword: str
    args: str

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction, None for the shell form."""
        text = self.args.strip()
        if not text.startswith("["):
            return None
        value = json.loads(text)
        assert isinstance(value, list)
        return [str(item) for item in value]


def instructions(text: str) -> list[Instruction]:
    """The instructions in order; comment lines (also inside continuations) are dropped, as Docker does."""
    found: list[Instruction] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = pending + line
        pending = ""
        keyword, _, args = whole.partition(" ")
        found.append(Instruction(keyword.upper(), args.strip()))
    return found


def stages(text: str) -> list[list[Instruction]]:
    """The instructions grouped by build stage (each starts with FROM)."""
    groups: list[list[Instruction]] = []
    for instruction in instructions(text):
        if instruction.keyword == "FROM":
            groups.append([])
        groups[-1].append(instruction)
    return groups


def env_defaults(text: str) -> dict[str, str]:
    """Every ``ENV`` the final stage sets, name to value."""
    values: dict[str, str] = {}
    for instruction in stages(text)[-1]:
        if instruction.keyword == "ENV":
            for pair in shlex.split(instruction.args):
                name, _, value = pair.partition("=")
                values[name] = value
    return values


def one(text: str, keyword: str) -> Instruction:
    """The final stage's only instruction with ``keyword``."""
    matches = [i for i in stages(text)[-1] if i.keyword == keyword]
    assert len(matches) == 1, f"expected one {keyword} in the final stage, found {len(matches)}"
    return matches[0]


def readme_section(title: str) -> str:
    """The README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def code_blocks(section: str, language: str) -> list[str]:
    """The fenced code blocks of one language in a README section."""
    return re.findall(rf"^```{language}\n(.*?)^```", section, re.M | re.S)
