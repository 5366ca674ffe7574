"""Hostile input: a finding or a clear one-line exit 2, quickly; never a traceback, a hang,
or code execution."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

LIMIT_SECONDS = 60  # a bound against hangs, not a speed target


def run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nexlint", "check", "--format", "concise", str(path)],
        capture_output=True,
        text=True,
        timeout=LIMIT_SECONDS,
        env={**os.environ, "NEXLINT_DEBUG": ""},
    )


def alias_bomb() -> bytes:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return (text + "application: *i\n").encode()


CASES = {
    "binary": (bytes(range(256)) * 16, "NXL001", "invalid UTF-8"),
    "invalid-utf8": (b"application:\n  name: caf\xe9\n", "NXL001", "2:12:"),
    "utf16": ("application:\n  name: x\n".encode("utf-16"), "NXL001", "UTF-16"),
    "nul": (b"application:\n  name: a\x00b\n", "NXL001", "U+0000"),
    "alias-bomb": (alias_bomb(), "NXL003", "alias bomb"),
    "deep-flow": (b"application: " + b"[" * 20000 + b"]" * 20000, "NXL003", "deeper than"),
    "deep-block": (b"".join(b" " * i + b"a:\n" for i in range(3000)), "NXL003", "deeper"),
    "python-tag": (
        b'application: !!python/object/apply:os.system ["touch PWNED"]\n',
        "NXL004",
        "!!python/object/apply:os.system",
    ),
    "ten-megabytes": (b"# " + b"x" * 10_000_000 + b"\n", "NXL003", "MiB"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_gives_a_finding(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, code, text = CASES[name]
    target = tmp_path / "nexlayer.yaml"
    target.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = run(target)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"[{code}]" in result.stdout
    assert text in result.stdout
    assert not (tmp_path / "PWNED").exists()


def test_five_megabyte_line(tmp_path: Path) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_text("application:\n  name: " + "x" * (5 * 1024 * 1024 - 40) + "\n")
    result = run(target)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # the value is clipped in the message, never printed whole
    assert len(result.stdout) < 2000
    assert "nexlayer.yaml:2:9: error: name of application is" in result.stdout


def test_a_directory_full_of_hostile_files_reports_each(tmp_path: Path) -> None:
    for name, (data, _, _) in CASES.items():
        (tmp_path / f"nexlayer-{name}.yaml").write_bytes(data)
    result = run(tmp_path)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) >= len(CASES)
