"""The README's "Testing with ninja-sandbox" examples, run as a user runs them: pytest in a subprocess.

Every ``python`` block of the section is a test module. A block followed by a ``text`` block shows a
failure: its test must fail, and its output must contain those lines; every other test must pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Testing with ninja-sandbox"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)
TEST = re.compile(r"^(?:async )?def (test_\w+)", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    """One python block: its code, its tests, and the output it documents when it is meant to fail."""

    code: str
    tests: tuple[str, ...]
    failure: tuple[str, ...] = ()


def readme_examples() -> list[Example]:
    """The section's python blocks, each with the ``text`` block right after it, if any."""
    text = README.read_text()
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = list(BLOCK.finditer(section))
    examples = []
    for index, block in enumerate(blocks):
        language, code = block.groups()
        if language != "python":
            continue
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        failure: tuple[str, ...] = ()
        if after is not None and after.group(1) == "text":
            # Only prose (no other block) may sit between the example and the output it shows.
            failure = tuple(line for line in after.group(2).splitlines() if line.strip())
        examples.append(Example(code, tuple(TEST.findall(code)), failure))
    return examples


def test_the_section_has_passing_and_failing_examples() -> None:
    examples = readme_examples()
    assert len(examples) >= 3
    assert all(example.tests for example in examples)
    assert [bool(example.failure) for example in examples].count(True) == 1
    names = [name for example in examples for name in example.tests]
    assert len(names) == len(set(names)), "test names repeat across the README examples"


def _pattern(line: str) -> str:
    """An fnmatch pattern for one documented output line; journal ids (``#1``) vary with the session."""
    escaped = re.sub(r"([*?[])", r"[\1]", line.strip())
    return "E*" + re.sub(r"#\d+", "#*", escaped)


@pytest.fixture(autouse=True)
def _inner_config(pytester: pytest.Pytester) -> None:
    """The inner session's pytest-asyncio setting, as a user's project would have it."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")


def test_every_readme_example_runs_as_documented(pytester: pytest.Pytester) -> None:
    examples = readme_examples()
    modules = {f"test_readme_{index}": example.code for index, example in enumerate(examples, 1)}
    pytester.makepyfile(**modules)

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA", "--strict-markers")

    failing = [
        (f"test_readme_{index}.py", name, example)
        for index, example in enumerate(examples, 1)
        for name in example.tests
        if example.failure
    ]
    passing = [
        (f"test_readme_{index}.py", name)
        for index, example in enumerate(examples, 1)
        for name in example.tests
        if not example.failure
    ]
    result.assert_outcomes(passed=len(passing), failed=len(failing))
    result.stdout.fnmatch_lines_random([f"PASSED {module}::{name}" for module, name in passing])
    for module, name, example in failing:
        result.stdout.fnmatch_lines([f"*_ {name} _*"])
        result.stdout.fnmatch_lines([_pattern(line) for line in example.failure])
        result.stdout.fnmatch_lines([f"FAILED {module}::{name} - *"])
