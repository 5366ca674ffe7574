"""The language server's pure parts, without a client: positions in each encoding, the
directives its actions write, settings, and `nexlint lsp` without its extra."""

from __future__ import annotations

import sys

import pytest

from nexlint.cli import main
from nexlint.config import Config
from nexlint.lsp.analysis import analyse, looks_like_nexlayer
from nexlint.lsp.positions import UTF8, UTF16, UTF32, Positions
from nexlint.lsp.settings import ClientSettings, path_of

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
