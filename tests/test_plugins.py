"""Third-party rules: loaded from the `plugins` config key and from the `nexlint.rules`
entry-point group, reporting, configured, suppressed, and failing in isolation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .helpers import VALID

ACME = textwrap.dedent('''
    import nexlint

    @nexlint.rule(code="ACME001", name="team-label", severity="warning",
                  summary="every pod needs a TEAM var")
    def team_label(doc, report):
        """Why: on-call needs an owner. Bad: a pod without TEAM. Good: TEAM: payments."""
        for i, pod in enumerate(doc.data["application"]["pods"]):
            if "TEAM" not in (pod.get("vars") or {}):
                report(f"/application/pods/{i}/name", "pod has no TEAM var")

    @nexlint.rule(code="ACME002", name="always-crashes", summary="a rule with a bug")
    def always_crashes(doc, report):
        """Why: to show that a broken rule does not hide the others."""
        raise KeyError("oops")
''')


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nexlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "acme_rules.py").write_text(ACME)
    (tmp_path / "nexlint.toml").write_text('plugins = ["acme_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID.replace("nginx:1.27", "nginx:1.27  # pinned"))
    return tmp_path


def test_plugin_reports_at_the_value_of_its_pointer(project: Path) -> None:
    result = run(project, "check", "--format", "json", "--fail-on", "warning")
    assert result.returncode == 1, result.stderr
    found = {d["code"]: d for d in json.loads(result.stdout)}
    team = found["ACME001"]
    assert (team["line"], team["column"], team["end_column"]) == (4, 13, 16)
    assert team["severity"] == "warning"
    assert team["message"] == "pod has no TEAM var"
    assert team["name"] == "team-label"


def test_a_crashing_rule_is_one_diagnostic_and_the_others_still_run(project: Path) -> None:
    result = run(project, "check", "--format", "concise")
    lines = result.stdout.splitlines()
    assert any("[ACME001]" in line for line in lines)
    crash = [line for line in lines if "[ACME002]" in line]
    assert crash == [
        "nexlayer.yaml:1:1: error: rule ACME002 (always-crashes) from acme_rules failed: "
        "KeyError: 'oops' [ACME002]"
    ]
    assert result.returncode == 1


def test_plugin_rules_are_configured_like_built_ins(project: Path) -> None:
    (project / "nexlint.toml").write_text(
        'plugins = ["acme_rules"]\nignore = ["ACME002"]\nseverity = {ACME001 = "error"}\n'
    )
    result = run(project, "check", "--format", "concise")
    assert result.stdout == "nexlayer.yaml:4:13: error: pod has no TEAM var [ACME001]\n"
    assert result.returncode == 1
    assert run(project, "check", "--ignore", "ACME").returncode == 0


def test_plugin_rules_are_suppressed_like_built_ins(project: Path) -> None:
    text = VALID.replace(
        "    - name: web", "    # nexlint: disable-next-line=ACME001\n    - name: web"
    )
    (project / "nexlayer.yaml").write_text(text)
    result = run(project, "check", "--format", "concise", "--ignore", "ACME002")
    assert (result.returncode, result.stdout) == (0, "")


def test_plugin_appears_in_rules_and_rule(project: Path) -> None:
    listed = json.loads(run(project, "rules", "--format", "json").stdout)
    assert {"code": "ACME001", "origin": "acme_rules"}.items() <= next(
        r for r in listed if r["code"] == "ACME001"
    ).items()


def test_missing_plugin_is_a_clear_exit_two(project: Path) -> None:
    (project / "nexlint.toml").write_text('plugins = ["not_there"]\n')
    result = run(project, "check")
    assert result.returncode == 2
    assert result.stderr.startswith('nexlint: error: plugin "not_there" could not be loaded')
    assert "Traceback" not in result.stderr


def test_entry_point_plugin_is_loaded(tmp_path: Path) -> None:
    """A distribution that declares `[nexlint.rules]` is found without any config."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "acme_ep.py").write_text(ACME.replace("ACME002", "ACME003"))
    dist = site / "acme_ep-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-ep\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[nexlint.rules]\nacme = acme_ep\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "nexlayer.yaml").write_text(VALID)
    env = {"PYTHONPATH": str(site)}
    result = run(work, "check", "--format", "concise", "--select", "ACME001", env=env)
    assert result.stdout == "nexlayer.yaml:4:13: warning: pod has no TEAM var [ACME001]\n"
    assert result.returncode == 0


def test_a_plugin_cannot_print_a_secret(tmp_path: Path) -> None:
    (tmp_path / "leaky.py").write_text(
        textwrap.dedent('''
        import nexlint

        @nexlint.rule(code="LEAK001", name="leaky", summary="prints what it should not")
        def leaky(doc, report):
            """Why: a careless plugin."""
            token = doc.data["application"]["registryLogin"]["personalAccessToken"]
            report("/application/name", f"token is {token}", help=f"was {token}")
            raise ValueError(f"cannot handle {token}")
    ''')
    )
    (tmp_path / "nexlint.toml").write_text('plugins = ["leaky"]\n')
    (tmp_path / "nexlayer.yaml").write_text(
        VALID.replace(
            "  pods:",
            "  registryLogin:\n    registry: ghcr.io\n    username: a\n"
            "    personalAccessToken: s3cr3t-t0ken-value\n  pods:",
        )
    )
    result = run(tmp_path, "check", "--format", "json")
    assert "LEAK001" in result.stdout
    assert "s3cr3t-t0ken-value" not in result.stdout
    assert "cannot handle ****" in result.stdout


MISBEHAVING = textwrap.dedent('''
    import copy
    import sys

    import nexlint

    def rule(code, name):
        return nexlint.rule(code=code, name=name, summary=name.replace("-", " "))

    @rule("BAD001", "exits")
    def exits(doc, report):
        """Why: to show a rule cannot end the run."""
        sys.exit(3)

    @rule("BAD002", "base-exception")
    def base_exception(doc, report):
        """Why: to show anything a rule raises is contained."""
        raise GeneratorExit("not an Exception")

    @rule("BAD003", "message-not-a-string")
    def message_not_a_string(doc, report):
        """Why: to show report() checks what it is given."""
        report("/application/name", 42)

    @rule("BAD004", "location-outside")
    def location_outside(doc, report):
        """Why: to show a location must lie inside the text."""
        try:
            report(nexlint.Location(0, 10**9), "far away")
        except TypeError:
            pass  # swallowing the error does not hide the misuse

    @rule("BAD005", "prints")
    def prints(doc, report):
        """Why: standard output is the report's."""
        print('{"not": "json you asked for"}')
        report("/application/name", "found something")

    @rule("BAD006", "mutates")
    def mutates(doc, report):
        """Why: a rule cannot change what the rules after it see."""
        mine = copy.deepcopy(doc.data)
        mine["application"]["pods"].clear()  # its own copy: fine
        doc.data["application"]["pods"].clear()

    @rule("BAD007", "counts-pods")
    def counts_pods(doc, report):
        """Why: to see what a later rule sees."""
        pods = doc.data["application"]["pods"]
        report("/application/name", f"{len(pods)} pod(s), vars {sorted(pods[0])}")

    @rule("BAD008", "swaps-stdout")
    def swaps_stdout(doc, report):
        """Why: a rule cannot open standard output to the rules after it."""
        sys.stdout = sys.__stdout__

    @rule("BAD009", "prints-after-a-swap")
    def prints_after_a_swap(doc, report):
        """Why: standard output is the report's."""
        print("after the swap")
''')

LOUD = textwrap.dedent('''
    import nexlint

    print("hello from a plugin")

    @nexlint.rule(code="LOUD001", name="loud", summary="prints when it is imported")
    def loud(doc, report):
        """Why: standard output is the report's."""
        report("/application/name", "a finding")
''')


def test_misbehaving_rules_each_become_one_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "bad_rules.py").write_text(MISBEHAVING)
    (tmp_path / "nexlint.toml").write_text('plugins = ["bad_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    result = run(tmp_path, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    found = {d["code"]: d["message"] for d in json.loads(result.stdout)}  # stdout is JSON
    prefix = {
        code: f"rule {code} ({name}) from bad_rules failed: "
        for code, name in [
            ("BAD001", "exits"),
            ("BAD002", "base-exception"),
            ("BAD003", "message-not-a-string"),
            ("BAD004", "location-outside"),
            ("BAD005", "prints"),
            ("BAD006", "mutates"),
            ("BAD009", "prints-after-a-swap"),
        ]
    }
    assert found["BAD001"] == prefix["BAD001"] + "SystemExit: 3"
    assert found["BAD002"] == prefix["BAD002"] + "GeneratorExit: not an Exception"
    assert found["BAD003"] == (
        prefix["BAD003"] + "it passed report() a message that is an int, not a non-empty string"
    )
    assert found["BAD004"] == (
        prefix["BAD004"] + f"it passed report() a location that is not inside the text "
        f"(0 to {len(VALID)})"
    )
    assert found["BAD005"] == (
        prefix["BAD005"] + "it wrote 30 characters to standard output while checking, where "
        "nexlint writes its report; they were dropped"
    )
    assert found["BAD006"].startswith(prefix["BAD006"] + "TypeError: the document is read-only")
    assert found["BAD007"] == "1 pod(s), vars ['image', 'name', 'path', 'servicePorts']"
    assert "BAD008" not in found  # it wrote nothing; the rule after it is still contained
    assert found["BAD009"] == (
        prefix["BAD009"] + "it wrote 15 characters to standard output while checking, where "
        "nexlint writes its report; they were dropped"
    )
    assert "Traceback" not in result.stderr


def test_a_rule_that_prints_when_loaded_is_reported(tmp_path: Path) -> None:
    (tmp_path / "loud_rules.py").write_text(LOUD)
    (tmp_path / "nexlint.toml").write_text('plugins = ["loud_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    result = run(tmp_path, "check", "--format", "sarif")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)["runs"][0]["results"]  # stdout is SARIF only
    assert finding["ruleId"] == "LOUD001"
    assert finding["message"]["text"].startswith(
        "rule LOUD001 (loud) from loud_rules failed: it wrote 20 characters to standard "
        "output when it was loaded"
    )


def test_sarif_describes_plugin_rules_from_the_runs_own_registry(project: Path) -> None:
    (project / "acme_rules.py").write_text(
        ACME.replace(
            'summary="every pod needs a TEAM var")',
            'summary="every pod needs a TEAM var", url="https://acme.example/rules#acme001")',
        )
    )
    result = run(project, "check", "--format", "sarif", "--no-cache")
    run_ = json.loads(result.stdout)["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["ACME001"]["name"] == "team-label"
    assert rules["ACME001"]["shortDescription"] == {"text": "every pod needs a TEAM var"}
    assert rules["ACME001"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["ACME001"]["helpUri"] == "https://acme.example/rules#acme001"
    assert "helpUri" not in rules["ACME002"]  # no docs of its own: no link to nexlint's
    [finding] = [r for r in run_["results"] if r["ruleId"] == "ACME001"]
    assert finding["level"] == "warning"
    json_out = json.loads(run(project, "check", "--format", "json", "--no-cache").stdout)
    urls = {d["code"]: d["url"] for d in json_out}
    assert urls["ACME001"] == "https://acme.example/rules#acme001"
    assert urls["ACME002"] == ""
