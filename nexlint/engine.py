"""The pipeline: text -> document -> schema findings + rule findings -> filtered diagnostics."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
from collections.abc import Iterable

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix, Severity, rule_url
from nexlint.display import escape
from nexlint.document import Document, Finding, parse
from nexlint.registry import loud_rules, registry
from nexlint.result import LintResult
from nexlint.rule_api import DocumentView, Rule
from nexlint.schema import get_validator, schema_findings
from nexlint.secrets import (
    MASK,
    mask,
    mask_text,
    mask_values,
    merge_spans,
    secret_spans,
    secret_values,
    url_password_spans,
)
from nexlint.shape import shape_findings
from nexlint.source import MAX_FILE_BYTES, DecodeProblem, LineIndex, decode
from nexlint.suppressions import find_directives, suppressed, unused

DEFAULT_CONFIG = Config()
FOREIGN_LIMIT = 300  # characters of a plugin's message or an exception shown
CRASH_HELP = "this is a bug in the rule, not in your file; please report it"


def lint(
    text: str, filename: str = "nexlayer.yaml", config: Config | None = None
) -> list[Diagnostic]:
    """Lint the text of a nexlayer.yaml. Never raises for bad input."""
    return lint_text(text, filename, config).diagnostics


def lint_bytes(
    data: bytes, filename: str = "nexlayer.yaml", config: Config | None = None
) -> list[Diagnostic]:
    """Lint a file's raw bytes: the size cap and the encoding are checked first."""
    return lint_data(data, filename, config).diagnostics


def lint_file(path: str | os.PathLike[str], config: Config | None = None) -> list[Diagnostic]:
    """Lint a file on disk. OSError propagates (a missing file is the caller's error)."""
    return lint_path(path, config).diagnostics


def lint_text(
    text: str, filename: str = "nexlayer.yaml", config: Config | None = None
) -> LintResult:
    return _result(parse(text.removeprefix("\ufeff")), filename, config or DEFAULT_CONFIG)


def lint_data(
    data: bytes, filename: str = "nexlayer.yaml", config: Config | None = None
) -> LintResult:
    config = config or DEFAULT_CONFIG
    if len(data) > MAX_FILE_BYTES:
        return _result(_too_large(len(data)), filename, config)
    text = decode(data)
    if isinstance(text, DecodeProblem):
        doc = Document(text.text, LineIndex(text.text), None, complete=False)
        end = text.offset + 1 if text.offset < len(text.text) else text.offset
        doc.findings.append(Finding("NXL001", text.message, text.offset, end))
        return _result(doc, filename, config)
    return _result(parse(text), filename, config)


def lint_path(path: str | os.PathLike[str], config: Config | None = None) -> LintResult:
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = max(os.fstat(handle.fileno()).st_size, len(data))
            return _result(_too_large(size), str(path), config or DEFAULT_CONFIG)
    return lint_data(data, str(path), config)


def _result(doc: Document, filename: str, config: Config) -> LintResult:
    diagnostics = _diagnostics(doc, filename, config)
    return LintResult(filename, doc.text, diagnostics, secret_spans(doc))


def _too_large(size: int) -> Document:
    doc = Document("", LineIndex(""), None, complete=False)
    limit = MAX_FILE_BYTES // 1024 // 1024
    doc.findings.append(
        Finding(
            "NXL003",
            f"the file is {size / 1024 / 1024:.1f} MiB, more than the {limit} MiB a nexlayer.yaml "
            "may be; it was not read",
            0,
            0,
        )
    )
    return doc


def prepare(config: Config) -> None:
    """Build what every file needs -- the rule registry and the validator -- once."""
    registry(config.plugins, config.root)
    get_validator(config.schema)


def collect_findings(doc: Document, config: Config, rules: Iterable[Rule]) -> list[Finding]:
    """Every finding for one document, before selection and suppression."""
    findings = list(doc.findings)
    shape = shape_findings(doc)
    if doc.root is None or shape:
        return findings + shape
    findings.extend(schema_findings(doc, get_validator(config.schema)))
    view = DocumentView(doc)
    for rule in rules:
        if rule.check is not None:
            findings.extend(run_rule(rule, view, doc))
    return findings


def run_rule(rule: Rule, view: DocumentView, doc: Document) -> list[Finding]:
    """Run one rule, contained: a rule that raises anything (``sys.exit`` included), passes
    ``report`` what it does not take, or writes to standard output (where a machine format
    is being written) becomes one finding that names it, and the other rules still run."""
    found: list[Finding] = []
    misuse: list[str] = []

    def report(
        pointer: str,
        message: str,
        help: str | None = None,
        fix: Fix | None = None,
        *,
        span: tuple[int, int] | None = None,
        at: str = "value",
    ) -> None:
        problem = bad_report(pointer, message, help, fix, span, at, len(doc.text))
        if problem is not None:
            misuse.append(problem)
            raise TypeError(f"report(): {problem}")
        if span is None:
            span = doc.key_span(pointer) if at == "key" else doc.value_span(pointer)
        found.append(Finding(rule.code, message, span[0], span[1], pointer, help, fix))

    assert rule.check is not None
    printed = io.StringIO()
    problem: str | None = None
    try:
        with contextlib.redirect_stdout(printed):
            rule.check(view, report)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a rule's bug must not hide the other rules' findings
        problem = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
    if misuse:  # even if the rule caught the TypeError itself
        problem = f"it passed report() {misuse[0]}"
    elif problem is None and (printed.tell() or loud_rules().get(rule.code)):
        chars = printed.tell() or loud_rules()[rule.code]
        when = "while checking" if printed.tell() else "when it was loaded"
        problem = (
            f"it wrote {chars} characters to standard output {when}, where nexlint writes "
            "its report; they were dropped"
        )
    if problem is None:
        return found
    # The message is masked, escaped and clipped by the shield, as any rule's text.
    return [
        Finding(
            rule.code,
            f"rule {rule.code} ({rule.name}) from {rule.origin} failed: {problem}",
            0,
            0,
            "",
            CRASH_HELP,
        )
    ]


def bad_report(
    pointer: object,
    message: object,
    help: object,
    fix: object,
    span: object,
    at: object,
    size: int,
) -> str | None:
    """What is wrong with a call to ``report``, in words, or None."""
    if not isinstance(pointer, str):
        return f"a pointer that is {_type(pointer)}, not a string"
    if not isinstance(message, str) or not message.strip():
        return f"a message that is {_type(message)}, not a non-empty string"
    if help is not None and not isinstance(help, str):
        return f"a help that is {_type(help)}, not a string"
    if at not in ("value", "key"):
        return 'an at= that is not "value" or "key"'
    if span is not None and not _within(span, size):
        return f"a span that is not two offsets inside the text (0 to {size})"
    if fix is not None:
        if not isinstance(fix, Fix) or not isinstance(fix.edits, tuple | list):
            return f"a fix that is {_type(fix)}, not a nexlint.Fix"
        if not isinstance(fix.message, str) or not isinstance(fix.safe, bool):
            return "a fix whose message is not a string or whose safe is not a boolean"
        for edit in fix.edits:
            if not isinstance(edit, Edit) or not isinstance(edit.text, str):
                return "a fix whose edits are not nexlint.Edit with text"
            if not _within((edit.start, edit.end), size):
                return f"a fix edit that is not inside the text (0 to {size})"
    return None


def _within(span: object, size: int) -> bool:
    if not isinstance(span, tuple | list) or len(span) != 2:
        return False
    start, end = span
    return type(start) is int and type(end) is int and 0 <= start <= end <= size


def _type(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def _diagnostics(doc: Document, filename: str, config: Config) -> list[Diagnostic]:
    rules = registry(config.plugins, config.root)
    enabled = [r for r in rules.values() if config.enabled(r.code, filename)]
    findings = collect_findings(doc, config, enabled)
    directives, malformed = find_directives(doc, rules)
    findings.extend(malformed)
    kept = [
        f
        for f in findings
        if config.enabled(f.code, filename)
        and not suppressed(directives, f.code, doc.lines.position(f.start)[0])
    ]
    if directives and doc.complete and not any(f.code == "NXL003" for f in findings):
        for finding in unused(directives, (r.code for r in enabled)):
            line = doc.lines.position(finding.start)[0]
            if config.enabled(finding.code, filename) and not any(
                d.kind == "disable-file" and d.covers(finding.code, line) for d in directives
            ):
                kept.append(finding)
    shield = _Shield(doc)
    result: dict[Diagnostic, None] = {}
    for finding in kept:
        rule = rules.get(finding.code)
        foreign = rule is None or not rule.origin.startswith("nexlint")
        finding = shield.finding(finding, foreign or finding.help == CRASH_HELP)
        result.setdefault(_diagnostic(finding, doc, filename, config, rule))
    return sorted(result, key=lambda d: d.sort_key)


class _Shield:
    """Keeps secrets and terminal controls out of what a finding says.

    Built-in messages show values only through ``secrets.shown_value``, which masks them.
    Text nexlint does not write -- a plugin's message, a rule's exception -- gets a safety
    net: every secret value in it, as written or as read, becomes ****. Every message gets
    URL passwords masked and unsafe characters escaped; a fix's text is shown masked."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.spans = secret_spans(doc)
        self._values: list[str] | None = None

    @property
    def values(self) -> list[str]:
        if self._values is None:
            self._values = secret_values(self.doc) if self.spans else []
        return self._values

    def say(self, text: str, foreign: bool) -> str:
        if foreign:
            text = mask_values(text, self.values)
            if len(text) > FOREIGN_LIMIT:
                text = text[: FOREIGN_LIMIT - 1] + "…"
        urls = merge_spans(url_password_spans(text))
        if urls:
            text = mask(text, 0, len(text), urls)
        return escape(text)

    def finding(self, finding: Finding, foreign: bool) -> Finding:
        message = self.say(finding.message, foreign)
        help = self.say(finding.help, foreign) if finding.help is not None else None
        fix = self.fix(finding.fix, foreign) if finding.fix is not None else None
        if message == finding.message and help == finding.help and fix is finding.fix:
            return finding
        return dataclasses.replace(finding, message=message, help=help, fix=fix)

    def fix(self, fix: Fix, foreign: bool) -> Fix:
        edits = tuple(self.edit(edit) for edit in fix.edits)
        message = self.say(fix.message, foreign)
        if message == fix.message and all(a is b for a, b in zip(edits, fix.edits, strict=True)):
            return fix
        return dataclasses.replace(fix, message=message, edits=edits)

    def edit(self, edit: Edit) -> Edit:
        """The edit with the text reports may show: secrets masked, unsafe characters
        escaped. An edit that puts a secret in, transformed past recognition, shows none."""
        shown = mask_text(mask_values(edit.text, self.values))
        touches = any(a < edit.end and b > edit.start for a, b in self.spans)
        if edit.text and shown == edit.text and touches:
            shown = MASK
        shown = escape(shown)
        return edit if shown == edit.text else dataclasses.replace(edit, shown=shown)


def _diagnostic(
    finding: Finding, doc: Document, filename: str, config: Config, rule: Rule | None
) -> Diagnostic:
    line, column = doc.lines.position(finding.start)
    end_line, end_column = doc.lines.position(max(finding.end, finding.start))
    default = rule.severity if rule else Severity.ERROR
    return Diagnostic(
        code=finding.code,
        name=rule.name if rule else finding.code.lower(),
        severity=config.severity_of(finding.code, default),
        message=finding.message,
        file=filename,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        pointer=finding.pointer,
        help=finding.help,
        url=rule.docs_url if rule else rule_url(finding.code),
        fix=finding.fix,
    )
