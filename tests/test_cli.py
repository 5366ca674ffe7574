"""The command line as a user runs it: formats, discovery, selection, exit statuses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexlint import __version__
from nexlint.cli import cli

from .helpers import VALID

BAD = VALID.replace("name: shop", "name: Shop").replace("servicePorts", "serviceports")


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a good and a bad file, as the working directory, with no config."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging" / "nexlayer.staging.yaml").write_text(BAD)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "nexlayer.yaml").write_text(BAD)
    (tmp_path / "other.yaml").write_text(BAD)
    return tmp_path


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert (code, out) == (0, f"nexlint {__version__}\n")


def test_clean_file_exits_zero(project: Path) -> None:
    code, out, _ = invoke("check", "nexlayer.yaml")
    assert code == 0
    assert out == "No problems in 1 file.\n"


def test_discovery_finds_variants_and_skips_node_modules(project: Path) -> None:
    code, out, _ = invoke("check", "--format", "concise")
    assert code == 1
    assert out.splitlines() == [
        'staging/nexlayer.staging.yaml:2:9: error: name of application is "Shop"; expected 3 '
        "to 64 lowercase letters, digits, '.' or '-', starting with a letter (uppercase is "
        "rejected) [NXL104]",
        'staging/nexlayer.staging.yaml:7:7: error: unknown key "serviceports" in pod "web" '
        "[NXL102]",
    ]


def test_a_file_named_explicitly_is_always_linted(project: Path) -> None:
    code, out, _ = invoke("check", "--format", "concise", "other.yaml")
    assert code == 1
    assert out.startswith("other.yaml:2:9: error:")


def test_text_format_has_a_code_frame_help_and_summary(project: Path) -> None:
    code, out, _ = invoke("check", "other.yaml")
    assert code == 1
    assert out == (
        'other.yaml:2:9: error[NXL104] name of application is "Shop"; expected 3 to 64 '
        "lowercase letters, digits, '.' or '-', starting with a letter (uppercase is rejected)\n"
        "  |\n"
        "2 |   name: Shop\n"
        "  |         ^^^^\n"
        "\n"
        'other.yaml:7:7: error[NXL102] [*] unknown key "serviceports" in pod "web"\n'
        "  |\n"
        "7 |       serviceports: [80]\n"
        "  |       ^^^^^^^^^^^^\n"
        '  = help: did you mean "servicePorts"?\n'
        "\n"
        "Found 2 errors in 1 file (1 file checked).\n"
        "[*] 1 fixable with `nexlint check --fix`.\n"
    )


def test_force_color_and_no_color(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in invoke("check", "other.yaml")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in invoke("check", "other.yaml")[1]


def test_json_format(project: Path) -> None:
    code, out, _ = invoke("check", "--format", "json", "other.yaml")
    assert code == 1
    items = json.loads(out)
    assert [(i["code"], i["line"], i["column"], i["end_line"], i["end_column"]) for i in items] == [
        ("NXL104", 2, 9, 2, 13),
        ("NXL102", 7, 7, 7, 19),
    ]
    assert items[1]["name"] == "schema-unknown-key"
    assert items[1]["severity"] == "error"
    assert items[1]["pointer"] == "/application/pods/0/serviceports"
    assert items[1]["help"] == 'did you mean "servicePorts"?'
    assert items[1]["url"].endswith("#nxl102")


def test_stdin_with_a_filename(project: Path) -> None:
    code, out, _ = invoke(
        "check", "-", "--stdin-filename", "deploy/nexlayer.yaml", "--format", "concise", input=BAD
    )
    assert code == 1
    assert out.splitlines()[0].startswith("deploy/nexlayer.yaml:2:9: error:")


def test_select_ignore_and_extend_select(project: Path) -> None:
    assert (
        invoke("check", "--select", "NXL104", "other.yaml", "--format", "concise")[1].count("\n")
        == 1
    )
    code, out, _ = invoke("check", "--ignore", "NXL1", "other.yaml")
    assert (code, out) == (0, "No problems in 1 file.\n")
    code, out, _ = invoke(
        "check", "--select", "NXL104", "--extend-select", "NXL102", "other.yaml", "-q"
    )
    assert code == 1
    assert "[NXL102]" in out and "[NXL104]" in out


def test_unknown_selector_is_a_usage_error(project: Path) -> None:
    code, _, err = invoke("check", "--select", "XYZ9", "other.yaml")
    assert code == 2
    assert err == 'nexlint: error: options: "XYZ9" matches no rule code (see `nexlint rules`)\n'


def test_fail_on_and_exit_zero(project: Path) -> None:
    (project / "warn.yaml").write_text(BAD)
    assert invoke("check", "other.yaml", "--exit-zero")[0] == 0
    assert invoke("check", "other.yaml", "--fail-on", "error")[0] == 1


def test_missing_path_exits_two_with_one_line(project: Path) -> None:
    code, out, err = invoke("check", "nope.yaml")
    assert (code, out) == (2, "")
    assert err == "nexlint: error: path does not exist: nope.yaml\n"


def test_syntax_error_is_a_finding_not_a_crash(project: Path) -> None:
    (project / "broken.yaml").write_text("application:\n  name: [shop\n")
    code, out, _ = invoke("check", "broken.yaml", "--format", "concise")
    assert code == 1
    assert out.startswith("broken.yaml:3:1: error:")
    assert out.rstrip().endswith("[NXL001]")


def test_config_file_is_found_upwards_and_no_config_ignores_it(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.nexlint]\nignore = ["NXL104"]\n')
    os.chdir(project / "staging")
    code, out, _ = invoke("check", "--format", "concise")
    assert code == 1
    assert "[NXL104]" not in out and "[NXL102]" in out
    code, out, _ = invoke("check", "--format", "concise", "--no-config")
    assert "[NXL104]" in out


def test_bad_config_names_file_and_key(project: Path) -> None:
    (project / "nexlint.toml").write_text('selekt = ["NXL1"]\n')
    code, _, err = invoke("check")
    assert code == 2
    assert err.startswith(f'nexlint: error: {project / "nexlint.toml"}: unknown key "selekt"')


def test_user_schema_replaces_the_bundled_one(project: Path) -> None:
    (project / "schema.json").write_text(
        json.dumps({"type": "object", "required": ["application", "owner"]})
    )
    code, out, _ = invoke("check", "--schema", "schema.json", "nexlayer.yaml", "-q")
    assert code == 1
    assert 'the top-level mapping is missing the required key "owner"' in out
    (project / "broken.json").write_text("{")
    code, _, err = invoke("check", "--schema", "broken.json", "nexlayer.yaml")
    assert code == 2
    assert err.startswith("nexlint: error: schema ")


def test_output_file_and_statistics(project: Path) -> None:
    code, out, _ = invoke("check", "other.yaml", "--statistics")
    assert (code, out) == (1, "1  NXL102  schema-unknown-key\n1  NXL104  schema-format\n")
    code, out, _ = invoke("check", "other.yaml", "--format", "json", "-o", "report.json")
    assert (code, out) == (1, "")
    assert len(json.loads((project / "report.json").read_text())) == 2


def test_schema_command_prints_the_bundled_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    assert json.loads(out)["title"] == "nexlayer.yaml"


def test_rules_and_rule_commands() -> None:
    code, out, _ = invoke("rules", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"code": "NXL102", "name": "schema-unknown-key", "severity": "error"}.items() <= rows[
        [r["code"] for r in rows].index("NXL102")
    ].items()
    code, out, _ = invoke("rule", "NXL102")
    assert code == 0
    assert out.startswith("# NXL102 schema-unknown-key (error, fixable)\n")
    assert "Bad:" in out and "Good:" in out
    assert invoke("rule", "NXL999")[0] == 2


def test_usage_error_exits_two() -> None:
    assert invoke("check", "--format", "yaml")[0] == 2


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(BAD)
    result = subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "--format", "concise", "nexlayer.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("nexlayer.yaml:2:9: error:")


def test_stdin_fix_writes_the_text_out_and_the_findings_to_stderr(project: Path) -> None:
    text = VALID.replace("nginx:1.27", "nginx") + "      vars:\n        DEBUG: yes\n"
    code, out, err = invoke("check", "--fix", "--format", "concise", "-", input=text)
    assert code == 1  # the image without a tag is left, an error
    assert out == text.replace("DEBUG: yes", 'DEBUG: "yes"')
    assert err == (
        '<stdin>:5:14: error: image "nginx" has no tag; the deploy fails without one [NXL304]\n'
    )


def test_a_run_that_finds_no_file_says_so(project: Path) -> None:
    (project / "empty").mkdir()
    code, out, err = invoke("check", "empty")
    assert (code, out) == (0, "No problems in 0 files.\n")
    assert err == (
        "nexlint: warning: no files to check in empty: nexlint looks for nexlayer.yaml, "
        "nexlayer.yml, nexlayer.*.yaml, nexlayer.*.yml, nexlayer-*.yaml, nexlayer-*.yml\n"
    )


def test_output_format_and_rule_names_are_accepted(project: Path) -> None:
    by_code = invoke("check", "--format", "concise", "--ignore", "NXL104", "staging")
    by_name = invoke("check", "--output-format", "concise", "--ignore", "schema-format", "staging")
    assert by_name == by_code
    assert "[NXL104]" not in by_name[1] and "[NXL102]" in by_name[1]
    code, out, _ = invoke("check", "--format", "concise", "--select", "schema-unknown-key", ".")
    assert code == 1
    assert {line.rsplit(" ", 1)[-1] for line in out.splitlines()} == {"[NXL102]"}


def test_output_files_get_their_folders(project: Path) -> None:
    code, _, _ = invoke(
        "check",
        "-o",
        "out/a/report.json",
        "--format",
        "json",
        "--report",
        "sarif=out/b/report.sarif",
        "staging",
    )
    assert code == 1
    assert json.loads((project / "out" / "a" / "report.json").read_text())
    assert json.loads((project / "out" / "b" / "report.sarif").read_text())["version"] == "2.1.0"


def test_a_fifo_named_like_a_nexlayer_file_is_skipped_not_read(project: Path) -> None:
    os.mkfifo(project / "staging" / "nexlayer-pipe.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "--format", "concise", "-v", "staging"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,  # reading the FIFO would block for ever
    )
    assert result.returncode == 1
    assert "nexlint: skipped staging/nexlayer-pipe.yaml: not a regular file" in result.stderr
    named = subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "staging/nexlayer-pipe.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert named.returncode == 0
    assert named.stderr.startswith(
        "nexlint: warning: skipped staging/nexlayer-pipe.yaml: not a regular file"
    )


def test_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    big = tmp_path / "nexlayer.yaml"
    pods = "".join(
        f"    - name: p{i}\n      image: acme/a:1\n      servicePorts: [80]\n"
        for i in range(40_000)
    )
    big.write_text("application:\n  name: shop\n  pods:\n" + pods)
    process = subprocess.Popen(
        [sys.executable, "-m", "nexlint", "check", "--no-cache", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        process.wait(timeout=3)  # still parsing: about ten seconds of work
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "nexlint: interrupted"  # after the line break click gives ^C
