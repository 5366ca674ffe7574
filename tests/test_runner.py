"""Many files: the cache and worker processes change how fast, never what is found."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cache import Cache
from nexlint.cli import cli
from nexlint.result import LintResult
from nexlint.runner import lint_files

from .helpers import VALID, corpus_files


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
