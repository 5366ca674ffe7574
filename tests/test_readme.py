"""The README shows outputs as they really print, and opens with the two commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import cli

from .helpers import REPO, VALID

README = (REPO / "README.md").read_text(encoding="utf-8")


def shown(command: str) -> str:
    """The output the README shows under `$ <command>`."""
    match = re.search(rf"```\n\$ {re.escape(command)}\n(.*?)```", README, re.S)
    assert match, command
    return match.group(1)


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_COLOR", "1")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert blocks[0].endswith("nexlint check examples/nexlayer.yaml")
    assert "pip install ." in blocks[0]
    assert blocks[1].endswith("python -m pytest")
    assert "pip install -e '.[test]'" in blocks[1]


def test_text_output_is_as_shown() -> None:
    out = CliRunner().invoke(cli, ["check", "examples/nexlayer.yaml"]).stdout
    expected = shown("nexlint check examples/nexlayer.yaml").removesuffix("...\n")
    assert out.startswith(expected)


def test_concise_output_is_as_shown() -> None:
    out = CliRunner().invoke(cli, ["check", "--format", "concise", "examples/nexlayer.yaml"])
    assert out.stdout == shown("nexlint check --format concise examples/nexlayer.yaml")


def test_fixed_example_is_clean() -> None:
    assert nexlint.lint_file(REPO / "examples" / "nexlayer.fixed.yaml") == []


def test_diff_output_is_as_shown() -> None:
    out = CliRunner().invoke(cli, ["check", "--diff", "examples/nexlayer.yaml"])
    assert out.stdout == shown("nexlint check --diff examples/nexlayer.yaml")


def test_the_rule_example_runs_as_a_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [example] = [
        block
        for block in re.findall(r"```python\n(.*?)```", README, re.S)
        if "@nexlint.rule(" in block
    ]
    (tmp_path / "readme_rule.py").write_text(example)
    (tmp_path / "nexlint.toml").write_text('plugins = ["readme_rule"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "concise"]).stdout
    assert out == 'nexlayer.yaml:4:13: warning: pod "web" has no TEAM var [ACME001]\n'
