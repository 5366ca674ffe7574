"""The pipeline, read top to bottom:

    bytes -> decode -> parse -> shape -> schema -> rules -> select -> prefer -> suppress
          -> cap -> mask -> diagnostics

Each stage is a function with one job. The ways in (`lint`, `lint_bytes`, `lint_file` and
their LintResult forms) meet in `run`.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
from collections.abc import Callable, Iterable, Mapping

from nexlint.config import Config
from nexlint.diagnostics import Diagnostic, Edit, Fix, Location, Severity, rule_url
from nexlint.display import escape
from nexlint.document import Document, parse
from nexlint.findings import Finding
from nexlint.limits import limit
from nexlint.registry import registry
from nexlint.result import LintResult
from nexlint.rule_api import Rule
from nexlint.schema import get_validator, schema_findings
from nexlint.secrets import (
    MASK,
    Secrets,
    mask,
    mask_text,
    merge_spans,
    secrets_of,
    url_password_spans,
)
from nexlint.shape import DOCUMENT_SHAPE, shape_findings
from nexlint.source import MAX_FILE_BYTES, DecodeProblem, FileData, LineIndex, decode, read_file
from nexlint.suppressions import apply, find_directives, unused
from nexlint.validity import validity
from nexlint.view import DocumentView, Found, Value

DEFAULT_CONFIG = Config()
FOREIGN_LIMIT = 300  # characters of a plugin's message or an exception shown
CRASH_HELP = "this is a bug in the rule, not in your file; please report it"


# -- the ways in ----------------------------------------------------------------------------


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
    return run(parse(text.removeprefix("\ufeff")), filename, config or DEFAULT_CONFIG)


def lint_data(
    data: bytes, filename: str = "nexlayer.yaml", config: Config | None = None
) -> LintResult:
    return run(read(data), filename, config or DEFAULT_CONFIG)


def lint_path(path: str | os.PathLike[str], config: Config | None = None) -> LintResult:
    return lint_read(read_file(path), str(path), config)


def lint_read(data: FileData, filename: str, config: Config | None = None) -> LintResult:
    """Lint what was read of a file or a stream (past the size cap, only its size)."""
    document = too_large(data.size) if data.too_large else read(data.content)
    return run(document, filename, config or DEFAULT_CONFIG)


def prepare(config: Config) -> None:
    """Build what every file needs -- the rule registry (which starts the plugin host, if
    any plugin is configured or installed) and the schema check -- once. jsonschema itself
    loads with the first file the check does not accept (validity.py)."""
    registry(config.plugins, config.root, config.plugin_timeout)
    if validity(config.schema) is None:
        get_validator(config.schema)


def run(doc: Document, filename: str, config: Config) -> LintResult:
    """Every stage after parsing, for one document."""
    rules = registry(config.plugins, config.root)
    enabled = {code for code in rules if config.enabled(code, filename)}
    layout = shape(doc)
    findings = [*doc.findings, *layout]
    if doc.root is not None and not layout:
        findings += schema(doc, config)
        findings += check(doc, [rules[code] for code in sorted(enabled)], filename, config)
    whole = doc.complete and not any(f.code == DOCUMENT_SHAPE.code for f in findings)
    findings = prefer(select(findings, enabled), rules)
    findings = suppress(findings, doc, rules, enabled, whole)
    findings = cap(findings, config, rules)
    return LintResult(
        filename,
        doc.text,
        diagnostics(shield(findings, doc, rules), doc, filename, config, rules),
        secrets_of(doc).spans,
    )


# -- the stages -------------------------------------------------------------------------------


def read(data: bytes) -> Document:
    """decode + parse: a file's bytes (at most MAX_FILE_BYTES) as a Document; bytes that are
    not UTF-8 text give a document with one NXL001 at the first bad byte."""
    if len(data) > MAX_FILE_BYTES:
        return too_large(len(data))
    text = decode(data)
    if isinstance(text, DecodeProblem):
        doc = Document(text.text, LineIndex(text.text), None, complete=False)
        end = text.offset + 1 if text.offset < len(text.text) else text.offset
        doc.findings.append(Finding("NXL001", text.message, text.offset, end))
        return doc
    return parse(text)


def too_large(size: int) -> Document:
    """A file over the size cap is not read: one NXL003 says so."""
    doc = Document("", LineIndex(""), None, complete=False)
    limit = MAX_FILE_BYTES // 1024 // 1024
    message = (
        f"the file is {size / 1024 / 1024:.1f} MiB, more than the {limit} MiB a nexlayer.yaml "
        "may be; it was not read"
    )
    doc.findings.append(Finding(DOCUMENT_SHAPE.code, message, 0, 0))
    return doc


def shape(doc: Document) -> list[Finding]:
    """A file that is not a nexlayer.yaml of today's layout gets one NXL003, and nothing
    after this stage is checked (shape.py)."""
    return shape_findings(doc)


def schema(doc: Document, config: Config) -> list[Finding]:
    """NXL101-NXL105: the bundled (or the user's) JSON Schema, as findings (schema.py). A
    document the compiled check accepts has none, and jsonschema need not look (validity.py)."""
    valid = validity(config.schema)
    if valid is not None and valid(doc.data):
        return []
    return schema_findings(doc, get_validator(config.schema))


def check(
    doc: Document,
    rules: Iterable[Rule],
    filename: str = "nexlayer.yaml",
    config: Config = DEFAULT_CONFIG,
) -> list[Finding]:
    """Every enabled rule with a check, each contained: nexlint's own here (run_rule), the
    plugins' in the plugin host, within ``config.plugin_timeout`` for this file. A plugin
    rule that hangs or ends the host raises PluginFailure (registry.py), naming it."""
    own: list[Rule] = []
    foreign: list[Rule] = []
    for rule in rules:
        if not rule.builtin:
            foreign.append(rule)
        elif rule.check is not None:
            own.append(rule)
    found: list[Finding] = []
    if own:
        view = DocumentView(doc)
        for rule in own:
            found.extend(run_rule(rule, view, doc, None))
    if foreign:
        from nexlint.plugin_host.parent import host_for

        host = host_for(config.plugins, config.root, config.plugin_timeout)
        found.extend(host.check(doc.text, foreign, filename, config.plugin_timeout))
    return found


def prefer(findings: list[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """One mistake, one diagnostic: a finding a more precise rule replaces (`replaces`)
    goes when that rule reported on the same node."""
    replaced = {
        (code, finding.pointer)
        for finding in findings
        if finding.code in rules and finding.pointer
        for code in rules[finding.code].replaces
    }
    if not replaced:
        return findings
    return [f for f in findings if (f.code, f.pointer) not in replaced]


def select(findings: list[Finding], enabled: set[str]) -> list[Finding]:
    """Only the codes the configuration checks for this file."""
    return [f for f in findings if f.code in enabled]


def suppress(
    findings: list[Finding],
    doc: Document,
    rules: Mapping[str, Rule],
    enabled: set[str],
    whole: bool,
) -> list[Finding]:
    """Findings on lines a `# nexlint:` directive covers go. A directive that cannot be read
    is NXL902, one that suppressed nothing NXL901 (suppressions.py) -- not said of a file
    that is not ``whole``, where it may cover what could not be checked."""
    directives, malformed = find_directives(doc, rules)
    kept, used = apply(
        [*findings, *select(malformed, enabled)], directives, lambda o: doc.lines.position(o)[0]
    )
    if not directives or not whole:
        return kept
    return kept + select(unused(directives, used, enabled), enabled)


def cap(findings: list[Finding], config: Config, rules: Mapping[str, Rule]) -> list[Finding]:
    """At most ``max-diagnostics`` findings a file, the most severe, and NXL007 saying how
    many more there were (limits.py) -- whatever select, ignore and directives say of it."""
    if config.max_diagnostics is None:
        return findings

    def severity_of(code: str) -> Severity:
        rule = rules.get(code)
        return config.severity_of(code, rule.severity if rule else Severity.ERROR)

    return limit(findings, config.max_diagnostics, severity_of)


def shield(findings: list[Finding], doc: Document, rules: Mapping[str, Rule]) -> list[Finding]:
    """The last stage every text passes: what a finding says -- message, help, pointer, fix
    and its text -- with unsafe characters escaped and secrets masked (secrets.Secrets.say),
    whichever rule wrote it. Text nexlint did not write (a plugin's, an exception's) is
    masked strictly and clipped."""
    secrets = secrets_of(doc)
    shown = []
    for finding in findings:
        rule = rules.get(finding.code)
        foreign = rule is None or not rule.builtin or finding.help == CRASH_HELP
        shown.append(_Shield(secrets, finding, foreign).finding())
    return shown


def diagnostics(
    findings: list[Finding],
    doc: Document,
    filename: str,
    config: Config,
    rules: Mapping[str, Rule],
) -> list[Diagnostic]:
    """Findings as Diagnostics: 1-based lines and columns, the configured severity, each
    once, in the file's order."""
    result: dict[Diagnostic, None] = {}
    for finding in findings:
        rule = rules.get(finding.code)
        line, column = doc.lines.position(finding.start)
        end_line, end_column = doc.lines.position(max(finding.end, finding.start))
        default = rule.severity if rule else Severity.ERROR
        diagnostic = Diagnostic(
            code=finding.code,
            name=rule.name if rule else finding.code.lower(),
            severity=finding.severity or config.severity_of(finding.code, default),
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
        result.setdefault(diagnostic)
    return sorted(result, key=lambda d: d.sort_key)


# -- running one rule, contained ---------------------------------------------------------------


def run_rule(
    rule: Rule,
    view: DocumentView,
    doc: Document,
    printed: io.StringIO | None,
    loud: int = 0,
    *,
    interrupts: bool = False,
    elsewhere: Callable[[], int] | None = None,
) -> list[Finding]:
    """Run one rule, contained: a rule that raises anything (``sys.exit`` included), passes
    ``report`` what it does not take, or writes to standard output (where a machine format
    is being written) becomes one finding that names it, and the other rules still run.
    ``printed`` is where standard output goes meanwhile (the plugin host redirects it; None
    for nexlint's own rules, which write nothing and run beside one another in the language
    server, where swapping ``sys.stdout`` would be a race); ``loud``
    is what the rule's module wrote when it was loaded; ``elsewhere``, if given, counts
    what was written to standard output past ``printed`` (descriptor 1, in the plugin host).
    A KeyboardInterrupt is Ctrl-C and goes on, unless ``interrupts`` says it can only be
    the rule's own (the plugin host, where Ctrl-C is the parent's)."""
    found: list[Finding] = []
    misuse: list[str] = []

    def report(
        at: Value | Found | Location | str,
        message: str,
        *,
        help: str | None = None,
        fix: Fix | None = None,
    ) -> None:
        problem = bad_report(at, message, help, fix, len(doc.text))
        if problem is not None:
            misuse.append(problem)
            raise TypeError(f"report(): {problem}")
        where = _location(at, doc)
        found.append(Finding(rule.code, message, where.start, where.end, where.pointer, help, fix))

    assert rule.check is not None
    problem: str | None = None
    before = printed.tell() if printed is not None else 0
    try:
        rule.check(view, report)
    except KeyboardInterrupt as exc:
        if not interrupts:
            raise
        problem = describe(exc)
    except BaseException as exc:  # a rule's bug must not hide the other rules' findings
        problem = describe(exc)
    wrote = printed.tell() - before if printed is not None else 0
    wrote += elsewhere() if elsewhere is not None else 0
    if printed is not None and sys.stdout is not printed:  # not swapped for the next rule
        sys.stdout = printed
    if misuse:  # even if the rule caught the TypeError itself
        problem = f"it passed report() {misuse[0]}"
    elif problem is None and (wrote or loud):
        when = "while checking" if wrote else "when it was loaded"
        problem = (
            f"it wrote {wrote or loud} characters to standard output {when}, where nexlint "
            "writes its report; they were dropped"
        )
    if problem is None:
        return found
    return [crash(rule, problem)]


def crash(rule: Rule, problem: str) -> Finding:
    """The one finding that stands for a rule that failed: it names the rule and its module.
    The message is masked, escaped and clipped by the shield, as any rule's text."""
    message = f"rule {rule.code} ({rule.name}) from {rule.origin} failed: {problem}"
    return Finding(rule.code, message, 0, 0, "", CRASH_HELP)


def describe(exc: BaseException) -> str:
    """``Type: message`` of an exception, on one line, even when its ``str()`` (then its
    ``repr()``) raises or returns what is not a string."""
    try:
        name = _plain(type(exc).__name__) or "an exception"
    except BaseException:  # a metaclass can make even this fail
        name = "an exception"
    for show in (str, repr):
        try:
            text = _plain(show(exc))
        except BaseException:  # whatever it raises, there is another way to try
            continue
        if text is not None:
            text = " ".join(text.split())
            return f"{name}: {text}" if text else name
    return f"{name} (its message cannot be shown)"


def _plain(value: object) -> str | None:
    """``value`` as an exact ``str`` (a subclass may override what is done with it)."""
    return str.__str__(value) if isinstance(value, str) else None


def _location(at: Value | Found | Location | str, doc: Document) -> Location:
    if isinstance(at, str):
        start, end = doc.value_span(at)
        return Location(start, end, at)
    if isinstance(at, Location):
        return at
    return at.location


def bad_report(at: object, message: object, help: object, fix: object, size: int) -> str | None:
    """What is wrong with a call to ``report``, in words, or None."""
    if not isinstance(at, Value | Found | Location | str):
        return f"an at that is {_type(at)}, not a value, a match, a location or a pointer"
    if isinstance(at, Location) and not _within((at.start, at.end), size):
        return f"a location that is not inside the text (0 to {size})"
    if not isinstance(message, str) or not message.strip():
        return f"a message that is {_type(message)}, not a non-empty string"
    if help is not None and not isinstance(help, str):
        return f"a help that is {_type(help)}, not a string"
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


def _within(span: tuple[object, object], size: int) -> bool:
    start, end = span
    return type(start) is int and type(end) is int and 0 <= start <= end <= size


def _type(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


# -- what a finding may say ------------------------------------------------------------------


class _Shield:
    """One finding, made safe to show."""

    def __init__(self, secrets: Secrets, finding: Finding, foreign: bool) -> None:
        self.secrets = secrets
        self.near = (finding.start, finding.end)
        self.original = finding
        self.foreign = foreign

    def say(self, text: str, near: tuple[int, int] | None = None) -> str:
        text = escape(text)
        urls = merge_spans(url_password_spans(text))
        if urls:
            text = mask(text, 0, len(text), urls)
        text = self.secrets.say(text, near or self.near, self.foreign)
        if self.foreign and len(text) > FOREIGN_LIMIT:
            text = text[: FOREIGN_LIMIT - 1] + "…"
        return text

    def finding(self) -> Finding:
        finding = self.original
        message = self.say(finding.message)
        help = self.say(finding.help) if finding.help is not None else None
        pointer = self.secrets.say(finding.pointer) if finding.pointer else finding.pointer
        fix = self.fix(finding.fix) if finding.fix is not None else None
        if (message, help, pointer) == (finding.message, finding.help, finding.pointer) and (
            fix is finding.fix
        ):
            return finding
        return dataclasses.replace(finding, message=message, help=help, pointer=pointer, fix=fix)

    def fix(self, fix: Fix) -> Fix:
        edits = tuple(self.edit(edit) for edit in fix.edits)
        message = self.say(fix.message)
        if message == fix.message and all(a is b for a, b in zip(edits, fix.edits, strict=True)):
            return fix
        return dataclasses.replace(fix, message=message, edits=edits)

    def edit(self, edit: Edit) -> Edit:
        """The edit with the text reports may show: secrets masked, unsafe characters
        escaped. An edit that puts a secret in, transformed past recognition, shows none."""
        shown = self.say(mask_text(edit.text), (edit.start, edit.end))
        if edit.text and shown == escape(edit.text) and self.secrets.touches(edit.start, edit.end):
            shown = MASK
        return edit if shown == edit.text else dataclasses.replace(edit, shown=shown)
