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


def test_config_discovery_stops_at_the_repository_root(tree: Path) -> None:
    """The root is the first folder holding `.git` (a folder, or a file in a worktree or a
    submodule); its own config counts, the ones above it do not."""
    (tree / "nexlint.toml").write_text("ignore = ['NXL1']\n")
    app = tree / "prod" / "app"
    app.mkdir()
    assert find_config(app) == tree / "nexlint.toml"
    (tree / "prod" / ".git").write_text("gitdir: ../.git/modules/prod\n")
    assert find_config(app) is None
    (tree / "prod" / "pyproject.toml").write_text("[tool.nexlint]\n")
    assert find_config(app) == tree / "prod" / "pyproject.toml"
    assert find_config(tree / "staging") == tree / "nexlint.toml"


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


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ignore = ['']\n", 'key "ignore" in the file: must be a list of non-empty strings'),
        (
            "select = ['NXL1', ' ']\n",
            'key "select" in the file: must be a list of non-empty strings',
        ),
        ("fail-on = 3\n", 'key "fail-on" in the file: use "error", "warning" or "info"'),
        ("fail-on = 'fatal'\n", 'key "fail-on" in the file: use "error", "warning" or "info"'),
    ],
)
def test_config_values_say_what_is_allowed(tree: Path, content: str, message: str) -> None:
    (tree / "nexlint.toml").write_text(content)
    code, _, err = check()
    assert code == 2
    assert err == f"nexlint: error: {tree / 'nexlint.toml'}: {message}\n"


def test_a_broken_pyproject_is_an_error_not_skipped(tree: Path) -> None:
    """As ruff does: a pyproject.toml that cannot be read would silently drop the user's
    `ignore` list, so it is an error naming the file."""
    (tree / "pyproject.toml").write_text("[tool.nexlint]\nignore = ['NXL304'\n")
    code, out, err = check()
    assert (code, out) == (2, "")
    assert err.startswith(f"nexlint: error: {tree / 'pyproject.toml'}: not valid TOML: ")


def test_a_config_that_is_not_utf8_is_an_error(tree: Path) -> None:
    (tree / "nexlint.toml").write_bytes(b"ignore = ['NXL304'] # caf\xe9\n")
    code, _, err = check()
    assert code == 2
    assert err == f"nexlint: error: {tree / 'nexlint.toml'}: not UTF-8; save it as UTF-8\n"


@pytest.mark.parametrize(
    ("write", "problem"),
    [
        (
            lambda p: p.write_text('{"$ref": "https://example.com/other.json"}'),
            '$ref "https://example.com/other.json" cannot be resolved offline; nexlint reads '
            "only the schema file itself",
        ),
        (
            lambda p: p.write_text('{"properties": {"a": {"$ref": "#/$defs/missing"}}}'),
            '$ref "#/$defs/missing" cannot be resolved offline',
        ),
        (lambda p: p.mkdir(), "not a file"),
        (lambda p: p.write_bytes(b'{"a": "caf\xe9"}'), "not UTF-8"),
        (lambda p: p.write_text(" " * (5 * 1024 * 1024 + 1) + "{}"), "larger than 5 MiB"),
        (lambda p: p.write_text("[1, 2]"), "a JSON Schema must be a JSON object"),
    ],
)
def test_a_user_schema_that_cannot_be_used_is_one_line(
    tree: Path, write: object, problem: str
) -> None:
    schema = tree / "schema.json"
    write(schema)  # type: ignore[operator]
    code, out, err = check("--schema", "schema.json", "prod")
    assert (code, out) == (2, "")
    assert err.startswith(f"nexlint: error: schema {schema}: {problem}")
    assert err.count("\n") == 1


def test_show_settings_names_the_file_and_the_resolved_settings(tree: Path) -> None:
    (tree / "nexlint.toml").write_text(
        'ignore = ["image-latest-tag"]\nseverity = {NXL304 = "warning"}\nfail-on = "warning"\n'
    )
    result = CliRunner().invoke(cli, ["check", "--show-settings", "--extend-select", "NXL2"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# configuration file: {tree / 'nexlint.toml'}"
    assert 'ignore = ["NXL305"]' in lines  # the rule's name, resolved to its code
    assert 'extend-select = ["NXL2"]' in lines
    assert 'fail-on = "warning"' in lines
    assert 'severity = {"NXL304" = "warning"}' in lines
    assert 'schema = "the bundled schema"' in lines


def test_verbose_says_which_files_are_checked_and_skipped(tree: Path) -> None:
    (tree / "nexlint.toml").write_text('exclude = ["vendor"]\n')
    (tree / "node_modules").mkdir()
    code, _, err = check("-v")
    assert code == 1
    assert err.splitlines() == [
        "nexlint: skipped node_modules: a tool, build or environment folder",
        "nexlint: skipped vendor: excluded by the configuration",
        "nexlint: checking prod/nexlayer.yaml",
        "nexlint: checking staging/nexlayer.yaml",
    ]
