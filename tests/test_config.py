"""Configuration files: discovery, keys, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlint.cli import cli
from nexlint.config import find_config

from .helpers import VALID

BAD = VALID.replace("nginx:1.27", "nginx")  # NXL304


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for folder in ("prod", "staging", "vendor/lib"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "nexlayer.yaml").write_text(BAD)
    return tmp_path


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", "--format", "concise", *args])
    return result.exit_code, result.stdout, result.stderr


def test_nearest_config_wins_and_dot_file_beats_pyproject(tree: Path) -> None:
    (tree / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(tree) is None
    (tree / "pyproject.toml").write_text("[tool.nexlint]\nignore = ['NXL3']\n")
    (tree / ".nexlint.toml").write_text("ignore = ['NXL1']\n")
    assert find_config(tree / "prod") == tree / ".nexlint.toml"


def test_exclude_and_force_exclude(tree: Path) -> None:
    (tree / "nexlint.toml").write_text('exclude = ["vendor"]\n')
    code, out, _ = check()
    assert code == 1
    assert sorted(line.split(":")[0] for line in out.splitlines()) == [
        "prod/nexlayer.yaml",
        "staging/nexlayer.yaml",
    ]
    assert "vendor/lib/nexlayer.yaml" in check("vendor/lib/nexlayer.yaml")[1]
    assert check("--force-exclude", "vendor/lib/nexlayer.yaml")[1] == ""


def test_per_file_ignores(tree: Path) -> None:
    (tree / "nexlint.toml").write_text('per-file-ignores = {"staging/*" = ["NXL304"]}\n')
    code, out, _ = check("prod", "staging")
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["prod/nexlayer.yaml"]


def test_fail_on_from_config(tree: Path) -> None:
    (tree / "nexlint.toml").write_text('severity = {NXL304 = "warning"}\n')
    assert check("prod")[0] == 0
    (tree / "nexlint.toml").write_text('severity = {NXL304 = "warning"}\nfail-on = "warning"\n')
    assert check("prod")[0] == 1


def test_explicit_config_file(tree: Path) -> None:
    (tree / "strict.toml").write_text('select = ["NXL2"]\n')
    code, out, _ = check("--config", "strict.toml", "prod")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("selekt = ['NXL1']\n", 'unknown key "selekt"'),
        ("fail-on = 'fatal'\n", 'key "fail-on"'),
        ("select = 'NXL1'\nignore = [1]\n", 'key "ignore"'),
        ("severity = {NXL304 = 'loud'}\n", 'key "severity"'),
        ("select = ['NXL7']\n", '"NXL7" matches no rule code'),
        ("select = [\n", "not valid TOML"),
    ],
)
def test_bad_config_is_exit_two_naming_file_and_key(tree: Path, content: str, message: str) -> None:
    (tree / "nexlint.toml").write_text(content)
    code, out, err = check()
    assert code == 2
    assert out == ""
    assert err.startswith(f"nexlint: error: {tree / 'nexlint.toml'}")
    assert message in err
