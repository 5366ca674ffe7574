"""The package installs and works the ways people install it: a regular install used from the
repository root (where Python finds the source tree first), and the README's editable install,
which type checkers must see through."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .helpers import REPO, declared

pytestmark = pytest.mark.integration

USE = (
    "import nexlint; "
    "print(nexlint.__version__, [d.code for d in nexlint.lint('application: {name: shop}')])"
)
USER_SCRIPT = """\
import nexlint

diagnostics: list[nexlint.Diagnostic] = nexlint.lint("application: {}\\n")
count: str = len(diagnostics)  # a type error mypy can only see if it sees nexlint
"""


def make_venv(where: Path, *install: str) -> Path:
    venv.create(where, with_pip=True)
    python = where / ("Scripts" if os.name == "nt" else "bin") / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *install],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return python


def test_a_regular_install_works_from_the_repository_root(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv", str(REPO))
    for cwd in (REPO, tmp_path):  # at the root the source tree is found first
        used = subprocess.run(
            [str(python), "-c", USE], cwd=cwd, capture_output=True, text=True, timeout=120
        )
        assert used.returncode == 0, used.stderr
        assert used.stdout.strip().endswith("['NXL101']")
    # ruamel's C parser comes with it on the platforms the dependency is declared for
    if declared("ruamel.yaml.clib"):
        c = subprocess.run(
            [str(python), "-c", "from nexlint.cparse import c_parser; print(c_parser())"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "CParser" in c.stdout, c.stdout + c.stderr
    # the plain install stays light: no language server, and `nexlint lsp` says how to add it
    nexlint = python.parent / "nexlint"
    lsp = subprocess.run([str(nexlint), "lsp"], capture_output=True, text=True, timeout=120)
    assert lsp.returncode == 2
    assert "pip install 'nexlint[lsp]'" in lsp.stderr
    assert lsp.stdout == ""


def test_the_lsp_extra_installs_a_working_server(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv", f"{REPO}[lsp]")
    request = b'{"jsonrpc":"2.0","id":1,"method":"shutdown"}'
    exit_ = b'{"jsonrpc":"2.0","method":"exit"}'
    frames = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(m), m) for m in (request, exit_))
    served = subprocess.run(
        [str(python.parent / "nexlint"), "lsp"], input=frames, capture_output=True, timeout=120
    )
    assert served.stdout.startswith(b"Content-Length: ")
    assert b'"id":1' in served.stdout.replace(b" ", b"")


def test_mypy_sees_nexlint_after_the_editable_install(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv", "-e", str(REPO))
    script = tmp_path / "use_nexlint.py"
    script.write_text(USER_SCRIPT)
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python), str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.returncode == 1, checked.stdout
    assert "Cannot find implementation or library stub" not in checked.stdout
    assert (
        'Incompatible types in assignment (expression has type "int", variable has type "str")'
        in checked.stdout
    )
    assert checked.stdout.count("error:") == 1
