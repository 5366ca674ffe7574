"""Trust under attack, tried from outside as an attacker or a careless user would: a config
file someone else left above the working folder, a committed symbolic link, a report path
that is a link, an edit made while --fix runs, a file --fix may not give away."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import REPO, VALID

NOBODY = 65534  # the unprivileged user and group of most Unix systems
PLUGIN = textwrap.dedent('''
    import pathlib

    import nexlint

    pathlib.Path(__file__).with_name("PLUGIN-RAN").write_text("code ran")

    @nexlint.rule(code="EVIL001", name="evil", summary="runs code as whoever imports it")
    def evil(doc, report):
        """Why: it ran. Bad: importing it. Good: not importing it."""
''')
FIXABLE = VALID + "      vars:\n        DEBUG: yes\n"  # NXL005, a safe fix: quote it
FIXED = VALID + '      vars:\n        DEBUG: "yes"\n'
MARKER = "s3cr3t-marker-7f1d"  # must appear in no output
REFUSED = "; nexlint does not read it, as its plugins would run code as you"

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root can give a file to another user (os.chown) or run nexlint as one",
)


def nexlint(
    cwd: Path, *args: str, as_nobody: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI, as a user runs it (as `nobody` with ``as_nobody``, which needs root)."""
    python, more = nobody_python() if as_nobody else (sys.executable, {})
    who = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if as_nobody else {}
    return subprocess.run(
        [python, "-m", "nexlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **more, **(env or {})},
        **who,  # type: ignore[call-overload]
    )


def nobody_python() -> tuple[str, dict[str, str]]:
    """A Python of this version that `nobody` may run, seeing this one's packages: this one
    when its folders are open to others, else the system's (pyenv keeps it under /root)."""
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.realpath(sys.executable), shutil.which(name, path="/usr/bin")):
        if candidate and _open_to_others(Path(candidate)):
            packages = [p for p in sys.path if p.endswith("site-packages")]
            return candidate, {"PYTHONPATH": os.pathsep.join([str(REPO), *packages])}
    pytest.skip(f"no {name} that the user nobody may run (its folders are closed to others)")


def _open_to_others(path: Path) -> bool:
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in (path, *path.parents))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout (it holds .git) inside a folder that is not part of it; the result cache
    lives elsewhere."""
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the checkout that links in it lead to."""
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


def plant(folder: Path, name: str = "nexlint.toml") -> Path:
    """A config whose plugin leaves PLUGIN-RAN beside it when it is imported."""
    (folder / "evil.py").write_text(PLUGIN)
    config = folder / name
    config.write_text('plugins = ["evil"]\n')
    return config


# -- 4. configuration is trusted only where it belongs --------------------------------------


@pytest.mark.parametrize("marker", ["folder", "file"])
def test_a_config_above_the_repository_root_is_not_read(
    tmp_path: Path, repo: Path, marker: str
) -> None:
    """`.git` is a folder in a clone, a file in a worktree or a submodule; either is the
    root. Without it, the walk goes on up, and the same config is read (and runs)."""
    plant(tmp_path)
    shutil.rmtree(repo / ".git")
    (repo / "nexlayer.yaml").write_text(VALID)
    found = nexlint(repo, "check", "--show-settings")
    assert found.stdout.startswith(f"# configuration file: {tmp_path / 'nexlint.toml'}\n")
    assert (tmp_path / "PLUGIN-RAN").exists()  # the walk reached it: the test can fail
    (tmp_path / "PLUGIN-RAN").unlink()

    if marker == "folder":
        (repo / ".git").mkdir()
    else:
        (repo / ".git").write_text("gitdir: ../main/.git/worktrees/repo\n")
    shown = nexlint(repo, "check", "--show-settings")
    assert shown.stdout.startswith("# configuration file: none found; the defaults\n")
    checked = nexlint(repo, "check")
    assert (checked.returncode, checked.stdout) == (0, "No problems in 1 file.\n")
    listed = nexlint(repo, "rules")
    assert listed.returncode == 0 and "EVIL001" not in listed.stdout
    assert not (tmp_path / "PLUGIN-RAN").exists()


COMMANDS = [
    ("check",),
    ("check", "--show-settings"),
    ("rules",),
    ("rule", "NXL304"),
    ("check", "--config", "{config}"),
]


@needs_root
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_config_owned_by_another_user_is_refused(
    tmp_path: Path, repo: Path, command: tuple[str, ...]
) -> None:
    """The shared-/tmp attack: someone else's nexlint.toml on the way up would run their
    code as you (as root here)."""
    config = plant(repo)
    (repo / "nexlayer.yaml").write_text(VALID)
    os.chown(config, NOBODY, NOBODY)
    args = [part.format(config=config) for part in command]
    result = nexlint(repo if "--config" not in args else tmp_path, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"nexlint: error: {config} is owned by another user (uid {NOBODY}), not by you or "
        f"root{REFUSED} (move it, or use --no-config)\n"
    )
    assert not (repo / "PLUGIN-RAN").exists()
    assert nexlint(repo, "check", "--no-config").returncode == 0


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_config_anyone_may_write_is_refused(
    tmp_path: Path, repo: Path, command: tuple[str, ...]
) -> None:
    config = plant(repo)
    (repo / "nexlayer.yaml").write_text(VALID)
    os.chmod(config, 0o646)
    args = [part.format(config=config) for part in command]
    result = nexlint(repo if "--config" not in args else tmp_path, *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"nexlint: error: {config} is writable by every user (mode 0646){REFUSED} "
        "(chmod o-w it, or use --no-config)\n"
    )
    assert not (repo / "PLUGIN-RAN").exists()


def test_a_config_writable_by_ones_own_group_is_read(repo: Path) -> None:
    """umask 002 makes every file group-writable; with the user's own group that is
    harmless, and refusing it would refuse most configs those users write."""
    config = plant(repo)
    os.chmod(config, 0o664)
    assert config.stat().st_gid == os.getegid()
    result = nexlint(repo, "rules")
    assert result.returncode == 0, result.stderr
    assert "EVIL001" in result.stdout
    assert (repo / "PLUGIN-RAN").exists()


@needs_root
def test_a_config_writable_by_another_group_is_refused(repo: Path) -> None:
    """Every member of that group could put plugins in it."""
    config = plant(repo)
    os.chown(config, 0, NOBODY)
    os.chmod(config, 0o664)
    result = nexlint(repo, "rules")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"nexlint: error: {config} is writable by group ")
    assert result.stderr.endswith(
        f"(gid {NOBODY}), not your own group (mode 0664){REFUSED} "
        "(chmod g-w it, or use --no-config)\n"
    )
    assert not (repo / "PLUGIN-RAN").exists()


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder `nobody` may enter (tmp_path is root's own, mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="nexlint-trust-"))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@needs_root
def test_a_config_root_owns_is_read_by_another_user(shared: Path) -> None:
    """'or root': a config installed by the administrator is trusted by everyone."""
    (shared / ".git").mkdir()
    config = shared / "nexlint.toml"
    config.write_text('ignore = ["NXL304"]\n')
    (shared / "nexlayer.yaml").write_text(VALID.replace("nginx:1.27", "nginx"))
    assert config.stat().st_uid == 0
    shown = nexlint(shared, "check", "--show-settings", as_nobody=True)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"# configuration file: {config}\n")
    checked = nexlint(shared, "check", "--no-cache", as_nobody=True)
    assert (checked.returncode, checked.stdout) == (0, "No problems in 1 file.\n")
    os.chown(config, 1, 1)  # neither nobody nor root: refused
    refused = nexlint(shared, "check", "--no-cache", as_nobody=True)
    assert refused.returncode == 2
    assert "is owned by another user (uid 1), not by you or root" in refused.stderr


# -- 5. nothing outside the tree ---------------------------------------------------------------


def test_a_committed_link_to_the_environment_is_not_read(repo: Path) -> None:
    """In CI, /proc/self/environ holds the job's secrets, and a code frame would print them
    into the job's log."""
    if not Path("/proc/self/environ").exists():
        pytest.skip("this system has no /proc/self/environ (the outside-file case still runs)")
    (repo / "nexlayer.yaml").symlink_to("/proc/self/environ")
    env = {"DEPLOY_TOKEN": MARKER}
    for args in (("check", "-v", "."), ("check", "--format", "json"), ("check", "--fix", ".")):
        result = nexlint(repo, *args, env=env)
        assert MARKER not in result.stdout + result.stderr, args
        assert result.returncode == 0, args
    verbose = nexlint(repo, "check", "-v", ".", env=env)
    assert (
        "nexlint: skipped nexlayer.yaml: a symbolic link (links met in folders are not "
        "followed; name it to lint it)\n" in verbose.stderr
    )


def test_a_committed_link_to_a_file_outside_is_neither_read_nor_fixed(
    repo: Path, outside: Path
) -> None:
    secret = outside / "nexlayer.yaml"
    secret.write_text(f"SECRET={MARKER}\n")
    (repo / "app").mkdir()
    (repo / "app" / "nexlayer.yaml").symlink_to(secret)
    (repo / "nexlayer.yaml").write_text(VALID)
    checked = nexlint(repo, "check", "--format", "concise", ".")
    assert (checked.returncode, checked.stdout) == (0, "")
    assert MARKER not in checked.stderr

    secret.write_text(FIXABLE)
    fixed = nexlint(repo, "check", "--fix", ".")
    assert fixed.returncode == 0, fixed.stderr
    assert secret.read_text() == FIXABLE


def test_a_linked_file_named_on_the_command_line_is_linted_but_not_fixed(
    repo: Path, outside: Path
) -> None:
    target = outside / "nexlayer.yaml"
    target.write_text(FIXABLE)
    (repo / "nexlayer.yaml").symlink_to(target)
    result = nexlint(repo, "check", "-v", "--fix", "--format", "concise", "nexlayer.yaml")
    assert result.returncode == 0
    assert result.stdout.startswith("nexlayer.yaml:9:16: warning: ")
    assert result.stdout.endswith("[NXL005]\n") and result.stdout.count("\n") == 1
    assert result.stderr.splitlines() == [
        f"nexlint: following nexlayer.yaml: a symbolic link to {target}, named on the command line",
        "nexlint: checking nexlayer.yaml",
        "nexlint: warning: not fixed nexlayer.yaml: a symbolic link; --fix does not write "
        "through links (name the file it leads to)",
    ]
    assert target.read_text() == FIXABLE
    assert (repo / "nexlayer.yaml").is_symlink()


def test_a_linked_folder_is_walked_only_when_named(repo: Path, outside: Path) -> None:
    (outside / "nexlayer.yaml").write_text(VALID.replace("name: shop", "name: Shop"))
    (repo / "sub").symlink_to(outside, target_is_directory=True)
    (repo / "nexlayer.yaml").write_text(VALID)
    walked = nexlint(repo, "check", "-v", "--format", "concise")
    assert (walked.returncode, walked.stdout) == (0, "")
    assert walked.stderr.splitlines() == [
        "nexlint: skipped .git: a tool, build or environment folder",
        "nexlint: skipped sub: a symbolic link (links met in folders are not followed; name "
        "it to lint it)",
        "nexlint: checking nexlayer.yaml",
    ]
    named = nexlint(repo, "check", "--format", "concise", "sub")
    assert named.returncode == 1
    assert named.stdout.startswith("sub/nexlayer.yaml:2:9: error: ")


@pytest.mark.parametrize(
    "option",
    [
        ("-o", "report.txt"),
        ("--report", "sarif=report.txt"),
        ("--output-file", "reports/report.txt"),
        ("--report", "json=reports/report.txt"),
    ],
    ids=" ".join,
)
def test_a_report_is_never_written_through_a_link(
    repo: Path, outside: Path, option: tuple[str, str]
) -> None:
    """A committed `report.txt -> ~/.bashrc` (or a linked `reports` folder) is refused
    before anything is written: no report, and no fix either."""
    victim = outside / "report.txt"
    victim.write_text("precious\n")
    (repo / "report.txt").symlink_to(victim)
    (repo / "reports").symlink_to(outside, target_is_directory=True)
    (repo / "nexlayer.yaml").write_text(FIXABLE)
    path = option[1].partition("=")[2] or option[1]
    result = nexlint(repo, "check", "--fix", "--report", "json=good.json", *option)
    assert (result.returncode, result.stdout) == (2, "")
    where = path if path == "report.txt" else f"{path}: its folder reports"
    assert result.stderr == (
        f"nexlint: error: {where} is a symbolic link; nexlint does not write a report through "
        "a link (remove the link, or name another file)\n"
    )
    assert victim.read_text() == "precious\n"
    assert not (repo / "good.json").exists()
    assert (repo / "nexlayer.yaml").read_text() == FIXABLE


def test_a_report_in_an_absolute_folder_outside_the_checkout_may_pass_a_link(
    repo: Path, outside: Path
) -> None:
    """The folders above the working folder are the user's (a linked /tmp, a linked home):
    only the file itself must not be a link."""
    (outside.parent / "linked").symlink_to(outside, target_is_directory=True)
    (repo / "nexlayer.yaml").write_text(VALID)
    report = outside.parent / "linked" / "report.json"
    result = nexlint(repo, "check", "--format", "json", "-o", str(report))
    assert result.returncode == 0, result.stderr
    assert json.loads((outside / "report.json").read_text()) == []


# -- 6. --fix loses nothing ---------------------------------------------------------------------

EDITOR = textwrap.dedent('''
    import os

    import nexlint

    @nexlint.rule(code="EDIT001", name="editor-saves", severity="info",
                  summary="an editor saving the file while --fix runs")
    def editor_saves(doc, report):
        """Why: it edits the file between nexlint's read and its write."""
        path = os.environ["NEXLINT_TEST_EDITED"]
        with open(path, "rb") as handle:
            if b"# saved by the editor" in handle.read():
                return
        with open(path, "ab") as handle:
            handle.write(b"# saved by the editor\\n")
''')


@pytest.mark.parametrize("hard_linked", [False, True], ids=["renamed", "in place"])
def test_an_edit_made_while_fix_runs_is_not_lost(repo: Path, hard_linked: bool) -> None:
    (repo / "editor.py").write_text(EDITOR)
    (repo / "nexlint.toml").write_text('plugins = ["editor"]\n')
    edited, other = repo / "nexlayer.yaml", repo / "nexlayer.other.yaml"
    edited.write_text(FIXABLE)
    other.write_text(FIXABLE)
    if hard_linked:
        os.link(edited, repo / "hard-link.yaml")
    env = {"NEXLINT_TEST_EDITED": str(edited)}
    result = nexlint(repo, "check", "--fix", "--no-cache", "--format", "concise", ".", env=env)
    assert result.returncode == 0
    assert result.stderr == (
        "nexlint: warning: not fixed nexlayer.yaml: it changed after nexlint read it; run "
        "--fix again\nFixed 1 problem (1 NXL005).\n"
    )
    assert result.stdout.startswith("nexlayer.yaml:9:16: warning: ")  # the unfixed file's
    assert result.stdout.endswith("[NXL005]\n") and result.stdout.count("\n") == 1
    assert edited.read_text() == FIXABLE + "# saved by the editor\n"
    assert other.read_text() == FIXED


@pytest.mark.parametrize("folder_mode", [0o777, 0o755], ids=["open folder", "closed folder"])
def test_fix_keeps_the_owner_it_cannot_give(shared: Path, folder_mode: int) -> None:
    """`nobody` may write this root-owned, group-writable file, but may not give a new one
    to root (nor, in a folder only root may write, make one): the file is rewritten in
    place, not handed to `nobody`."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("only root can make a file another user may write but not own")
    os.chmod(shared, folder_mode)
    target = shared / "nexlayer.yaml"
    target.write_text(FIXABLE)
    os.chown(target, 0, NOBODY)
    os.chmod(target, 0o664)
    inode = target.stat().st_ino
    result = nexlint(shared, "check", "--fix", "--no-cache", "nexlayer.yaml", as_nobody=True)
    assert result.returncode == 0, result.stderr
    assert target.read_text() == FIXED
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, NOBODY, 0o664)
    assert info.st_ino == inode
    assert sorted(p.name for p in shared.iterdir()) == ["nexlayer.yaml"]
