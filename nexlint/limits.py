"""NXL007: what one file can produce is capped (``max-diagnostics``, 1,000 by default), so
a mistake that aliases repeat, or a file full of them, cannot flood a report, an editor or a
code-scanning upload. Past the cap the most severe are kept, and one more diagnostic says how
many were cut."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Sequence

from nexlint.diagnostics import Severity
from nexlint.findings import Finding
from nexlint.rule_api import engine_rule

TOO_MANY = engine_rule(
    "NXL007",
    "too-many-diagnostics",
    "a file has more diagnostics than max-diagnostics: the most severe are shown, and this "
    "one says how many more were cut (as severe as the worst of them)",
    """
Why: one mistake that YAML aliases repeat, or a generated file full of them, can give tens
of thousands of diagnostics: a report nobody reads, an editor that stalls, a SARIF upload
code scanning refuses. Past `max-diagnostics` (a setting, 1000 by default; `--max-diagnostics
N` on the command line) a file shows the most severe -- errors, then warnings, then infos,
each in file order -- and this diagnostic, at the top of the file, says how many more there
are. It is as severe as the most severe it cut, so `--fail-on` sees what was cut. Selecting,
ignoring or suppressing it does not lift the cap and does not hide it: a report that silently
held back findings would misstate the file. To see them all, raise `max-diagnostics`.

Bad:

    application:
      name: shop
      pods:
        - &pod
          name: Web
          image: nginx
          path: api
          servicePorts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
          volumes: [&v {name: v, size: 1, mountPath: data}, *v, *v, *v, *v, *v, *v, *v]
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod
        - *pod

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          volumes: [{name: data, size: 1Gi, mountPath: /data}]
""",
)

# The codes this stage reports, for the registry (they are rules like any other for
# selection, severity, suppression and docs).
RULES = (TOO_MANY,)

SeverityOf = Callable[[str], Severity]


def limit(findings: Sequence[Finding], most: int, severity_of: SeverityOf) -> list[Finding]:
    """At most ``most`` findings, the most severe (in file order within a severity), and,
    when some were cut, one NXL007 that says how many. A finding repeated counts once, as
    it is shown once. ``severity_of`` gives a code's configured severity."""
    unique: dict[tuple[object, ...], Finding] = {}
    for finding in findings:
        unique.setdefault(_identity(finding), finding)
    if len(unique) <= most:
        return list(findings)
    levels = {code: severity_of(code) for code in {f.code for f in unique.values()}}

    def rank(finding: Finding) -> tuple[int, int, str, str]:
        return (-levels[finding.code].rank, finding.start, finding.code, finding.message)

    kept = heapq.nsmallest(most, unique.values(), key=rank)
    cut = Counter(levels[f.code] for f in unique.values())
    cut.subtract(levels[f.code] for f in kept)
    return [*kept, _note(cut, most)]


def _identity(finding: Finding) -> tuple[object, ...]:
    """What tells two diagnostics apart (not their fixes)."""
    f = finding
    return (f.code, f.message, f.start, max(f.end, f.start), f.pointer, f.help)


def _note(cut: Counter[Severity], most: int) -> Finding:
    total = sum(cut.values())
    worst = max((level for level in cut if cut[level]), key=lambda level: level.rank)
    counts = ", ".join(
        _plural(cut[level], level.value)
        for level in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if cut[level]
    )
    more = "diagnostic in this file was" if total == 1 else "diagnostics in this file were"
    return Finding(
        TOO_MANY.code,
        f"{total:,} more {more} not shown (max-diagnostics = {most})",
        0,
        0,
        help=(
            f"the {most:,} most severe are shown; not shown: {counts}. To see them, raise the "
            f"cap: --max-diagnostics {most + total}, or max-diagnostics in the config"
        ),
        severity=worst,
    )


def _plural(count: int, level: str) -> str:
    if level == "info":
        return f"{count:,} info"
    return f"{count:,} {level}" + ("" if count == 1 else "s")
