"""Plugin rules run in a process of their own, the plugin host: a plugin that hangs, ends its
process, writes to descriptor 1 or raises what cannot be printed fails the run (exit 2,
naming it) or becomes one diagnostic, never a pass and never a broken report; no plugin code
runs in nexlint's own process, whatever the plugin's module is called."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nexlint
from nexlint.engine import describe
from nexlint.registry import PluginFailure

from .helpers import VALID, alive

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the plugin host needs POSIX")

# Each case of a misbehaving rule, chosen by the EVIL environment variable; the rule writes
# its process id to PIDS first (when set), so that a test can see that process is gone.
EVIL = textwrap.dedent('''
    import os
    import signal
    import time

    import nexlint

    MODE = os.environ.get("EVIL", "")
    if MODE == "write-at-import":
        os.write(1, b"hello from the import\\n")
    if MODE == "exit-at-import":
        os._exit(0)
    if MODE == "sleep-at-import":
        time.sleep(3600)


    class Unprintable(Exception):
        def __str__(self):
            raise RuntimeError("no str")

        def __repr__(self):
            raise RuntimeError("no repr")


    if MODE == "unprintable-at-import":
        raise Unprintable()


    class FarAway(nexlint.Value):
        __slots__ = ()

        @property
        def location(self):
            return nexlint.Location(-5, 10**9, "/application")


    @nexlint.rule(code="EVIL001", name="evil", summary="misbehaves as it is told")
    def evil(doc, report):
        """Why: to show that nothing a plugin does escapes."""
        if os.environ.get("PIDS"):
            with open(os.environ["PIDS"], "a") as pids:
                pids.write(f"{os.getpid()}\\n")
        if MODE == "sleep":
            time.sleep(3600)
        if MODE == "spin":
            while True:
                pass
        if MODE == "exit":
            os._exit(0)
        if MODE == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        if MODE == "write":
            os.write(1, b'{"not": "the report"}\\n')
        if MODE == "unprintable":
            raise Unprintable()
        if MODE == "interrupt":
            raise KeyboardInterrupt
        if MODE == "far":
            value = next(doc.pods()).get("name")
            value.__class__ = FarAway  # a value of its own making, said to be anywhere
            report(value, "far away")
        report("/application/name", "evil ran")


    @nexlint.rule(code="EVIL002", name="honest", severity="warning", summary="always reports")
    def honest(doc, report):
        """Why: to show the other rules still run."""
        report("/application/pods/0/name", "honest ran")
''')


def run(
    cwd: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nexlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    (tmp_path / "evil_rules.py").write_text(EVIL)
    (tmp_path / "nexlint.toml").write_text('plugins = ["evil_rules"]\nplugin-timeout = 1\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    return tmp_path


@pytest.mark.parametrize("mode", ["sleep", "spin"])
def test_a_hanging_plugin_fails_the_run_within_its_budget(evil: Path, mode: str) -> None:
    pids = evil / "pids"
    # The budget is 1 s; the run's own start and the host's leave a wide margin below 30 s.
    result = run(
        evil, "check", "--format", "json", env={"EVIL": mode, "PIDS": str(pids)}, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr == (
        "nexlint: error: plugin rule EVIL001 (evil_rules) did not finish checking "
        "nexlayer.yaml within 1 s\n"
    )
    assert result.stdout == ""  # no report: nothing can be said of the file
    [pid] = pids.read_text().split()
    assert not alive(int(pid))  # the hung host was killed


@pytest.mark.parametrize(
    ("mode", "how"), [("exit", "exit status 0"), ("sigkill", "killed by SIGKILL")]
)
def test_a_plugin_that_ends_its_process_fails_the_run(evil: Path, mode: str, how: str) -> None:
    """os._exit(0) used to end nexlint itself with status 0: a failing file passed."""
    (evil / "nexlayer.yaml").write_text(VALID.replace("nginx:1.27", "nginx:latest"))
    result = run(evil, "check", "--format", "concise", env={"EVIL": mode})
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "nexlint: error: plugin rule EVIL001 (evil_rules) ended the plugin process while "
        f"checking nexlayer.yaml ({how})\n"
    )


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        (
            "exit-at-import",
            'plugin "evil_rules" ended the plugin process while it was loaded (exit status 0)',
        ),
        ("sleep-at-import", 'plugin "evil_rules" did not finish loading within 1 s'),
        (
            "unprintable-at-import",
            'plugin "evil_rules" could not be loaded: Unprintable (its message cannot be shown)',
        ),
    ],
)
def test_a_plugin_that_fails_as_it_is_loaded_fails_the_run(
    evil: Path, mode: str, error: str
) -> None:
    for command in (["check"], ["rules"]):
        result = run(evil, *command, env={"EVIL": mode}, timeout=30)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"nexlint: error: {error}\n"


@pytest.mark.parametrize(
    ("mode", "problem"),
    [
        ("write", "it wrote 22 characters to standard output while checking"),
        ("write-at-import", "it wrote 22 characters to standard output when it was loaded"),
    ],
)
def test_writes_to_descriptor_one_are_reported_not_printed(
    evil: Path, mode: str, problem: str
) -> None:
    result = run(evil, "check", "--format", "json", env={"EVIL": mode})
    assert result.returncode == 1, result.stderr
    found = {d["code"]: d["message"] for d in json.loads(result.stdout)}  # only the report
    assert found["EVIL001"] == (
        f"rule EVIL001 (evil) from evil_rules failed: {problem}, where nexlint writes its "
        "report; they were dropped"
    )
    # what the module wrote as it was loaded is held against each of its rules
    honest = (
        "honest ran"
        if mode == "write"
        else found["EVIL001"].replace("EVIL001 (evil)", "EVIL002 (honest)")
    )
    assert found["EVIL002"] == honest


def test_an_exception_that_cannot_be_printed_is_one_diagnostic(evil: Path) -> None:
    result = run(evil, "check", "--format", "concise", env={"EVIL": "unprintable"})
    assert result.stdout == (
        "nexlayer.yaml:1:1: error: rule EVIL001 (evil) from evil_rules failed: Unprintable "
        "(its message cannot be shown) [EVIL001]\n"
        "nexlayer.yaml:4:13: warning: honest ran [EVIL002]\n"
    )
    assert (result.returncode, result.stderr) == (1, "")  # from the findings: an error
    # as a warning, it does not fail the run: the exit status is the findings', not a crash's
    (evil / "nexlint.toml").write_text(
        'plugins = ["evil_rules"]\nseverity = {EVIL001 = "warning"}\n'
    )
    assert run(evil, "check", env={"EVIL": "unprintable"}).returncode == 0


def test_a_finding_that_cannot_be_sent_is_one_diagnostic(evil: Path) -> None:
    result = run(evil, "check", "--format", "concise", env={"EVIL": "far"})
    assert result.stdout == (
        "nexlayer.yaml:1:1: error: rule EVIL001 (evil) from evil_rules failed: it reported what "
        f"cannot be sent to nexlint: ValueError: a range that is not inside the text (0 to "
        f"{len(VALID)}) [EVIL001]\n"
        "nexlayer.yaml:4:13: warning: honest ran [EVIL002]\n"
    )
    assert result.returncode == 1


def test_a_keyboard_interrupt_raised_by_a_rule_is_its_own_failure(evil: Path) -> None:
    result = run(
        evil, "check", "--format", "concise", "--select", "EVIL001", env={"EVIL": "interrupt"}
    )
    assert result.stdout == (
        "nexlayer.yaml:1:1: error: rule EVIL001 (evil) from evil_rules failed: "
        "KeyboardInterrupt [EVIL001]\n"
    )
    assert result.returncode == 1


NAMED_LIKE_NEXLINT = textwrap.dedent('''
    import os

    import nexlint

    with open(os.environ["PIDS"], "a") as pids:
        pids.write(f"{os.getpid()}\\n")


    @nexlint.rule(code="ACME001", name="where-am-i", summary="says which process runs it")
    def where_am_i(doc, report):
        """Why: a module named nexlint_* is a plugin like any other."""
        report("/application/name", f"pid {os.getpid()} parent {os.getppid()}")
''')


def test_a_plugin_named_like_nexlint_is_still_a_plugin(tmp_path: Path) -> None:
    """A module named `nexlint_acme` was trusted as nexlint's own (its origin began with
    "nexlint"). It is a plugin: imported and run in the host, never in nexlint's process;
    linked to no nexlint documentation."""
    (tmp_path / "nexlint_acme.py").write_text(NAMED_LIKE_NEXLINT)
    (tmp_path / "nexlint.toml").write_text('plugins = ["nexlint_acme"]\n')
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    pids = tmp_path / "pids"
    env = {**os.environ, "PIDS": str(pids)}
    nexlint_pids = []
    outputs = []
    for command in (
        ["check", "--format", "json", "--no-cache"],
        ["check", "--format", "sarif", "--no-cache"],
        ["rules", "--format", "json"],
        ["rule", "ACME001"],
    ):
        process = subprocess.Popen(
            [sys.executable, "-m", "nexlint", *command],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        out, err = process.communicate(timeout=60)
        assert process.returncode in (0, 1), err
        nexlint_pids.append(process.pid)
        outputs.append(out)
    imported_in = {int(pid) for pid in pids.read_text().split()}
    assert len(imported_in) == 4  # a host each time ...
    assert not imported_in & set(nexlint_pids)  # ... and never nexlint itself
    [finding] = json.loads(outputs[0])
    pid, parent = (int(n) for n in finding["message"].split()[1::2])
    assert parent == nexlint_pids[0] and pid != parent
    assert finding["url"] == ""  # not a link to nexlint's documentation of ACME001
    sarif = json.loads(outputs[1])["runs"][0]["tool"]["driver"]["rules"]
    assert "helpUri" not in next(r for r in sarif if r["id"] == "ACME001")
    listed = next(r for r in json.loads(outputs[2]) if r["code"] == "ACME001")
    assert listed["origin"] == "nexlint_acme"
    assert outputs[3].startswith("# ACME001 where-am-i (error)")


def test_no_plugin_host_starts_without_plugins(tmp_path: Path) -> None:
    """Nothing configured or installed: no host, and not even its module, is loaded."""
    (tmp_path / "nexlayer.yaml").write_text(VALID)
    script = (
        "import sys\nfrom nexlint.cli import main\n"
        "try:\n    main(['check', '--no-cache', 'nexlayer.yaml'])\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, 'nexlint.plugin_host.parent' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.stderr.split() == ["0", "False"]


def test_plugin_timeout_must_be_a_number_of_seconds(evil: Path) -> None:
    for value in ('"10"', "0", "-1", "true", "1e9"):
        (evil / "nexlint.toml").write_text(f'plugins = ["evil_rules"]\nplugin-timeout = {value}\n')
        result = run(evil, "check")
        assert result.returncode == 2
        assert result.stderr == (
            f'nexlint: error: {evil / "nexlint.toml"}: key "plugin-timeout" in the file: must be '
            "a number of seconds, above 0 and at most 86400\n"
        )


def test_the_library_raises_plugin_failure_and_recovers(
    evil: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the language server sees: one document's hung plugin is an exception it can
    catch; the next document is checked by a fresh host."""
    config = nexlint.load_config(evil / "nexlint.toml")
    monkeypatch.setenv("EVIL", "sleep")
    with pytest.raises(PluginFailure, match=r"plugin rule EVIL001 \(evil_rules\) did not finish"):
        nexlint.lint(VALID, "nexlayer.yaml", config)
    monkeypatch.setenv("EVIL", "")
    assert {d.code for d in nexlint.lint(VALID, "nexlayer.yaml", config)} == {"EVIL001", "EVIL002"}


class _Meta(type):
    @property
    def __name__(cls) -> str:
        raise RuntimeError("no name")


class _NoStr(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no str")


class _NotAString(Exception, metaclass=_Meta):
    def __str__(self) -> str:
        return 42  # type: ignore[return-value]

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def test_an_exception_is_described_whatever_it_does() -> None:
    assert describe(KeyError("oops")) == "KeyError: 'oops'"
    assert describe(ValueError("two\n  lines")) == "ValueError: two lines"
    assert describe(RuntimeError()) == "RuntimeError"
    assert describe(_NoStr("x")) == "_NoStr: _NoStr('x')"  # its repr, then
    assert describe(_NotAString()) == "an exception (its message cannot be shown)"
