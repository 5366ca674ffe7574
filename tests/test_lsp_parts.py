"""The language server's pure parts, without a client: positions in each encoding, the
directives its actions write, settings, and `nexlint lsp` without its extra."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from nexlint.cli import main
from nexlint.config import Config
from nexlint.lsp.analysis import analyse, analyse_read, looks_like_nexlayer
from nexlint.lsp.framing import MAX_MESSAGE, Framer, Malformed, Message
from nexlint.lsp.positions import UTF8, UTF16, UTF32, Positions
from nexlint.lsp.settings import ClientSettings, Configurations, path_of
from nexlint.lsp.work import read_regular
from nexlint.source import MAX_FILE_BYTES, FileData

from .helpers import VALID, corpus_files

TEXT = "a: é😀x\r\nb: \u2028c\rd\n"


@pytest.mark.parametrize(
    ("encoding", "x_column"),
    [(UTF16, 6), (UTF8, 9), (UTF32, 5)],  # "a: é😀" is 3 + 1 + 2 / 3 + 2 + 4 / 3 + 1 + 1
)
def test_positions_count_units_of_the_encoding(encoding: str, x_column: int) -> None:
    positions = Positions(TEXT, encoding)
    x = TEXT.index("x")
    assert positions.position(x) == (0, x_column)
    assert positions.offset(0, x_column) == x


def test_lines_break_only_at_cr_lf_and_crlf() -> None:
    positions = Positions(TEXT, UTF16)
    assert positions.position(TEXT.index("c")) == (1, 4)  # U+2028 is not a line break
    assert positions.position(TEXT.index("d")) == (2, 0)  # a lone CR is
    assert positions.position(TEXT.index("\r\n") + 1) == (0, 7)  # inside CRLF: the line end
    assert positions.offset(0, 99) == TEXT.index("\r\n")  # past the end of a line: its end
    assert positions.offset(99, 0) == len(TEXT)
    assert positions.position(len(TEXT)) == (3, 0)


def test_a_position_inside_a_character_rounds_up() -> None:
    positions = Positions("😀x", UTF16)
    assert positions.offset(0, 1) == 1


def test_a_bom_shifts_every_range_by_one_character() -> None:
    text = VALID.replace("nginx:1.27", "nginx")
    plain = analyse(text, "nexlayer.yaml", Config())
    bom = analyse("\ufeff" + text, "nexlayer.yaml", Config())
    [d1], [d2] = plain.diagnostics, bom.diagnostics
    assert bom.span_of(d2).start == plain.span_of(d1).start + 1
    change = bom.disable_file("NXL304")
    assert (change.span.start, change.text) == (1, "# nexlint: disable-file=NXL304\n")


def test_what_counts_as_a_nexlayer_file() -> None:
    assert looks_like_nexlayer(VALID)
    assert not looks_like_nexlayer("application: x\n")  # no pods
    assert not looks_like_nexlayer("services:\n  pods: 1\n")


def test_settings_keep_defaults_for_what_is_wrong() -> None:
    assert ClientSettings.read({"nexlint": {"run": "onSave"}}).run == "onSave"
    bad = ClientSettings.read({"run": "always", "fixAll": "yes", "unsafeFixes": True})
    assert (bad.run, bad.fix_all, bad.unsafe_fixes) == ("onType", True, True)
    assert bad.problems == (
        "nexlint.run must be onType or onSave",
        "nexlint.fixAll must be true or false",
    )
    assert ClientSettings.read(None) == ClientSettings()


def test_file_uris() -> None:
    assert path_of("file:///home/me/my%20app/nexlayer.yaml") == "/home/me/my app/nexlayer.yaml"
    assert path_of("untitled:Untitled-1") is None


def test_lsp_without_its_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # as if it were not installed: its submodules too, which an earlier test may have loaded
    # (tests/test_linear.py imports every module of nexlint, the server among them)
    loaded = [name for name in sys.modules if name.startswith("pygls.")]
    for name in ["pygls", *loaded]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "nexlint.lsp.server", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["lsp"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "nexlint: error: the language server needs pygls and lsprotocol: "
        "pip install 'nexlint[lsp]'\n"
    )


def test_every_question_about_every_corpus_file_gets_an_answer_inside_it() -> None:
    """Symbols, hover, definition, references, rename and the directive actions, asked at
    every line of every real file (and of the fuzzer's odd shapes): no exception, and every
    range they give lies inside the text."""
    from nexlint.lsp.hover import hover
    from nexlint.lsp.navigation import RenameError, definition, references, rename, symbols
    from nexlint.registry import registry

    rules = registry()
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in corpus_files()]
    texts += [
        "application:\n  pods: {web: {image: x}}\n",
        "application: &a\n  name: x\n  pods:\n    - *a\n",
        "- just\n- a list\n",
        "application:\n  pods:\n    - name: [not, a, string]\n      vars: [1, 2]\n",
        "\ufeffapplication:\n  pods:\n    - name: web\n      vars: {A: http://web.pod}\n",
        "application:\n  pods:\n    - name: web\n      vars:\n"
        "        - value: b\n          key: A\n",
        "x: &n web\napplication:\n  pods:\n    - name: *n\n      image: a:1\n",
    ]
    for text in texts:
        analysis = analyse(text, "nexlayer.yaml", Config())
        inside = range(len(text) + 1)
        stack = symbols(analysis)
        while stack:
            symbol = stack.pop()
            stack += symbol.children
            assert symbol.span.start in inside and symbol.span.end in inside
            assert symbol.span.start <= symbol.selection.start <= symbol.selection.end
            assert symbol.selection.end <= symbol.span.end
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        for offset in starts[:: max(1, len(starts) // 40)]:
            for at in (offset, offset + 8):
                shown = hover(analysis, at, rules)
                if shown is not None:
                    assert shown[1].start in inside and shown[1].end in inside
                span = definition(analysis, at)
                assert span is None or (span.start in inside and span.end in inside)
                for span in references(analysis, at, True):
                    assert span.start in inside and span.end in inside
                try:
                    for change in rename(analysis, at, "renamed"):
                        assert change.span.start in inside and change.span.end in inside
                except RenameError:
                    pass
        for d in analysis.diagnostics:
            line = analysis.disable_line(d)
            assert line is None or line.span.end in inside
            assert analysis.disable_file(d.code).span.start in inside


# -- the stream's framing -------------------------------------------------------------------------


def _framed(body: bytes, length: int | None = None) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body


def _events(framer: Framer, pieces: list[bytes]) -> list[tuple[str, bytes | str]]:
    """What a consumer sees, telling the framer of each body that is not JSON."""
    seen: list[tuple[str, bytes | str]] = []
    for piece in [*pieces, None]:
        for event in framer.feed(piece) if piece is not None else framer.end():
            if isinstance(event, Message):
                seen.append(("message", event.body))
                try:
                    json.loads(event.body)
                except ValueError:
                    framer.rejected()
            else:
                seen.append(("malformed", event.reason))
    return seen


GOOD = [json.dumps({"jsonrpc": "2.0", "id": n, "method": "m"}).encode() for n in range(4)]
STREAM = b"".join(
    [
        _framed(GOOD[0]),
        _framed(GOOD[1], len(GOOD[1]) + 30),  # announces more than comes
        _framed(GOOD[2], len(GOOD[2]) - 5),  # announces less
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n",
        _framed(GOOD[3]),
        b"\r\nnot a header\r\n",
        _framed(GOOD[0]),
    ]
)


def test_framing_gives_each_body_and_one_complaint_per_bad_stretch() -> None:
    assert _events(Framer(), [STREAM]) == [
        ("message", GOOD[0]),
        (
            "malformed",
            f"the next message began after {len(GOOD[1])} of the "
            f"{len(GOOD[1]) + 30} bytes its Content-Length announced",
        ),
        ("message", GOOD[2][:-5]),  # not JSON: what follows before a header is its tail
        ("message", GOOD[3]),
        ("malformed", "bytes outside any message"),
        ("message", GOOD[0]),
    ]


def test_framing_does_not_depend_on_where_reads_split_the_stream() -> None:
    whole = _events(Framer(), [STREAM])
    for cut in range(1, len(STREAM)):
        assert _events(Framer(), [STREAM[:cut], STREAM[cut:]]) == whole, cut
    assert _events(Framer(), [bytes([b]) for b in STREAM]) == whole


def test_a_body_too_large_to_keep_is_dropped_as_it_comes() -> None:
    framer = Framer()
    events = list(framer.feed(b"Content-Length: %d\r\n\r\n" % (MAX_MESSAGE + 10)))
    chunk = b"x" * 1024 * 1024
    for _ in range(MAX_MESSAGE // len(chunk)):
        events += framer.feed(chunk)
        assert len(framer._buffer) <= len(chunk) + 64  # never the whole body
    events += framer.feed(b"x" * 10 + _framed(GOOD[0]))
    assert [type(e).__name__ for e in events] == ["Malformed", "Message"]


def test_a_stalled_body_is_complained_about_once_and_its_tail_is_not() -> None:
    framer = Framer()
    assert list(framer.feed(_framed(GOOD[0], 100))) == []
    assert framer.waiting
    [stalled] = framer.stalled()
    assert isinstance(stalled, Malformed) and "stopped after" in stalled.reason
    assert list(framer.feed(b"the rest, late\r\n" + _framed(GOOD[1]))) == [Message(GOOD[1])]


# -- reading from disk -------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_only_regular_files_are_read(tmp_path: Path) -> None:
    regular = tmp_path / "nexlayer.yaml"
    regular.write_bytes(b"\xef\xbb\xbfapplication: {}\n")
    assert read_regular(str(regular)) == FileData(regular.read_bytes(), 19)
    os.mkfifo(tmp_path / "fifo")  # opening it for reading would block
    (tmp_path / "link").symlink_to(regular)
    for name in ("fifo", "link", "missing"):
        assert read_regular(str(tmp_path / name)) is None
    assert read_regular(str(tmp_path)) is None  # a folder
    assert read_regular("/dev/null") is None  # a device


def test_a_file_read_from_disk_is_linted_as_the_cli_lints_it() -> None:
    data = FileData(b"\xef\xbb\xbf" + VALID.replace("nginx:1.27", "nginx").encode(), 0)
    analysis = analyse_read(data, "nexlayer.yaml", Config())
    [d] = analysis.diagnostics
    assert analysis.text.startswith("\ufeff") and analysis.span_of(d).start == (
        analysis.text.index("nginx")
    )
    big = analyse_read(FileData(b"", MAX_FILE_BYTES + 1), "nexlayer.yaml", Config())
    assert [d.code for d in big.diagnostics] == ["NXL003"]


# -- settings and trust ------------------------------------------------------------------------


def test_the_lint_budget_is_a_number_of_seconds() -> None:
    assert ClientSettings.read({"lintTimeout": 2}).lint_timeout == 2.0
    assert ClientSettings().lint_timeout == 10.0
    for bad in (0, -1, "5", True, float("nan"), float("inf")):
        read = ClientSettings.read({"lintTimeout": bad})
        assert read.lint_timeout == 10.0
        assert read.problems == ("nexlint.lintTimeout must be a number of seconds above 0",)


def test_config_files_are_trusted_only_inside_the_workspace(tmp_path: Path) -> None:
    inside, outside = tmp_path / "ws" / "app", tmp_path / "elsewhere"
    inside.mkdir(parents=True)
    outside.mkdir()
    (inside / "escape.toml").symlink_to(outside / "nexlint.toml")
    configurations = Configurations()
    assert not configurations.trusted(str(inside / "nexlint.toml"))  # no workspace: none
    configurations.trust([str(tmp_path / "ws")])
    assert configurations.trusted(str(inside / "nexlint.toml"))
    assert not configurations.trusted(str(outside / "nexlint.toml"))
    assert not configurations.trusted(str(inside / "escape.toml"))  # a link leading out
    assert not configurations.trusted(str(tmp_path / "ws-other" / "nexlint.toml"))
