"""Many files: the cache and worker processes change how fast, never what is found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cache import Cache
from nexlint.cli import cli
from nexlint.result import LintResult
from nexlint.runner import lint_files

from .helpers import VALID, alive, corpus_files


def serialise(results: list[LintResult]) -> list[tuple[str, list[dict[str, object]]]]:
    return [(r.file, [d.to_dict() for d in r.diagnostics]) for r in results]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(folder))
    return folder


def test_corpus_results_are_identical_with_and_without_cache_and_jobs(cache_dir: Path) -> None:
    names = [str(p) for p in corpus_files()]
    config = nexlint.Config()
    reference = serialise(lint_files(names, config, jobs=1, use_cache=False))
    assert reference == serialise([LintResult(n, "", nexlint.lint_file(n)) for n in names])
    parallel = serialise(lint_files(names, config, jobs=2, use_cache=False))
    cold = serialise(lint_files(names, config, jobs=2, use_cache=True))
    assert any(cache_dir.rglob("*.json"))
    warm = serialise(lint_files(names, config, jobs=1, use_cache=True))
    assert parallel == reference
    assert cold == reference
    assert warm == reference


def test_cached_results_keep_text_masks_and_fixes(cache_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(VALID + "      vars:\n        DEBUG: yes\n        DB_PASSWORD: hunter2\n")
    [first] = lint_files([str(target)], nexlint.Config())
    [again] = lint_files([str(target)], nexlint.Config())
    assert again == first
    assert again.diagnostics[0].fix is not None
    assert again.masks and again.text == target.read_text()


def test_the_cache_key_follows_bytes_name_and_config(cache_dir: Path, tmp_path: Path) -> None:
    config = nexlint.Config()
    cache = Cache(config)
    assert cache.key("a.yaml", b"x") != cache.key("a.yaml", b"y")
    assert cache.key("a.yaml", b"x") != cache.key("b.yaml", b"x")
    assert Cache(nexlint.Config(ignore=("NXL305",))).key("a.yaml", b"x") != cache.key(
        "a.yaml", b"x"
    )
    target = tmp_path / "nexlayer.yaml"
    target.write_text(VALID.replace("nginx:1.27", "nginx:latest"))
    assert [d.code for d in lint_files([str(target)], config)[0].diagnostics] == ["NXL305"]
    quiet = nexlint.Config(ignore=("NXL305",))
    assert lint_files([str(target)], quiet)[0].diagnostics == []
    target.write_text(VALID)
    assert lint_files([str(target)], config)[0].diagnostics == []


def test_a_broken_cache_entry_is_a_miss(cache_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(VALID.replace("nginx:1.27", "nginx"))
    lint_files([str(target)], nexlint.Config())
    entries = list(cache_dir.rglob("*.json"))
    assert entries
    for entry in entries:
        entry.write_text("{not json")
    [result] = lint_files([str(target)], nexlint.Config())
    assert [d.code for d in result.diagnostics] == ["NXL304"]


def test_cli_no_cache_and_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEXLINT_CACHE_DIR", raising=False)
    for i in range(30):
        (tmp_path / f"nexlayer-{i}.yaml").write_text(VALID.replace("nginx:1.27", "nginx"))
    runner = CliRunner()
    first = runner.invoke(cli, ["check", "--format", "concise", "--no-cache", "--jobs", "2"])
    assert first.exit_code == 1
    assert not (tmp_path / ".nexlint_cache").exists()
    second = runner.invoke(cli, ["check", "--format", "concise", "--jobs", "1"])
    assert (tmp_path / ".nexlint_cache" / ".gitignore").read_text().endswith("*\n")
    third = runner.invoke(cli, ["check", "--format", "concise"])
    assert first.stdout == second.stdout == third.stdout
    assert len(first.stdout.splitlines()) == 30


def _poison(cache_dir: Path, change: object) -> None:
    """Rewrite every cached entry with ``change`` (a function of the entry)."""
    for path in cache_dir.rglob("*.json"):
        entries = json.loads(path.read_text())
        path.write_text(json.dumps({key: change(entry) for key, entry in entries.items()}))  # type: ignore[operator]


def _first_diagnostic(**fields: object) -> object:
    def change(entry: dict[str, Any]) -> dict[str, Any]:
        entry["diagnostics"][0].update(fields)
        return entry

    return change


CRAFTED = {
    "not a mapping": lambda entry: ["diagnostics"],
    "a missing key": lambda entry: {"diagnostics": entry["diagnostics"]},
    "a line as a string": _first_diagnostic(line="4"),
    "a boolean for a line": _first_diagnostic(line=True),
    "a line past the end": _first_diagnostic(line=99, end_line=99),
    "an end before its start": _first_diagnostic(column=20, end_column=2),
    "a column past its line": _first_diagnostic(column=400, end_column=401),
    "another file's name": _first_diagnostic(file="other.yaml"),
    "an unknown severity": _first_diagnostic(severity="fatal"),
    "a list for a severity": _first_diagnostic(severity=["error"]),
    "a terminal escape": _first_diagnostic(message="\x1b]0;pwned\x07"),
    "a code that is not a code": _first_diagnostic(code="rm -rf"),
    "a mask outside the text": lambda entry: {**entry, "masks": [[0, 10**6]]},
    "an edit outside the text": _first_diagnostic(
        fix={
            "message": "x",
            "safe": True,
            "edits": [{"start": 0, "end": 10**6, "text": "", "masked": False}],
        }
    ),
    "no findings at all": lambda entry: {"diagnostics": [], "masks": []},
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_cache_entry_is_a_miss_or_a_true_result(
    case: str, cache_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(VALID.replace("nginx:1.27", "nginx"))
    [truth] = lint_files([str(target)], nexlint.Config(), use_cache=False)
    lint_files([str(target)], nexlint.Config())
    _poison(cache_dir, CRAFTED[case])
    [result] = lint_files([str(target)], nexlint.Config())
    if case == "no findings at all":
        # well-formed but false: the cache cannot know; this is why CI runs --no-cache
        assert result.diagnostics == []
    else:
        assert result == truth


PLUGIN_V1 = textwrap.dedent('''
    import nexlint

    @nexlint.rule(code="VER001", name="versioned", summary="says its version")
    def versioned(doc, report):
        """Why: to show the cache follows a plugin's code."""
        report("/application/name", "version one")
''')


def test_editing_a_plugin_changes_results_without_no_cache(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "versioned_rules.py").write_text(PLUGIN_V1)
    (tmp_path / "nexlint.toml").write_text('plugins = ["versioned_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    args = ["-m", "nexlint", "check", "--format", "concise", "nexlayer.yaml"]
    env = {**os.environ, "NEXLINT_CACHE_DIR": str(cache_dir)}

    def run() -> str:
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, check=False
        ).stdout

    assert run() == "nexlayer.yaml:2:9: error: version one [VER001]\n"
    (tmp_path / "versioned_rules.py").write_text(PLUGIN_V1.replace("one", "two"))
    assert run() == "nexlayer.yaml:2:9: error: version two [VER001]\n"
    # a new entry-point plugin is seen too
    site = tmp_path / "site"
    (site / "extra_ep-1.0.dist-info").mkdir(parents=True)
    (site / "extra_ep.py").write_text(PLUGIN_V1.replace("VER001", "EXT001"))
    (site / "extra_ep-1.0.dist-info" / "entry_points.txt").write_text(
        "[nexlint.rules]\nextra = extra_ep\n"
    )
    env["PYTHONPATH"] = str(site)
    assert run() == (
        "nexlayer.yaml:2:9: error: version one [EXT001]\n"
        "nexlayer.yaml:2:9: error: version two [VER001]\n"
    )


# -- parallel runs and plugins ------------------------------------------------------------------

TRACED = textwrap.dedent('''
    import os
    import time

    import nexlint

    # Every process this module is imported in -- a plugin host -- and the one that started it.
    with open(os.path.join(os.environ["MARKERS"], f"{os.getpid()}"), "w") as marker:
        marker.write(f"{os.getppid()}")


    @nexlint.rule(code="TRC001", name="traced", summary="reports where it ran")
    def traced(doc, report):
        """Why: to follow the plugin hosts of a parallel run."""
        time.sleep(float(os.environ.get("SLOW", "0")))
        report("/application/name", f"checked {doc.data['application']['name']}")
''')


def _traced_project(tmp_path: Path, files: int) -> Path:
    (tmp_path / "traced_rules.py").write_text(TRACED)
    (tmp_path / "nexlint.toml").write_text('plugins = ["traced_rules"]\n')
    for i in range(files):
        folder = tmp_path / f"app{i:02}"
        folder.mkdir()
        (folder / "nexlayer.yaml").write_text(VALID.replace("name: shop", f"name: shop{i}"))
    (tmp_path / "markers").mkdir()
    return tmp_path


@pytest.mark.skipif(os.name != "posix", reason="plugin hosts need POSIX")
def test_each_worker_checks_plugins_in_a_host_of_its_own(tmp_path: Path) -> None:
    project = _traced_project(tmp_path, 30)
    env = {**os.environ, "MARKERS": str(project / "markers")}
    outputs = []
    for jobs in ("1", "2"):
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "nexlint",
                "check",
                "--no-cache",
                "-j",
                jobs,
                "--format",
                "concise",
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        out, err = process.communicate(timeout=120)
        assert process.returncode == 1, err
        outputs.append(out)
        started = {
            int(marker.name): int(marker.read_text()) for marker in project.glob("markers/*")
        }
        for marker in project.glob("markers/*"):
            marker.unlink()
        workers = set(started.values()) - {process.pid}
        # -j 1: the run's own host; -j 2: that one, and one for each worker
        assert len(workers) == (0 if jobs == "1" else 2)
        assert len(started) == 1 + len(workers)
    assert outputs[0] == outputs[1]
    assert sorted(outputs[0].splitlines()) == sorted(
        f"app{i:02}/nexlayer.yaml:2:9: error: checked shop{i} [TRC001]" for i in range(30)
    )


@pytest.mark.skipif(os.name != "posix", reason="plugin hosts need POSIX")
def test_killing_a_parallel_run_leaves_no_worker_and_no_host(tmp_path: Path) -> None:
    """A run killed outright (SIGKILL) cannot shut its pool down: its workers, and their
    plugin hosts, used to live on forever."""
    project = _traced_project(tmp_path, 40)
    markers = project / "markers"
    env = {**os.environ, "MARKERS": str(markers), "SLOW": "0.5"}
    process = subprocess.Popen(
        [sys.executable, "-m", "nexlint", "check", "--no-cache", "-j", "2"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        started: dict[int, int] = {}
        while time.monotonic() < deadline:
            started = {int(m.name): int(m.read_text() or 0) for m in markers.glob("*")}
            if len(set(started.values()) - {0, process.pid}) == 2:
                break  # both workers have a host: the run is in full swing
            time.sleep(0.05)
        workers = set(started.values()) - {0, process.pid}
        assert len(workers) == 2 and process.poll() is None
    finally:
        process.kill()
        process.wait()
    everyone = workers | set(started)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in everyone) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in everyone if alive(pid)] == []
