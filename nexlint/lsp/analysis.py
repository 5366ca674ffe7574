"""One version of one open document, linted: the engine's result and the parsed document,
with everything the editor asks about it computed from those two and nothing else.

Pure and without the protocol: offsets are characters of the text the client holds, which
may begin with a BOM the engine does not see (``shift``). server.py turns offsets into
positions in the client's encoding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit
from nexlint.document import Document
from nexlint.engine import read, run, too_large
from nexlint.fixes import fix_text
from nexlint.result import LintResult
from nexlint.source import UTF8_BOM, FileData
from nexlint.suppressions import disable_in_file, disable_on_line
from nexlint.view import DocumentView

BOM = "\ufeff"
# Any YAML file whose top level has `application:` and, somewhere, `pods:` is a nexlayer.yaml
# whatever its name (an editor sends every YAML file it opens).
_LOOKS_LIKE = re.compile(r"^application[ \t]*:", re.M)
_HAS_PODS = re.compile(r"^[ \t]*pods[ \t]*:", re.M)


def looks_like_nexlayer(text: str) -> bool:
    return bool(_LOOKS_LIKE.search(text) and _HAS_PODS.search(text))


@dataclass(frozen=True)
class Span:
    """A range of the client's text (character offsets, end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True)
class TextChange:
    """Replace ``span`` of the client's text by ``text``."""

    span: Span
    text: str


@dataclass
class Analysis:
    """A document's text (as the client has it) linted with one configuration."""

    text: str
    filename: str
    config: Config
    doc: Document
    result: LintResult
    shift: int = 0  # 1 when the text starts with a BOM
    _spans: dict[int, Span] = field(default_factory=dict)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    @cached_property
    def view(self) -> DocumentView:
        return DocumentView(self.doc)

    # -- offsets between the engine's text and the client's ------------------------------

    def client(self, offset: int) -> int:
        return offset + self.shift

    def engine(self, offset: int) -> int:
        return max(0, offset - self.shift)

    def span_of(self, diagnostic: Diagnostic) -> Span:
        """Where a diagnostic stands in the client's text."""
        key = id(diagnostic)
        if key not in self._spans:
            lines = self.doc.lines
            start = lines.offset(diagnostic.line, diagnostic.column)
            end = lines.offset(diagnostic.end_line, diagnostic.end_column)
            self._spans[key] = Span(self.client(start), self.client(end))
        return self._spans[key]

    def change(self, edit: Edit) -> TextChange:
        return TextChange(Span(self.client(edit.start), self.client(edit.end)), edit.text)

    # -- what the editor asks -------------------------------------------------------------

    def at(self, offset: int) -> list[Diagnostic]:
        """The diagnostics whose range holds ``offset`` (an empty range: its own place)."""
        found = []
        for d in self.diagnostics:
            span = self.span_of(d)
            if span.start <= offset <= span.end:
                found.append(d)
        return found

    def overlapping(self, start: int, end: int) -> list[Diagnostic]:
        """The diagnostics whose range meets ``start:end`` (a cursor meets what it touches)."""
        found = []
        for d in self.diagnostics:
            span = self.span_of(d)
            if span.start <= end and start <= span.end:
                found.append(d)
        return found

    def fix_changes(self, diagnostic: Diagnostic) -> list[TextChange]:
        fix = diagnostic.fix
        if fix is None or any(edit.redacted for edit in fix.edits):
            return []
        return [self.change(edit) for edit in fix.edits]

    def disable_line(self, diagnostic: Diagnostic) -> TextChange | None:
        start = self.doc.lines.offset(diagnostic.line, diagnostic.column)
        edit = disable_on_line(self.doc, start, diagnostic.code)
        return self.change(edit) if edit is not None else None

    def disable_file(self, code: str) -> TextChange:
        edit = disable_in_file(self.doc, code)
        if edit.start == 0 and edit.end == 0:  # a first line: after the BOM, if any
            return TextChange(Span(self.shift, self.shift), edit.text)
        return self.change(edit)

    def fix_all(
        self, unsafe: bool = False, cancelled: Callable[[], bool] | None = None
    ) -> TextChange | None:
        """Every fix the CLI's `--fix` applies (`--unsafe-fixes` with ``unsafe``), as one
        change: the smallest stretch of text that differs. ``cancelled`` is asked between
        rounds of fixes (the answer is then only part of the fixes)."""
        body = self.text[self.shift :]
        fixed = fix_text(body, self.filename, self.config, unsafe, cancelled=cancelled).text
        if fixed == body:
            return None
        head = 0
        limit = min(len(body), len(fixed))
        while head < limit and body[head] == fixed[head]:
            head += 1
        tail = 0
        while tail < limit - head and body[-1 - tail] == fixed[-1 - tail]:
            tail += 1
        return TextChange(
            Span(self.client(head), self.client(len(body) - tail)),
            fixed[head : len(fixed) - tail],
        )


def analyse(text: str, filename: str, config: Config) -> Analysis:
    """Lint the client's text as the CLI would lint the file's bytes."""
    shift = 1 if text.startswith(BOM) else 0
    doc = read(text.encode("utf-8", "surrogatepass"))
    return Analysis(text, filename, config, doc, run(doc, filename, config), shift)


def analyse_read(data: FileData, filename: str, config: Config) -> Analysis:
    """Lint a file read from disk (at most the size cap of it) as the CLI would; its text
    as an editor would show it (with the BOM, if any)."""
    doc = too_large(data.size) if data.too_large else read(data.content)
    shift = 1 if not data.too_large and data.content.startswith(UTF8_BOM) else 0
    return Analysis(
        BOM * shift + doc.text, filename, config, doc, run(doc, filename, config), shift
    )
