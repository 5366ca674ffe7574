"""Inline directives in YAML comments:

    image: nginx        # nexlint: disable=NXL304          (this line)
    # nexlint: disable-next-line=NXL204,NXL205             (the next line)
    # nexlint: disable-file=NXL304                         (the whole file)

Without ``=CODES`` a directive covers every rule. A diagnostic belongs to the line it starts
on. A directive that suppressed nothing is NXL901; one that cannot be read is NXL902.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from nexlint.diagnostics import Edit, Severity
from nexlint.display import clip
from nexlint.document import MAPPING, SCALAR, SEQUENCE, Document, Node
from nexlint.findings import Finding
from nexlint.rule_api import engine_rule
from nexlint.source import line_end, line_start

UNUSED_SUPPRESSION = engine_rule(
    "NXL901",
    "unused-suppression",
    "a nexlint directive that suppressed nothing",
    """
Why: a `# nexlint: disable...` comment that no longer suppresses anything hides nothing
today but will silently hide a real finding tomorrow. Remove it, or the code in it that
suppressed nothing. Codes the configuration does not check are not counted.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]
""",
    Severity.WARNING,
)


BAD_DIRECTIVE = engine_rule(
    "NXL902",
    "bad-directive",
    "a nexlint directive with bad syntax or an unknown code",
    """
Why: a directive that cannot be read suppresses nothing, so the finding it was meant to
silence stays, or, worse, a typo in a code silences nothing while looking as if it did.
Directives are `disable`, `disable-next-line` and `disable-file`, optionally followed by
`=CODE,CODE`.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL34
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]
""",
)


# The codes this stage reports, for the registry (they are rules like any other for
# selection, severity, suppression and docs).
RULES = (UNUSED_SUPPRESSION, BAD_DIRECTIVE)

KINDS = ("disable", "disable-next-line", "disable-file")
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[ \t]*nexlint[ \t]*:(?P<body>[^\r\n]*)", re.MULTILINE)
# The kind and the codes never give back what they took to `rest` (a body holds no line
# break, so `rest` always matches): nothing is tried twice.
_BODY = re.compile(
    r"^[ \t]*(?P<kind>[A-Za-z][\w-]*+)(?:[ \t]*=[ \t]*(?P<codes>[A-Za-z0-9]++(?:[ \t]*,[ \t]*"
    r"[A-Za-z0-9]++)*+))?(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Directive:
    kind: str
    codes: tuple[str, ...] | None  # None: every rule
    line: int  # the line the directive is written on
    start: int
    end: int

    def covers(self, code: str, line: int) -> bool:
        if self.target is not None and line != self.target:
            return False
        return self.codes is None or any(code.startswith(c) for c in self.codes)

    @property
    def target(self) -> int | None:
        """The line it covers; None for the whole file."""
        if self.kind == "disable-file":
            return None
        return self.line + 1 if self.kind == "disable-next-line" else self.line

    def scopes(self) -> list[Key]:
        """Where and what it covers, one key per code (or prefix) it names."""
        return [(self.target, code) for code in self.codes or (None,)]


def find_directives(doc: Document, known: Iterable[str]) -> tuple[list[Directive], list[Finding]]:
    """The directives of a file, and NXL902 findings for those that cannot be used."""
    text = doc.text
    if "nexlint" not in text:
        return [], []
    codes = prefixes(known)
    scalars = _scalar_spans(doc.root) if doc.root is not None else []
    directives: list[Directive] = []
    problems: list[Finding] = []
    for match in _COMMENT.finditer(text):
        start, end = match.start(), match.end()
        if _inside(start, scalars):
            continue  # a '#' inside a string is not a comment
        body = _BODY.match(match.group("body"))
        line = doc.lines.position(start)[0]
        problem = _problem(body, match.group("body"), codes)
        if problem is not None:
            message, help = problem
            problems.append(Finding(BAD_DIRECTIVE.code, message, start, end, help=help))
            continue
        assert body is not None
        listed = body.group("codes")
        selected = tuple(c.strip().upper() for c in listed.split(",")) if listed else None
        directives.append(Directive(body.group("kind"), selected, line, start, end))
    return directives, problems


def prefixes(codes: Iterable[str]) -> set[str]:
    """Every code and every prefix of one: a selector names rules iff it is among them."""
    return {code[:size] for code in codes for size in range(1, len(code) + 1)}


def _problem(
    body: re.Match[str] | None, written: str, codes: set[str]
) -> tuple[str, str | None] | None:
    """Why a directive cannot be used (message, help), or None. ``codes``: the known codes
    and their prefixes."""
    if body is None or body.group("kind") not in KINDS:
        word = body.group("kind") if body else written.strip()
        return (
            f'unknown nexlint directive "{clip(word)}"; use disable, disable-next-line or '
            "disable-file",
            None,
        )
    rest = body.group("rest").strip()
    # Anything after the directive but a reason (after "--" or "#") is a mistake:
    # `disable NXL305` must not read as "disable every rule".
    if rest and not rest.startswith(("--", "#")):
        return "malformed nexlint directive: write codes as disable=NXL204,NXL205", None
    listed = body.group("codes")
    selected = [c.strip().upper() for c in listed.split(",")] if listed else []
    unknown = [c for c in selected if c not in codes]
    if unknown:
        return (
            f"unknown rule code {', '.join(unknown)} in nexlint directive",
            "`nexlint rules` lists the codes",
        )
    return None


# A directive covers a line (None: the whole file) for a code or prefix (None: every code).
# Directives with the same key cover exactly the same findings, so what was used is kept per
# key, and a finding is looked up by its few keys, never against every directive.
Key = tuple[int | None, str | None]
Used = dict[Key, set[str]]  # the codes each key suppressed


def apply(
    findings: Iterable[Finding], directives: list[Directive], line_of: Callable[[int], int]
) -> tuple[list[Finding], Used]:
    """The findings no directive covers (a finding belongs to the line it starts on), and
    which codes each directive's keys suppressed."""
    keys = {key for directive in directives for key in directive.scopes()}
    kept: list[Finding] = []
    used: Used = {}
    for finding in findings:
        line = line_of(finding.start)
        code = finding.code
        covered = False
        for selector in (None, *(code[:size] for size in range(1, len(code) + 1))):
            for key in ((line, selector), (None, selector)):
                if key in keys:
                    used.setdefault(key, set()).add(code)
                    covered = True
        if not covered:
            kept.append(finding)
    return kept, used


def unused(directives: list[Directive], used: Used, enabled: Iterable[str]) -> list[Finding]:
    """NXL901 for each directive, or code in one, that suppressed nothing -- none at all
    when a `disable-file` directive covers NXL901. Codes the configuration does not check
    are not counted: the directive may matter elsewhere."""
    if any(d.target is None and d.covers(UNUSED_SUPPRESSION.code, 0) for d in directives):
        return []
    active = prefixes(enabled)
    findings = []
    for directive in directives:
        if directive.codes is None:
            if not used.get((directive.target, None)):
                findings.append(
                    Finding(
                        UNUSED_SUPPRESSION.code,
                        "this nexlint directive suppressed nothing",
                        directive.start,
                        directive.end,
                        help="remove it",
                    )
                )
            continue
        idle = [
            code
            for code, key in zip(directive.codes, directive.scopes(), strict=True)
            if not used.get(key) and code in active
        ]
        if idle:
            findings.append(
                Finding(
                    UNUSED_SUPPRESSION.code,
                    f"{', '.join(idle)} in this nexlint directive suppressed nothing",
                    directive.start,
                    directive.end,
                    help="remove the code from the directive",
                )
            )
    return findings


def _scalar_spans(root: Node) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.kind == SCALAR:
            if node.end > node.start:
                spans.append((node.start, node.end))
        elif node.kind == SEQUENCE:
            stack.extend(node.items)
        elif node.kind == MAPPING:
            for key, value in node.entries:
                stack.append(key)
                stack.append(value)
    spans.sort()
    return spans


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Scalars do not overlap, so only the last one starting before ``offset`` can hold it."""
    index = bisect.bisect_left(spans, (offset, -1)) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


# -- writing directives (the editor's "disable NXLxxx" actions) ------------------------------

# The codes after `=` may start with spaces: one class holds both (a run of spaces shared
# out between two repeats made a long line quadratic).
_LINE_DIRECTIVE = re.compile(
    r"#[ \t]*nexlint[ \t]*:[ \t]*disable[ \t]*=[A-Za-z0-9, \t]*[A-Za-z0-9]"
)
_FILE_DIRECTIVE = re.compile(
    r"^#[ \t]*nexlint[ \t]*:[ \t]*disable-file[ \t]*=[A-Za-z0-9, \t]*[A-Za-z0-9]", re.M
)


def disable_on_line(doc: Document, offset: int, code: str) -> Edit | None:
    """The edit that silences ``code`` on the line holding ``offset``: the code added to a
    `# nexlint: disable=` already there, else `  # nexlint: disable=CODE` at the line's end.
    None where no comment can go: a line that ends inside a string spanning lines, or a
    file whose tree could not be read."""
    text = doc.text
    if doc.root is None:
        return None
    start, end = line_start(text, offset), line_end(text, offset)
    if _inside(end, _scalar_spans(doc.root)):
        return None
    body = text[start:end]
    existing = _LINE_DIRECTIVE.search(body)
    if existing is not None and not _inside(start + existing.start(), _scalar_spans(doc.root)):
        return Edit(start + existing.end(), start + existing.end(), f",{code}")
    content_end = start + len(body.rstrip(" \t"))
    return Edit(content_end, end, f"  # nexlint: disable={code}")


def disable_in_file(doc: Document, code: str) -> Edit:
    """The edit that silences ``code`` in the whole file: the code added to a
    `# nexlint: disable-file=` at the start of a line, else that directive as a first line."""
    existing = _FILE_DIRECTIVE.search(doc.text)
    if existing is not None:
        return Edit(existing.end(), existing.end(), f",{code}")
    break_ = "\r\n" if "\r\n" in doc.text else "\n"
    return Edit(0, 0, f"# nexlint: disable-file={code}{break_}")
