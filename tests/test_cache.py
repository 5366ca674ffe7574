"""The result cache never changes an answer, and is nexlint's alone.

Every run with the cache must say what the same run says with ``--no-cache``: whatever was
run before (--diff, --fix, --unsafe-fixes, other selections and formats), whatever was edited
since (the file, the config, a plugin -- even keeping its size and its time). The cache folder
is never reached through a link, a NEXLINT_CACHE_DIR holding others' files is left alone, a
full disk leaves nothing behind, and a broken or hostile cache file is only a miss.
"""

from __future__ import annotations

import errno
import json
import os
import select
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import nexlint
from nexlint import cache as cache_module
from nexlint.cli import FORMAT_NAMES
from nexlint.result import LintResult
from nexlint.runner import lint_files
from nexlint.source import LineIndex

from .helpers import VALID

Answer = tuple[int, str, str]  # exit status, standard output, standard error


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a run: ours without NEXLINT_* (the test says where the cache is).
    No bytecode is written: Python would run a plugin's stale .pyc after an edit that keeps
    the size and the time of its source, with or without nexlint's cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXLINT_")}
    env.update(PYTHONDONTWRITEBYTECODE="1", **extra)
    return env


def nexlint_run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Answer:
    """`python -m nexlint ARGS` in ``cwd``, as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "nexlint", *args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


# -- what a user sees: a false pass after --diff or --fix ------------------------------------

BROKEN = VALID.replace("servicePorts", "serviceports")  # NXL102, an error with a safe fix
# NXL401, an error whose only fix is unsafe; NXL213, a warning whose only fix is unsafe
UNSAFE_ONLY = textwrap.dedent("""\
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          vars:
            API_URL: http://db:5432
        - name: db
          image: postgres:16
          servicePorts: [5432]
          vars:
            POSTGRES_PASSWORD: <% DB_PASSWORD %>
          volumes:
            - name: pgdata
              size: 1Gi
              mountPath: /var/lib/postgresql/data
""")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (BROKEN, ["--diff"]),
        (UNSAFE_ONLY, ["--fix"]),
        (UNSAFE_ONLY, ["--diff", "--unsafe-fixes"]),
        (BROKEN, ["--fix"]),
        (UNSAFE_ONLY, ["--fix", "--unsafe-fixes"]),
    ],
)
def test_a_check_after_diff_or_fix_says_what_a_check_without_cache_says(
    tmp_path: Path, text: str, first: list[str]
) -> None:
    (tmp_path / "nexlayer.yaml").write_text(text)
    env = clean_env(NEXLINT_CACHE_DIR=str(tmp_path / "cache"))
    before = nexlint_run(tmp_path, "check", "--no-cache", "nexlayer.yaml", env=env)
    assert before[0] == 1
    nexlint_run(tmp_path, "check", *first, "nexlayer.yaml", env=env)
    assert any((tmp_path / "cache").rglob("*.json"))  # the first run stored something
    after = nexlint_run(tmp_path, "check", "nexlayer.yaml", env=env)
    assert after == nexlint_run(tmp_path, "check", "--no-cache", "nexlayer.yaml", env=env)
    if "--fix" not in first:  # nothing was written: the file is as broken as it was
        assert after == before
        assert "No problems" not in after[1]


def test_the_fixed_file_is_cached_as_what_it_is(tmp_path: Path) -> None:
    """After --fix wrote, a check answers from the cache (it is not needed to be right, but
    it shows the written bytes were stored with their own lint)."""
    target = tmp_path / "nexlayer.yaml"
    target.write_text(BROKEN + "      vars:\n        DEBUG: yes\n        API: http://web:80\n")
    cache = tmp_path / "cache"
    env = clean_env(NEXLINT_CACHE_DIR=str(cache))
    nexlint_run(tmp_path, "check", "--fix", "nexlayer.yaml", env=env)
    [stored] = list(cache.rglob("*.json"))
    [entry] = json.loads(stored.read_text()).values()
    assert [d["code"] for d in entry["diagnostics"]] == ["NXL213"]  # what is left
    assert nexlint_run(tmp_path, "check", "nexlayer.yaml", env=env) == nexlint_run(
        tmp_path, "check", "--no-cache", "nexlayer.yaml", env=env
    )


# -- the proof: random runs and edits, each answer compared with --no-cache -------------------

# Each command runs in a fork of a process that has imported what every run imports first:
# a fresh process as far as nexlint can tell (its registry, its plugins, its caches), in a
# few milliseconds instead of a start-up of ~0.2 s. Where there is no fork, a subprocess.
FORK_SERVER = r"""
import contextlib, importlib, io, json, os, sys, traceback
import nexlint.cli
# What runs load, loaded once: nexlint's own code and its libraries. Plugins are not: each
# run imports them afresh, as a new process does.
import jsonschema, nexlint.engine, nexlint.fixes, nexlint.registry, nexlint.reporters
nexlint.registry.registry()
for name in nexlint.cli.FORMAT_NAMES:
    nexlint.reporters.get_renderer(name)

def stream(fd, like):
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding=like.encoding,
                            errors=like.errors, line_buffering=like.line_buffering)

def run(request):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    importlib.invalidate_caches()
    for fd, name, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        handle = os.open(name, flags, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout, sys.stderr = stream(1, sys.stdout), stream(2, sys.stderr)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    try:
        nexlint.cli.main(request["args"])
        return 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1

for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = run(json.loads(line))
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), flush=True)
"""


class Runs:
    """Runs `nexlint ARGS` in a folder with an environment, as a new process would."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.server: subprocess.Popen[str] | None = None
        if hasattr(os, "fork"):
            self.server = subprocess.Popen(
                [sys.executable, "-c", FORK_SERVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=clean_env(),
            )

    def __call__(self, cwd: Path, args: list[str], env: dict[str, str]) -> Answer:
        if self.server is None:
            return nexlint_run(cwd, *args, env=env)
        assert self.server.stdin is not None and self.server.stdout is not None
        out, err = self.scratch / "stdout", self.scratch / "stderr"
        request = {"cwd": str(cwd), "args": args, "env": env, "stdout": str(out)}
        self.server.stdin.write(json.dumps({**request, "stderr": str(err)}) + "\n")
        self.server.stdin.flush()
        ready, _, _ = select.select([self.server.stdout], [], [], 120)
        assert ready, f"nexlint {' '.join(args)} did not finish in 2 minutes"
        status = int(self.server.stdout.readline())
        return status, out.read_text(), err.read_text()

    def close(self) -> None:
        if self.server is not None:
            assert self.server.stdin is not None
            self.server.stdin.close()
            self.server.wait(timeout=30)


POOL = {
    "safe fixes": (BROKEN + "      vars:\n        DEBUG: yes\n").encode(),
    "only unsafe fixes": UNSAFE_ONLY.encode(),
    "secrets": textwrap.dedent("""\
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                DB_PASSWORD: hunter2
                DATABASE_URL: postgresql://shop:s3cret@db.pod:5432/shop
                CACHE_URL: redis://:Zq10redis@cache:6379
                DEBUG: on
            - name: cache
              image: redis:7
              servicePorts: [6379]
        """).encode(),
    "errors": textwrap.dedent("""\
        application:
          name: shop
          pods:
            - name: web
              image: nginx
              path: /
              servicePorts: [80]
            - name: web
              image: postgres:16
              servicePorts: [5432]
        """).encode(),
    "clean": VALID.encode(),
    "not YAML": b"application: [unclosed\n  name: {\n",
    "not UTF-8": VALID.replace("shop", "sh\xf6p").encode("latin-1"),
    "a BOM and CRLF": b"\xef\xbb\xbf" + BROKEN.replace("\n", "\r\n").encode(),
    "empty": b"",
}

PLUGIN_MODULE = "cacheprobe_rules"
# Every version has the same size: an edit that also restores the file's time leaves
# nothing but its content to tell.
PLUGIN = '''import nexlint


@nexlint.rule(code="CPR001", name="cache-probe", summary="says which version of it runs")
def probe(doc, report):
    """Why: to show that the cache follows a plugin's code."""
    if {on}:
        report("/application/name", "probe version {version}")
'''

CONFIGS = {
    "select": [None, ["ALL"], ["NXL1", "NXL4", "CPR"], ["NXL0", "NXL2", "NXL5"]],
    "ignore": [None, ["NXL102"], ["NXL005", "NXL213"], ["NXL4"]],
    "severity": [None, {"NXL005": "error"}, {"NXL213": "error", "NXL502": "warning"}],
    "fail-on": [None, "warning", "info"],
    "per-file-ignores": [None, {"nexlayer.yaml": ["NXL102", "NXL4"]}],
    "plugins": [None, [PLUGIN_MODULE]],
}
MODES = [[], ["--diff"], ["--fix"], ["--fix", "--unsafe-fixes"], ["--diff", "--unsafe-fixes"]]
SELECTIONS = [[], ["--select", "NXL1,NXL2"], ["--ignore", "NXL102"], ["--ignore", "NXL2,NXL005"]]


def toml(value: Any) -> str:
    """A value in TOML; a dict at the top is the file."""
    if isinstance(value, list):
        return "[" + ", ".join(toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def toml_file(settings: dict[str, Any]) -> bytes:
    return "".join(f"{key} = {toml(value)}\n" for key, value in settings.items()).encode()


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, object]:
    """Every entry under ``folder`` (links as links, never followed) with its bytes."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and skip in path.parents:
            continue
        if path.is_symlink():
            found[str(path.relative_to(folder))] = ("link", os.readlink(path))
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
        else:
            found[str(path.relative_to(folder))] = "folder"
    return found


class CacheAgainstNoCache(RuleBasedStateMachine):
    """Two identical folders; every edit goes to both. Each command runs in A with the
    cache and in B with --no-cache: exit status, output, errors and files must agree."""

    def __init__(self, runs: Runs, folder: Path) -> None:
        super().__init__()
        self.runs = runs
        self.a, self.b, self.cache = (folder / name for name in ("A", "B", "cache"))
        for each in (self.a, self.b):
            each.mkdir(parents=True)

    @initialize()
    def start(self) -> None:
        # The plugin is on from the start, so runs that differ only by its code come early.
        self.write("nexlayer.yaml", POOL["safe fixes"])
        self.write("nexlint.toml", toml_file({"plugins": [PLUGIN_MODULE]}))
        self.write(f"{PLUGIN_MODULE}.py", PLUGIN.format(on=1, version="A").encode())

    def write(self, name: str, data: bytes, keep_time: bool = False) -> None:
        for folder in (self.a, self.b):
            path = folder / name
            times = os.stat(path) if keep_time else None
            path.write_bytes(data)
            if times is not None:
                os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))

    @rule(text=st.sampled_from(sorted(POOL)))
    def edit_the_file(self, text: str) -> None:
        self.write("nexlayer.yaml", POOL[text])

    @rule(settings=st.fixed_dictionaries({key: st.sampled_from(v) for key, v in CONFIGS.items()}))
    def edit_the_config(self, settings: dict[str, Any]) -> None:
        chosen = {key: value for key, value in settings.items() if value is not None}
        self.write("nexlint.toml", toml_file(chosen))

    @rule(on=st.sampled_from([0, 1]), version=st.sampled_from("ABC"))
    def edit_the_plugin_keeping_its_size_and_time(self, on: int, version: str) -> None:
        self.write(f"{PLUGIN_MODULE}.py", PLUGIN.format(on=on, version=version).encode(), True)

    @rule(
        mode=st.sampled_from(MODES),
        selection=st.sampled_from(SELECTIONS),
        output=st.sampled_from(FORMAT_NAMES),
        path=st.sampled_from(["nexlayer.yaml", "."]),
    )
    def run(self, mode: list[str], selection: list[str], output: str, path: str) -> None:
        args = ["check", *mode, *selection, "--format", output, path]
        cached = self.runs(self.a, args, clean_env(NEXLINT_CACHE_DIR=str(self.cache)))
        uncached = self.runs(self.b, [*args[:1], "--no-cache", *args[1:]], clean_env())
        assert self.shown(cached, self.a) == self.shown(uncached, self.b), args
        assert cached[0] == 0 or cached[1] or cached[2], "a failing run says why"
        assert snapshot(self.a) == snapshot(self.b), args

    @staticmethod
    def shown(answer: Answer, folder: Path) -> Answer:
        status, out, err = answer
        return status, out.replace(str(folder), "<folder>"), err.replace(str(folder), "<folder>")

    @invariant()
    def no_temporary_file_is_left(self) -> None:
        assert not [p for p in self.cache.rglob("*") if p.name.endswith(".tmp")]


def test_the_cache_never_changes_an_answer(tmp_path: Path) -> None:
    runs = Runs(tmp_path)
    examples = iter(range(1_000_000))
    try:
        run_state_machine_as_test(
            lambda: CacheAgainstNoCache(runs, tmp_path / f"example-{next(examples)}"),
            settings=settings(
                # a longer run: NEXLINT_FUZZ_EXAMPLES=400 python -m pytest tests/test_cache.py
                max_examples=int(os.environ.get("NEXLINT_FUZZ_EXAMPLES", "20")),
                stateful_step_count=25,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        runs.close()


# -- what the key holds --------------------------------------------------------------------------


def write_keeping_time(path: Path, text: str) -> None:
    """Rewrite a file and put its times back, as `cp -p`, rsync or a checkout may."""
    times = os.stat(path)
    assert len(text.encode()) == times.st_size  # the same size too
    path.write_text(text)
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_a_plugin_edit_that_keeps_size_and_time_is_seen(tmp_path: Path) -> None:
    """Plugin files are keyed by content: two edits within a millisecond, the second one
    putting the time back, each change the answer. The plugin is a package: an edit of a
    module it imports from its package counts too."""
    package = tmp_path / "probe_rules"
    package.mkdir()
    (package / "__init__.py").write_text(
        PLUGIN.format(on=1, version="{}").replace('"probe version {}"', "WORDS")
        + "\nfrom probe_rules._words import WORDS\n"
    )
    (package / "_words.py").write_text('WORDS = "probe version A"\n')
    (tmp_path / "nexlint.toml").write_text('plugins = ["probe_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    env = clean_env(NEXLINT_CACHE_DIR=str(tmp_path / "cache"))

    def probe() -> str:
        return nexlint_run(tmp_path, "check", "--format", "concise", "nexlayer.yaml", env=env)[1]

    assert probe() == "nexlayer.yaml:2:9: error: probe version A [CPR001]\n"
    write_keeping_time(package / "_words.py", 'WORDS = "probe version B"\n')
    assert probe() == "nexlayer.yaml:2:9: error: probe version B [CPR001]\n"
    write_keeping_time(package / "_words.py", 'WORDS = "probe version A"\n')
    assert probe() == "nexlayer.yaml:2:9: error: probe version A [CPR001]\n"
    init = (package / "__init__.py").read_text()
    write_keeping_time(package / "__init__.py", init.replace("    if 1:", "    if 0:"))
    assert probe() == ""


def test_a_plugin_whose_files_cannot_be_found_turns_the_cache_off(tmp_path: Path) -> None:
    """A plugin imported from a zip has no files to key on: nothing is cached, and an edit
    of it is seen."""
    archive = tmp_path / "rules.zip"

    def plugin(version: str) -> None:
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("zipped_rules.py", PLUGIN.format(on=1, version=version))

    plugin("A")
    (tmp_path / "nexlint.toml").write_text('plugins = ["zipped_rules"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    env = clean_env(NEXLINT_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(archive))
    args = ("check", "--format", "concise", "nexlayer.yaml")
    assert nexlint_run(tmp_path, *args, env=env)[1].endswith("probe version A [CPR001]\n")
    plugin("B")
    assert nexlint_run(tmp_path, *args, env=env)[1].endswith("probe version B [CPR001]\n")
    assert not (tmp_path / "cache").exists()


def test_standard_input_is_never_cached(tmp_path: Path) -> None:
    env = clean_env(NEXLINT_CACHE_DIR=str(tmp_path / "cache"))
    statuses = []
    for args in (["--diff"], ["--fix"], []):
        done = subprocess.run(
            [sys.executable, "-m", "nexlint", "check", *args, "--stdin-filename", "x.yaml", "-"],
            input=BROKEN,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        statuses.append(done.returncode)
    assert statuses == [1, 0, 1]  # --fix prints the fixed text: nothing left
    assert not (tmp_path / "cache").exists()


def test_per_file_ignores_are_matched_from_where_the_file_is(tmp_path: Path) -> None:
    """The same bytes under the same name in two folders of one project: per-file-ignores
    silence one and not the other, so the cache must tell them apart."""
    (tmp_path / "nexlint.toml").write_text('per-file-ignores = {"quiet/*" = ["NXL304"]}\n')
    text = VALID.replace("nginx:1.27", "nginx")
    for name in ("quiet", "loud"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "nexlayer.yaml").write_text(text)
    env = clean_env()  # the cache beside the config, shared by both folders
    assert nexlint_run(tmp_path / "quiet", "check", "nexlayer.yaml", env=env)[0] == 0
    status, out, _ = nexlint_run(tmp_path / "loud", "check", "nexlayer.yaml", env=env)
    assert (status, "NXL304" in out) == (1, True)
    assert any((tmp_path / ".nexlint_cache").rglob("*.json"))


def poison(cache: Path) -> None:
    """Rewrite every cached entry as a clean bill: read, it would pass a broken file."""
    files = list(cache.rglob("*.json"))
    assert files
    for path in files:
        entries = json.loads(path.read_text())
        clean = {"diagnostics": [], "masks": []}
        path.write_text(json.dumps(dict.fromkeys(entries, clean)))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("NEXLINT_PARSER", raising=False)
    return folder


def same_size_schema_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = Path(nexlint.__file__).parent.parent / "schemas" / "nexlayer.schema.json"
    text = schema.read_text()
    write_keeping_time(tmp_path / "schema.json", text.replace(": ", ":\n", 1))


def parser_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEXLINT_PARSER", "pure")


def distribution_upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "ruamel.yaml-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))


@pytest.mark.parametrize(
    "change",
    [same_size_schema_edit, parser_chosen, distribution_upgraded],
    ids=lambda f: f.__name__,
)
def test_what_can_change_a_finding_is_in_the_key(
    change: Callable[[Path, pytest.MonkeyPatch], None],
    cache: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A poisoned cache answers until one of these changes; then it is not asked."""
    schema = Path(nexlint.__file__).parent.parent / "schemas" / "nexlayer.schema.json"
    (tmp_path / "schema.json").write_bytes(schema.read_bytes())
    config = nexlint.Config(schema=str(tmp_path / "schema.json"))
    target = tmp_path / "nexlayer.yaml"
    target.write_text(BROKEN)
    [truth] = lint_files([str(target)], config)
    assert [d.code for d in truth.diagnostics] == ["NXL102"]
    poison(cache)
    assert lint_files([str(target)], config)[0].diagnostics == []  # the poison works
    change(tmp_path, monkeypatch)
    assert lint_files([str(target)], config) == [truth]


def test_nexlints_own_edits_are_seen_however_quick(tmp_path: Path) -> None:
    """nexlint's own files are keyed by stat -- an edit that puts the time back still
    changes the ctime -- and by content while a second edit could leave the stat as it was
    (timestamps are coarse): two same-size edits a moment apart give two keys."""
    source = tmp_path / "rule.py"
    source.write_text("CODE = 'one'\n")
    before = cache_module._stamps([str(source)])
    write_keeping_time(source, "CODE = 'two'\n")
    assert cache_module._stamps([str(source)]) != before


# -- the folder is nexlint's alone -------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a broken file, and beside it `outside`: a poisoned cache for that
    file (read, it would pass the file) that nothing may read or write through a link."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "nexlayer.yaml").write_text(BROKEN)
    outside = tmp_path / "outside"
    env = clean_env(NEXLINT_CACHE_DIR=str(outside))
    assert nexlint_run(folder, "check", "nexlayer.yaml", env=env)[0] == 1
    poison(outside)
    assert nexlint_run(folder, "check", "nexlayer.yaml", env=env)[0] == 0  # the poison works
    return folder


def entry_file(outside: Path) -> Path:
    [found] = outside.rglob("*.json")
    return found


def cache_is_a_link_to_the_poison(project: Path) -> dict[str, str]:
    (project / ".nexlint_cache").symlink_to(project.parent / "outside")
    return clean_env()


def cache_is_a_link_to_the_parent(project: Path) -> dict[str, str]:
    (project / ".nexlint_cache").symlink_to("..")  # committed as a relative link
    return clean_env()


def version_folder_is_a_link(project: Path) -> dict[str, str]:
    (project / ".nexlint_cache").mkdir()
    (project / ".nexlint_cache" / nexlint.__version__).symlink_to(
        entry_file(project.parent / "outside").parent
    )
    return clean_env()


def cache_file_is_a_link(project: Path) -> dict[str, str]:
    found = entry_file(project.parent / "outside")
    version = project / ".nexlint_cache" / nexlint.__version__
    version.mkdir(parents=True)
    (version / found.name).symlink_to(found)
    return clean_env()


def cache_dir_variable_is_a_link(project: Path) -> dict[str, str]:
    (project.parent / "link").symlink_to(project.parent / "outside")
    return clean_env(NEXLINT_CACHE_DIR=str(project.parent / "link"))


@pytest.mark.parametrize(
    "setup",
    [
        cache_is_a_link_to_the_poison,
        cache_is_a_link_to_the_parent,
        version_folder_is_a_link,
        cache_file_is_a_link,
        cache_dir_variable_is_a_link,
    ],
    ids=lambda f: f.__name__,
)
def test_the_cache_is_never_read_or_written_through_a_link(
    project: Path, setup: Callable[[Path], dict[str, str]]
) -> None:
    env = setup(project)
    # What lies outside the cache's own folder (links as links) stays exactly as it was.
    own = project / ".nexlint_cache"
    skip = own if own.is_dir() and not own.is_symlink() else None
    before = snapshot(project.parent, skip)
    truth = nexlint_run(project, "check", "--no-cache", "nexlayer.yaml", env=env)
    assert truth[0] == 1
    for _ in range(2):  # the second run would read what the first one wrote
        assert nexlint_run(project, "check", "nexlayer.yaml", env=env) == truth
        nexlint_run(project, "check", "--diff", "nexlayer.yaml", env=env)
    assert snapshot(project.parent, skip) == before


def someones_files(folder: Path) -> None:
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")


def a_poisoned_cache_without_our_mark(folder: Path) -> None:
    (folder.parent / "outside").rename(folder)
    for mark in (cache_module.TAG_NAME, ".gitignore"):
        (folder / mark).unlink()


def another_tools_tag(folder: Path) -> None:
    folder.mkdir()
    (folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")


def a_file(folder: Path) -> None:
    folder.write_text("not a folder\n")


@pytest.mark.parametrize(
    "setup",
    [someones_files, a_poisoned_cache_without_our_mark, another_tools_tag, a_file],
    ids=lambda f: f.__name__,
)
def test_a_cache_dir_that_holds_others_files_is_left_alone(
    project: Path, setup: Callable[[Path], None]
) -> None:
    folder = project.parent / "theirs"
    setup(folder)
    env = clean_env(NEXLINT_CACHE_DIR=str(folder))
    before = snapshot(project.parent)
    truth = nexlint_run(project, "check", "--no-cache", "nexlayer.yaml", env=env)
    for _ in range(2):
        assert nexlint_run(project, "check", "nexlayer.yaml", env=env) == truth
    assert snapshot(project.parent) == before


def test_an_empty_or_missing_cache_dir_becomes_nexlints(tmp_path: Path) -> None:
    (tmp_path / "nexlayer.yaml").write_text(BROKEN)
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing" / "cache"):
        env = clean_env(NEXLINT_CACHE_DIR=str(folder))
        assert nexlint_run(tmp_path, "check", "nexlayer.yaml", env=env)[0] == 1
        assert (folder / cache_module.TAG_NAME).read_text() == cache_module.TAG
        assert (folder / ".gitignore").read_text().endswith("*\n")
        poison(folder)  # and it is read: a run answers from it
        assert nexlint_run(tmp_path, "check", "nexlayer.yaml", env=env)[0] == 0


# -- a full disk, and a broken or hostile cache file ------------------------------------------


class FullDisk:
    """The os module as nexlint's cache sees it, with one call failing."""

    def __init__(self, call: str, error: BaseException) -> None:
        self.call, self.error = call, error

    def __getattr__(self, name: str) -> Any:
        if name == self.call:

            def fail(*args: Any, **kwargs: Any) -> Any:
                raise self.error

            return fail
        return getattr(os, name)


@pytest.mark.parametrize("call", ["open", "write", "replace", "mkdir", "makedirs", "listdir"])
def test_a_full_disk_leaves_no_file_behind_and_no_error(
    call: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, target = tmp_path / "first.yaml", tmp_path / "nexlayer.yaml"
    first.write_text(VALID)
    target.write_text(BROKEN)
    lint_files([str(first)], nexlint.Config())  # a cache to keep whole
    kept = json.loads(entry_file(cache).read_text())
    [truth] = lint_files([str(target)], nexlint.Config(), use_cache=False)
    for folder in (cache, tmp_path / "new-cache"):  # writing to it, or making it
        monkeypatch.setenv("NEXLINT_CACHE_DIR", str(folder))
        with monkeypatch.context() as patched:
            no_space = OSError(errno.ENOSPC, "No space left on device")
            patched.setattr(cache_module, "os", FullDisk(call, no_space))
            assert lint_files([str(target)], nexlint.Config()) == [truth]
    now = json.loads(entry_file(cache).read_text())
    assert now == kept or now.items() > kept.items()  # as it was, or one entry more
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_an_interrupted_write_leaves_no_file_behind(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(BROKEN)
    with monkeypatch.context() as patched:
        patched.setattr(cache_module, "os", FullDisk("replace", KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            lint_files([str(target)], nexlint.Config())
    assert [p.name for p in (cache / nexlint.__version__).iterdir()] == []


class Cached(NamedTuple):
    target: Path  # a broken file
    truth: list[LintResult]  # what a lint of it says
    path: Path  # the cache file
    entries: dict[str, Any]  # what the cache file held


@pytest.fixture
def cached(cache: Path, tmp_path: Path) -> Cached:
    target = tmp_path / "nexlayer.yaml"
    target.write_text(BROKEN + "      vars:\n        DEBUG: yes\n        DB_PASSWORD: hunter2\n")
    truth = lint_files([str(target)], nexlint.Config(), use_cache=False)
    lint_files([str(target)], nexlint.Config())
    path = entry_file(cache)
    return Cached(target, truth, path, json.loads(path.read_text()))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_a_malformed_cache_file_is_a_miss(cached: Cached, content: bytes) -> None:
    cached.path.write_bytes(content)
    assert lint_files([str(cached.target)], nexlint.Config()) == cached.truth


def nested(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)  # a RecursionError to json


def huge(path: Path) -> None:
    """Past the size cap: not read, though it holds the poison."""
    entries = json.loads(path.read_text())
    clean = {"diagnostics": [], "masks": []}
    padding = "x" * cache_module.MAX_BYTES
    path.write_text(json.dumps({**dict.fromkeys(entries, clean), "padding": padding}))


def a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def a_fifo(path: Path) -> None:
    """Opening it for reading would wait for a writer forever."""
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("breakage", [nested, huge, a_folder, a_fifo], ids=lambda f: f.__name__)
def test_a_hostile_cache_file_is_a_miss(cached: Cached, breakage: Callable[[Path], None]) -> None:
    if breakage is a_fifo and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    breakage(cached.path)
    assert lint_files([str(cached.target)], nexlint.Config()) == cached.truth


def paths(value: Any) -> list[tuple[Any, ...]]:
    """Every place in a JSON value: () for the value itself, then each key or index down."""
    found: list[tuple[Any, ...]] = [()]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found.extend((key, *rest) for rest in paths(item))
    return found


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_malformed_cache_entry_is_a_miss_never_a_crash(
    cached: Cached, data: st.DataObject
) -> None:
    [(key, entry)] = cached.entries.items()
    changed = replaced(entry, data.draw(st.sampled_from(paths(entry))), data.draw(JSON))
    cached.path.write_text(json.dumps({key: changed}))
    [result] = lint_files([str(cached.target)], nexlint.Config())
    # An entry is refused (the file is linted again), or it passed every check: findings
    # of this file, at places its text has. (Well-formed but false, it cannot be told.)
    assert result.text == cached.truth[0].text
    lines = LineIndex(result.text)
    for d in result.diagnostics if result != cached.truth[0] else ():
        assert d.file == str(cached.target)
        for at in ((d.line, d.column), (d.end_line, d.end_column)):
            assert 1 <= at[0] <= lines.line_count
            assert lines.position(lines.offset(*at)) == at
