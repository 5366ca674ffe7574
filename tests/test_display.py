"""Text from the file never drives the terminal or breaks a format: control characters,
bidirectional overrides, line separators and lone surrogates are shown escaped, in every
format, in messages, help and code frames."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import FORMAT_NAMES, cli
from nexlint.display import clip, escape

from .helpers import VALID

# Keys whose text reaches messages raw: an escape sequence that sets the terminal title,
# a forged finding after a newline, NUL, a raw right-to-left override, a raw NEL.
HOSTILE = VALID + (
    '      "\\e]0;pwned\\a\\nforged.yaml:1:1: error: forged [NXL999]": 1\n'
    '      "nul\\0here": 2\n'
    "      imag\u202eeg: 3\n"
    '      "next\\u0085line\\u2028sep": 4\n'
)
RAW = ("\x1b", "\x07", "\x00", "\u202e", "\x85", "\u2028")


def run(fmt: str, path: str = "nexlayer.yaml") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--format", fmt, path])
    return result.exit_code, result.stdout


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "nexlayer.yaml"
    target.write_text(HOSTILE, encoding="utf-8")
    return target


def parse(fmt: str, out: str) -> None:
    """The machine formats still parse."""
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_no_format_passes_control_characters_through(fmt: str, hostile: Path) -> None:
    code, out = run(fmt)
    assert code == 1
    assert not [c for c in RAW if c in out]
    assert "\\x1b]0;pwned\\x07\\nforged.yaml" in out.replace("\\\\", "\\")
    assert not any(line.startswith("forged.yaml") for line in out.splitlines())
    out.encode("utf-8")
    parse(fmt, out)


def test_messages_and_frames_show_escapes(hostile: Path) -> None:
    messages = [d.message for d in nexlint.lint(HOSTILE) if d.code == "NXL102"]
    assert messages[0] == 'unknown key "\\x1b]0;pwned\\x07\\nforged.yaml:1:1: erro…" in pod "web"'
    assert 'unknown key "nul\\x00here" in pod "web"' in messages
    assert 'unknown key "imag\\u202eeg" in pod "web"' in messages
    _, out = run("text")
    assert "10 |       imag\\u202eeg: 3\n" in out
    assert "   |       ^^^^^^^^^^^^\n" in out  # the underline covers the escape as shown


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_a_lone_surrogate_is_shown_escaped_and_the_run_ends_1(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_bytes(b'"\\ud800": 1\n')  # 12 bytes
    code, out = run(fmt)
    assert code == 1
    assert "\ud800" not in out
    assert "\\ud800" in out.replace("\\\\", "\\")
    out.encode("utf-8")
    parse(fmt, out)


@pytest.mark.parametrize("data", [b"\r\n", b"\r", b"\n\n"])
def test_a_file_of_line_breaks_gets_a_range_inside_it(data: bytes, tmp_path: Path) -> None:
    target = tmp_path / "nexlayer.yaml"
    target.write_bytes(data)
    [d] = nexlint.lint_file(target)
    assert (d.code, d.line, d.column, d.end_line, d.end_column) == ("NXL003", 1, 1, 1, 1)


def test_escape_and_clip() -> None:
    assert escape("plain ünïcode → ok\t") == "plain ünïcode → ok\t"
    assert escape("a\x1bb\x7f\x9b\u202e\ud800\n") == "a\\x1bb\\x7f\\x9b\\u202e\\ud800\\n"
    assert escape(escape("\x1b")) == "\\x1b"
    assert clip('"' + "x" * 60 + '"') == '"' + "x" * 37 + '…"'
    assert clip("y" * 60) == "y" * 39 + "…"


def test_markdown_cells_open_no_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job summary renders HTML: a key from the file must not become a tag there."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(VALID + '      "<img src=//x.example/t.png>": 1\n')
    _, out = run("markdown")
    assert "<img" not in out
    assert 'unknown key "&lt;img src=//x.example/t.png&gt;" in pod "web"' in out
