"""What one file can cost and produce: every stage grows linearly with its input (n vs 4n),
and a file's diagnostics are capped (max-diagnostics), so an alias bomb cannot flood a
report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

import nexlint
from nexlint.document import parse
from nexlint.engine import lint_text, suppress
from nexlint.findings import Finding
from nexlint.fixes import apply_edits, fix_text
from nexlint.registry import registry
from nexlint.reporters import FORMATS, ReportOptions, get_renderer

from .helpers import VALID, growth, sarif_schema

GROWTH_LIMIT = 5.0  # 4x the input may cost at most 5x the time (linear is 4x)
HEAD = "application:\n  name: shop\n  pods:\n"


def pods(count: int, image_line: Callable[[int], str]) -> str:
    return HEAD + "".join(
        f"    - name: p{i}\n{image_line(i)}      servicePorts: [80]\n"
        + ("      path: /\n" if i == 0 else "")
        for i in range(count)
    )


UNCAPPED = nexlint.Config(max_diagnostics=None)  # the stages see every finding


def linting(text: str) -> Callable[[], object]:
    return lambda: nexlint.lint(text, config=UNCAPPED)


# -- directives ----------------------------------------------------------------------------------


def suppressing(text: str, flagged: str, code: str) -> Callable[[], list[Finding]]:
    """The directives stage alone (engine.suppress) over ``text``, with a finding of
    ``code`` at each ``flagged``."""
    doc, rules = parse(text), registry()
    at = [m.start() for m in re.finditer(re.escape(flagged), text)]
    findings = [Finding(code, "found", start, start + len(flagged)) for start in at]
    return lambda: suppress(findings, doc, rules, set(rules), True)


def test_directives_that_each_suppress_a_finding_grow_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = pods(n, lambda i: "      image: nginx  # nexlint: disable=NXL304\n")
        stage = suppressing(text, "nginx", "NXL304")
        assert stage() == []
        return stage

    assert growth(make, 500) <= GROWTH_LIMIT


def test_directives_that_suppress_nothing_grow_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = pods(n, lambda i: f"      image: nginx:1.{i}  # nexlint: disable=NXL304\n")
        stage = suppressing(text, "servicePorts", "NXL105")
        assert [f.code for f in stage()] == ["NXL105"] * n + ["NXL901"] * n
        return stage

    assert growth(make, 500) <= GROWTH_LIMIT


def test_file_directives_against_many_findings_grow_linearly() -> None:
    """n `disable-file` lines and n findings: no finding is held against every directive."""

    def make(n: int) -> Callable[[], object]:
        text = "".join("# nexlint: disable-file=NXL305\n" for _ in range(n))
        text += pods(n, lambda i: "      image: nginx:latest\n")
        stage = suppressing(text, "nginx:latest", "NXL305")
        assert stage() == []
        return stage

    assert growth(make, 500) <= GROWTH_LIMIT


def test_directives_are_honoured_as_before_at_scale() -> None:
    """What the stage tests above time, seen through the library."""
    same_line = pods(300, lambda i: "      image: nginx  # nexlint: disable=NXL304\n")
    assert nexlint.lint(same_line, config=UNCAPPED) == []
    idle = pods(300, lambda i: f"      image: nginx:1.{i}  # nexlint: disable=NXL304\n")
    assert [d.code for d in nexlint.lint(idle, config=UNCAPPED)] == ["NXL901"] * 300
    whole = "# nexlint: disable-file=NXL305\n" * 300 + pods(
        300, lambda i: "      image: a:latest\n"
    )
    assert nexlint.lint(whole, config=UNCAPPED) == []


# -- fixes --------------------------------------------------------------------------------------


def many_vars(count: int, value: str = "yes") -> str:
    """One pod whose ``count`` vars each get a safe fix (NXL005: quote it)."""
    pod = "    - name: web\n      image: nginx:1.27\n      path: /\n      servicePorts: [80]\n"
    return HEAD + pod + "      vars:\n" + "".join(f"        V{i}: {value}\n" for i in range(count))


def test_applying_many_fixes_grows_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = many_vars(n)
        offered = nexlint.lint(text, config=UNCAPPED)
        assert len(offered) == n
        return lambda: apply_edits(text, offered)

    assert growth(make, 2000) <= GROWTH_LIMIT


def test_fixing_many_findings_grows_linearly() -> None:
    def make(n: int) -> Callable[[], object]:
        text = many_vars(n)
        assert fix_text(text).text == many_vars(n, '"yes"')
        return lambda: fix_text(text)

    assert growth(make, 150) <= GROWTH_LIMIT


def test_the_diff_of_many_fixes_grows_linearly() -> None:
    """Changed lines between unchanged ones: where a general diff's matching is quadratic."""

    def make(n: int) -> Callable[[], object]:
        kept = "".join(f"        V{i}: yes\n        K{i}: '1'\n" for i in range(n))
        fixed = fix_text(many_vars(0) + kept, config=UNCAPPED)
        assert sum(fixed.applied.values()) == n
        assert fixed.diff("x").count("\n+        V") == n
        return lambda: fixed.diff("nexlayer.yaml")

    assert growth(make, 500) <= GROWTH_LIMIT


WORSE_FIXES = """
import nexlint
from nexlint import Edit, Fix

@nexlint.rule(code="WRS001", name="port-zero-everywhere", summary="fixes that break the file")
def port_zero_everywhere(doc, report):
    \"\"\"Why: every fix it offers adds an error.\"\"\"
    for pod in doc.pods():
        port = next(pod.get("servicePorts").elements()).location
        report(port, "try port 0", fix=Fix("port 0", (Edit(port.start, port.end, "0"),)))
"""


def test_fixes_that_make_the_file_worse_grow_linearly(tmp_path: Path) -> None:
    """Every fix adds an error: none is applied, and a round does not try each alone."""
    (tmp_path / "worse_fixes.py").write_text(WORSE_FIXES)
    (tmp_path / "nexlint.toml").write_text('plugins = ["worse_fixes"]\n')
    config = nexlint.load_config(tmp_path / "nexlint.toml")

    def make(n: int) -> Callable[[], object]:
        text = pods(n, lambda i: f"      image: nginx:1.{i}\n")
        assert [d.code for d in nexlint.lint(text, config=config)] == ["WRS001"] * min(n, 1000)
        assert fix_text(text, config=config).text == text
        return lambda: fix_text(text, config=config)

    assert growth(make, 50) <= GROWTH_LIMIT


# -- reporters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "counts"), [*((name, False) for name in sorted(FORMATS)), ("text", True)]
)
def test_each_format_grows_linearly(name: str, counts: bool) -> None:
    """Every format, code frames and --statistics included, over one file's diagnostics."""
    render = get_renderer(name)
    options = ReportOptions(statistics=counts)

    def make(n: int) -> Callable[[], object]:
        results = [lint_text(many_vars(n), config=UNCAPPED)]
        assert len(results[0].diagnostics) == n
        return lambda: render(results, options)

    assert growth(make, 500) <= GROWTH_LIMIT


# -- SARIF within code scanning's limits --------------------------------------------------------


def test_a_sarif_run_past_code_scannings_limits_keeps_the_most_severe(tmp_path: Path) -> None:
    """~15,000 errors and 1,500 warnings make 12 MB of SARIF: it keeps as many errors as
    10 MB hold, no warning, says so on stderr and in the run, and stays valid."""
    (tmp_path / "nexlayer.yaml").write_text(alias_flood(2_100))
    (tmp_path / "nexlayer-b.yaml").write_text(mixed(errors=0, warnings=1_500))
    result = nexlint_check(
        "--max-diagnostics", "20000", "--format", "sarif", "-o", "out.sarif", ".", cwd=tmp_path
    )
    assert result.returncode == 1
    written = (tmp_path / "out.sarif").read_bytes()
    assert len(written) <= 10_000_000
    run = json.loads(written)["runs"][0]
    kept = run["results"]
    errors = len(nexlint.lint((tmp_path / "nexlayer.yaml").read_text(), config=UNCAPPED))
    assert 10_000 < len(kept) < errors <= 25_000
    assert {r["level"] for r in kept} == {"error"}
    note = (
        f"the SARIF report holds the {len(kept):,} most severe of {errors + 1_500:,} results: "
        "code scanning takes at most 25,000 results and 10 MB a run"
    )
    assert result.stderr == f"nexlint: warning: {note}\n"
    [invocation] = run["invocations"]
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == note
    # jsonschema takes seconds per thousand results; they are made alike: a sample of them
    run["results"] = kept[:50] + kept[-50:]
    jsonschema.validate({**json.loads(written), "runs": [run]}, sarif_schema())


def test_a_run_past_the_result_limit_keeps_the_most_severe_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nexlint.reporters import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    text = mixed(errors=2, warnings=3)
    results = [lint_text(text)]
    shown = [(d.code, d.line) for d in results[0].diagnostics]
    document = json.loads(get_renderer("sarif")(results, ReportOptions()))
    kept = document["runs"][0]["results"]
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in kept]
    assert [(r["ruleId"], line) for r, line in zip(kept, lines, strict=True)] == [
        shown[0],  # the first warning, in the report's order
        *(d for d in shown if d[0] == "NXL304"),  # both errors
    ]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in kept)
    jsonschema.validate(document, sarif_schema())


# -- the cap -------------------------------------------------------------------------------------


def nexlint_check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def alias_flood(aliases: int) -> str:
    """The issue's shape: one pod with several mistakes, repeated by a list of aliases."""
    pod = "{name: Bad_Name, image: nginx, path: api, servicePorts: [0], vars: {A: http://x.pod}}"
    return HEAD + f"    - &p {pod}\n" + "".join("    - *p\n" for _ in range(aliases))


def test_an_alias_flood_is_capped_in_every_report_and_still_fails(tmp_path: Path) -> None:
    text = alias_flood(2_100)
    assert 18_000 < len(text.encode()) < 20_000  # ~19 KB, as in the issue
    everything = nexlint.lint(text, config=UNCAPPED)
    assert len(everything) > 13_000
    (tmp_path / "nexlayer.yaml").write_text(text)
    result = nexlint_check(
        "--format", "json", "--report", "sarif=out.sarif", "nexlayer.yaml", cwd=tmp_path
    )
    assert result.returncode == 1
    shown = json.loads(result.stdout)
    assert len(shown) == 1001
    [note] = [d for d in shown if d["code"] == "NXL007"]
    cut = len(everything) - 1000
    assert note["message"] == (
        f"{cut:,} more diagnostics in this file were not shown (max-diagnostics = 1000)"
    )
    assert (note["severity"], note["line"], note["column"]) == ("error", 1, 1)
    sarif = (tmp_path / "out.sarif").read_text()
    assert len(sarif.encode()) < 1_500_000  # was 77 MB for 90,000 findings
    assert len(json.loads(sarif)["runs"][0]["results"]) == 1001


def mixed(errors: int, warnings: int) -> str:
    """``errors`` pods without a tag (NXL304, errors) after ``warnings`` pods on latest
    (NXL305, warnings), so the warnings come first in the file."""
    lines = ["      image: nginx:latest\n" for _ in range(warnings)]
    lines += ["      image: nginx\n" for _ in range(errors)]
    return pods(warnings + errors, lambda i: lines[i])


def test_the_most_severe_are_kept_in_file_order_and_the_note_counts_the_rest() -> None:
    text = mixed(errors=3, warnings=5)
    config = nexlint.Config(max_diagnostics=4)
    shown = [(d.code, d.line, d.severity.value) for d in nexlint.lint(text, config=config)]
    all_lines = [d.line for d in nexlint.lint(text) if d.code == "NXL305"]
    assert (
        shown
        == [
            ("NXL007", 1, "warning"),  # only warnings were cut
            *(("NXL305", line, "warning") for line in all_lines[:1]),  # the first warning
            *((d.code, d.line, "error") for d in nexlint.lint(text) if d.code == "NXL304"),
        ]
    )
    [note] = [d for d in nexlint.lint(text, config=config) if d.code == "NXL007"]
    assert note.message == "4 more diagnostics in this file were not shown (max-diagnostics = 4)"
    assert note.help == (
        "the 4 most severe are shown; not shown: 4 warnings. To see them, raise the cap: "
        "--max-diagnostics 8, or max-diagnostics in the config"
    )


def test_one_cut_is_said_in_the_singular_and_errors_cut_make_the_note_an_error() -> None:
    [note] = [
        d
        for d in nexlint.lint(mixed(errors=3, warnings=0), config=nexlint.Config(max_diagnostics=2))
        if d.code == "NXL007"
    ]
    assert note.message == "1 more diagnostic in this file was not shown (max-diagnostics = 2)"
    assert note.severity is nexlint.Severity.ERROR


def test_the_exit_status_sees_what_was_cut(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(mixed(errors=0, warnings=6))
    capped = ("--max-diagnostics", "2", "--format", "concise", "nexlayer.yaml")
    assert nexlint_check(*capped, cwd=tmp_path).returncode == 0  # warnings do not fail
    failing = nexlint_check(*capped, "--fail-on", "warning", cwd=tmp_path)
    assert failing.returncode == 1
    assert failing.stdout.splitlines() == [
        "nexlayer.yaml:1:1: warning: 4 more diagnostics in this file were not shown "
        "(max-diagnostics = 2) [NXL007]",
        *failing.stdout.splitlines()[1:3],
    ]
    assert all("[NXL305]" in line for line in failing.stdout.splitlines()[1:])
    (tmp_path / "nexlayer.yaml").write_text(mixed(errors=1, warnings=6))
    # the error is kept, the note stands for warnings: --fail-on error fails on the error
    assert nexlint_check(*capped, cwd=tmp_path).returncode == 1


def test_neither_ignore_nor_a_directive_hides_the_note_or_lifts_the_cap(tmp_path: Path) -> None:
    text = "# nexlint: disable-file=NXL007\n" + mixed(errors=0, warnings=6)
    (tmp_path / "nexlayer.yaml").write_text(text)
    result = nexlint_check(
        "--max-diagnostics",
        "2",
        "--ignore",
        "NXL007",
        "--format",
        "json",
        "nexlayer.yaml",
        cwd=tmp_path,
    )
    shown = json.loads(result.stdout)
    assert [d["code"] for d in shown] == ["NXL007", "NXL305", "NXL305"]
    assert shown[0]["message"].startswith("4 more diagnostics")
    # without --ignore, the directive that hid nothing is one more warning, first in the file
    cut = nexlint.lint(text, config=nexlint.Config(max_diagnostics=2))
    assert [d.code for d in cut] == ["NXL007", "NXL901", "NXL305"]
    assert cut[0].message.startswith("5 more diagnostics")
    assert "NXL901" in {d.code for d in nexlint.lint(text, config=UNCAPPED)}


def test_the_key_the_option_and_show_settings(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(mixed(errors=0, warnings=6))
    (tmp_path / "nexlint.toml").write_text("max-diagnostics = 3\n")
    by_config = nexlint_check("--format", "concise", "nexlayer.yaml", cwd=tmp_path)
    assert len(by_config.stdout.splitlines()) == 4
    assert "(max-diagnostics = 3)" in by_config.stdout
    by_option = nexlint_check(
        "--max-diagnostics", "5", "--format", "concise", "nexlayer.yaml", cwd=tmp_path
    )
    assert len(by_option.stdout.splitlines()) == 6
    assert "1 more diagnostic in this file was not shown (max-diagnostics = 5)" in by_option.stdout
    assert "max-diagnostics = 3" in nexlint_check("--show-settings", cwd=tmp_path).stdout.split(
        "\n"
    )
    shown = nexlint_check("--show-settings", "--max-diagnostics", "7", cwd=tmp_path).stdout
    assert "max-diagnostics = 7" in shown.splitlines()
    assert tomllib.loads(shown)["max-diagnostics"] == 7
    assert nexlint.load_config(tmp_path / "nexlint.toml").max_diagnostics == 3
    plenty = nexlint_check(
        "--max-diagnostics", "100", "--format", "concise", "nexlayer.yaml", cwd=tmp_path
    )
    assert "NXL007" not in plenty.stdout and len(plenty.stdout.splitlines()) == 6


@pytest.mark.parametrize("value", ["0", "-1", '"many"', "true", "1.5", '"10"'])
def test_a_bad_value_in_the_config_is_exit_2_naming_the_key(tmp_path: Path, value: str) -> None:
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    (tmp_path / "nexlint.toml").write_text(f"max-diagnostics = {value}\n")
    result = nexlint_check("nexlayer.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f'nexlint: error: {tmp_path / "nexlint.toml"}: key "max-diagnostics" in the file: '
        "must be an integer, 1 or more\n"
    )


@pytest.mark.parametrize("value", ["0", "many"])
def test_a_bad_value_on_the_command_line_is_exit_2_naming_the_option(
    tmp_path: Path, value: str
) -> None:
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    result = nexlint_check("--max-diagnostics", value, "nexlayer.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert "Invalid value for '--max-diagnostics'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_library_applies_the_cap_of_its_config() -> None:
    text = alias_flood(200)
    assert len(nexlint.lint(text)) == 1001  # the default: 1000 and the note
    assert len(nexlint.lint(text, config=nexlint.Config(max_diagnostics=10))) == 11
    assert len(nexlint.lint(text, config=UNCAPPED)) > 1001


def test_fixing_a_flood_reports_what_a_check_of_the_fixed_text_reports() -> None:
    text = alias_flood(200).replace("vars: {A: http://x.pod}", "vars: {A: http://x.pod, B: yes}")
    fixed, remaining = nexlint.fix(text)
    assert fixed != text and 'B: "yes"' in fixed
    assert remaining == nexlint.lint(fixed)
    assert len(remaining) == 1001


def test_the_code_is_listed_and_explained(tmp_path: Path) -> None:
    def nexlint_command(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "nexlint", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            check=True,
        )
        return done.stdout

    listed = nexlint_command("rules")
    assert re.search(
        r"^NXL007 +too-many-diagnostics +error +a file has more diagnostics", listed, re.M
    )
    explained = nexlint_command("rule", "NXL007")
    assert explained.startswith("# NXL007 too-many-diagnostics (error)\n")
    assert "raise `max-diagnostics`" in explained
    assert nexlint_command("rule", "too-many-diagnostics") == explained


def test_the_growth_measure_tells_linear_from_quadratic() -> None:
    """The measure every growth test uses can fail: a quadratic stage is seen as one."""

    def quadratic(size: int) -> Callable[[], object]:
        return lambda: sum(1 for _ in range(size) for _ in range(size // 8))

    def linear(size: int) -> Callable[[], object]:
        return lambda: sum(1 for _ in range(size * 64))

    assert growth(quadratic, 400) > 2 * GROWTH_LIMIT
    assert growth(linear, 400) <= GROWTH_LIMIT
