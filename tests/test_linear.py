"""Every pattern linear (issue 19, item 2): no regex of nexlint or of its rules has a shape
that backtracks superlinearly; none takes superlinear time on strings built from its own
pieces, nor on strings hypothesis finds; and no rule does on a file that holds such strings.

Times are CPU times (process_time) at n and 4n, n grown until a run takes 10 ms, the best
of 3 runs (of up to 15 while over the limit): a linear cost grows 4x, a quadratic one 16x,
and 5x leaves room for noise on a shared machine. A text that still runs in under 10 ms at
the largest n passes: no superlinear shape is that fast there.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nexlint

from .helpers import REPO
from .linearity import (
    LIMIT,
    Attack,
    Growth,
    Site,
    alphabet,
    attacks,
    cpu,
    growth,
    problems,
    repeated_matches,
    runner,
    runs,
    schema_sites,
    sites,
)

SITES = sites() + schema_sites()
IDS = [site.id for site in SITES]
MAX_GROWTH = LIMIT
# characters: a text this long that still runs in under 10 ms reads each character a few
# times at most (a quadratic shape would take seconds)
CAP = 1 << 16
EXAMPLES = 24  # hypothesis examples per pattern
SEARCH_CAP = 1 << 14  # characters: hypothesis tries many texts, each up to this long


def _by_id(site_id: str) -> Site:
    return next(site for site in SITES if site.id == site_id)


def _shown(growth_ratio: float | None) -> str:
    return "too fast to measure" if growth_ratio is None else f"{growth_ratio:.1f}x"


# -- what is checked ------------------------------------------------------------------------


def test_every_module_pattern_is_collected() -> None:
    ids = set(IDS)
    # module globals, in rules and in the engine, in tuples, in the language server
    for expected in (
        "nexlint.rules._placeholders:PLACEHOLDER",
        "nexlint.view:POD_REFERENCE",
        "nexlint.rules.nxl501_registry_token_literal:TOKEN_KINDS[0][0]",
        "nexlint.suppressions:_COMMENT",
        "nexlint.secrets:_FLOW_KEY",
        "nexlint.lsp.hover:_CODE",
        "nexlayer.schema.json:/definitions/pod/properties/image/pattern",
    ):
        assert expected in ids, sorted(ids)
    # how the code uses them: `value.find(P)` searches, `P.match(...)` only matches
    assert _by_id("nexlint.rules._placeholders:PLACEHOLDER").uses == {"find"}
    assert _by_id("nexlint.cparse:_BLANK").uses == {"match"}


def _inline_patterns(path: Path) -> list[str]:
    """`re.search("...", text)` and `re.compile("...")` inside a function: patterns no module
    constant holds, which the checks below would not see."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: re.{node.func.attr}")
    return found


def test_no_inline_patterns() -> None:
    files = sorted([*(REPO / "nexlint").rglob("*.py"), *(REPO / "rules").glob("*.py")])
    found = [line for path in files for line in _inline_patterns(path)]
    assert found == []


# -- (a) the shape of every pattern ---------------------------------------------------------


@pytest.mark.parametrize("site", SITES, ids=IDS)
def test_pattern_shape_is_linear(site: Site) -> None:
    found = problems(site.pattern, site.uses)
    assert not found, (
        f"{site.module}, {site.name} = {site.pattern.pattern!r} ({', '.join(sorted(site.uses))}): "
        + "; ".join(found)
    )


SUPERLINEAR = [
    r"<%\s*[^%]*?\s*%>",  # three repeats share the spaces: cubic
    r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>",  # PLACEHOLDER before #19
    r"(a+)+",
    r"(a*)*b",
    r"\s*.*",
    r"\d+\d+x",
    r"(?:a|a)*b",  # exponential: the parser reads it as a(?:|)
    r"(?:a|a?)*b",
    r"(?:\r\n|\r|\n)*x",
    r"(?:a{1,2})*b",
    r".*x.*",
    r"^.*x.*$",
    r"<%.*%>",  # searched: every `<%` reads the rest of the line
    r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]",  # NXL502's INDIRECT before #19
    r"\s*x",
    r"a*(?=a*b)",
    r"#[ \t]*nexlint[ \t]*:[ \t]*disable[ \t]*=[ \t]*[A-Za-z0-9, \t]*[A-Za-z0-9]",
    r":(?:[ ]+#[^\r\n]*|[ ]*)(?=\r?\n|\Z)",  # every `:` before a lone \r read the line
]

LINEAR = [
    r"^(?:[a-z]+\.)*[a-z]+$",  # the repeat's body ends in a `.` its inner repeat cannot take
    r"<%[^%<>]*+%>",
    r"\S+",
    r"[^a-z0-9-]+",  # searched, but a run always matches: one start per run
    r"^[a-z][a-z0-9-]{1,63}$",
    r"(?<![\w.\-])[A-Za-z0-9][A-Za-z0-9_\-]*\.pod",  # starts only where a run starts
    r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*+://",
    r"[ \t]*(?:-[ \t]+)*",  # each iteration starts with `-`, which the spaces are not
    r"a*b*",
    r":(?!:)\s*+[,}\]]",
    r"^(?:ab|ac)*$",  # the alternatives part at their second character
    r"x\s*y",
    r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$",  # however a line ends, one of them matches
    r":(?:[ ]+#[^\r\n]*|[ ]*)(?=[\r\n]|\Z)",
    r"^[ \t]*(?P<kind>[A-Za-z][\w-]*+)(?P<rest>.*)$",  # possessive: gives nothing back
]


@pytest.mark.parametrize("pattern", SUPERLINEAR)
def test_checker_flags_superlinear_shapes(pattern: str) -> None:
    assert problems(re.compile(pattern))


@pytest.mark.parametrize("pattern", LINEAR)
def test_checker_lets_linear_shapes_through(pattern: str) -> None:
    assert problems(re.compile(pattern)) == []


def test_checker_names_the_shape() -> None:
    assert problems(re.compile(r"(a+)+")) == [
        "nested repeats: a repeat of [a] inside a repeat can share a stretch with the next "
        "iteration"
    ]
    assert problems(re.compile(r"^ *[ a]*$")) == [
        "adjacent repeats: a repeat of [ ] then a repeat of [ a] can take the same characters"
    ]
    assert problems(re.compile(r"<%.*%>")) == [
        "searched: every start inside a run of a repeat of [^\\n] reads the rest of the run "
        "and then fails"
    ]
    assert problems(re.compile(r"<%.*%>"), frozenset({"match"})) == []


# -- (b) how the time of every pattern grows ------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "uses"),
    [
        (r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>", {"find"}),
        (r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]", {"search"}),
        (r"#[ \t]*nexlint[ \t]*:[ \t]*disable[ \t]*=[ \t]*[A-Za-z0-9, \t]*[A-Za-z0-9]", {"search"}),
    ],
)
def test_growth_measure_sees_superlinear_patterns(pattern: str, uses: set[str]) -> None:
    compiled = re.compile(pattern)
    run = runner(compiled, frozenset(uses))
    ratios = (growth(run, attack.at, CAP).ratio for attack in attacks(compiled))
    assert any(ratio is not None and ratio > MAX_GROWTH for ratio in ratios)


@pytest.mark.parametrize("site", SITES, ids=IDS)
def test_pattern_time_grows_linearly(site: Site) -> None:
    run = runner(site.pattern, site.uses)
    for attack in attacks(site.pattern):
        measured = growth(run, attack.at, CAP)
        ratio = measured.ratio
        assert ratio is None or ratio <= MAX_GROWTH, (
            f"{site.id} {site.pattern.pattern!r} on {attack}: {_shown(ratio)} from "
            f"{measured.size // 4} to {measured.size} characters"
        )


@pytest.mark.parametrize("site", SITES, ids=IDS)
def test_no_slow_string_found(site: Site) -> None:
    """Random texts over the pattern's own characters, a prefix then a unit repeated."""
    pieces = st.sampled_from(alphabet(site.pattern))
    run = runner(site.pattern, site.uses)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(pieces, max_size=3).map("".join),
        st.lists(pieces, min_size=1, max_size=6).map("".join),
        st.lists(pieces, max_size=2).map("".join),
    )
    def check(prefix: str, unit: str, suffix: str) -> None:
        attack = Attack(prefix, unit, suffix)
        measured = growth(run, attack.at, SEARCH_CAP)
        assert measured.ratio is None or measured.ratio <= MAX_GROWTH, (
            f"{site.id} on {attack}: {_shown(measured.ratio)}"
        )

    check()


# -- every rule, end to end -----------------------------------------------------------------

# Every place of a file a hostile string can stand, each holding it (`{s}`: as a YAML string,
# `{c}`: in a comment): values of vars plain, secret and browser-read, a var's name, a URL's
# password, image, path, command, mountPath, secret data, the registry token. (A key longer
# than 1024 characters must be written `? key`, which the slower parser reads: KEY below.)
APP = """\
application:
  name: shop
  registryLogin:
    registry: ghcr.io
    username: acme
    personalAccessToken: {s}
  pods:
    - name: web
      image: {s}
      path: {s}
      servicePorts: [80]  # {c}
      command: {s}
      vars:
        API_URL: {s}
        DB_PASSWORD: {s}
        NEXT_PUBLIC_SECRET_URL: {s}
        DATABASE_URL: {url}
      volumes:
        - name: data
          size: 1Gi
          mountPath: {s}
      secrets:
        - name: s
          data: {s}
          mountPath: /s
          fileName: f
    - name: db
      image: postgres:16
      servicePorts: [5432]
      vars:
        - key: {s}
          value: <% URL %>
"""


def _file(text: str) -> str:
    comment = "".join(c if c.isprintable() else " " for c in text)
    return APP.format(
        s=json.dumps(text),  # a JSON string is a YAML double-quoted one
        c=comment,
        url=json.dumps(f"postgres://app:{text}@db.pod:5432/app"),
    )


def _rule_attacks() -> list[Attack]:
    """What hurts the rules' own patterns, and the pod references and directives they lean
    on: each one's match, repeated; a long run of what each repeat takes (the patterns
    themselves are tried on what leads to it, above)."""
    modules = ("nexlint.rules.", "nexlint.view", "nexlint.suppressions")
    found: dict[tuple[str, str], Attack] = {}
    for site in SITES:
        if site.module.startswith(modules):
            for attack in repeated_matches(site.pattern):
                found.setdefault((attack.prefix, attack.unit), attack)
            for attack in runs(site.pattern):
                found.setdefault((attack.unit, attack.suffix), attack)
    return list(found.values())


RULE_ATTACKS = _rule_attacks()


def test_the_file_is_read() -> None:
    """The hostile file is YAML every rule reads: no syntax error hides the rules."""
    for attack in RULE_ATTACKS:
        codes = {d.code for d in nexlint.lint(_file(attack.at(100)))}
        assert "NXL001" not in codes, attack
    codes = {d.code for d in nexlint.lint(_file("<% HOST %> db.pod:1 redis.pod http://web:80"))}
    assert {"NXL204", "NXL205", "NXL213", "NXL303"} <= codes


@functools.cache
def _base() -> float:
    """What linting the file costs without the hostile text."""
    return min(cpu(nexlint.lint, _file("x")) for _ in range(5))


def _file_growth(attack: Attack, start: int = 256) -> Growth:
    return growth(
        lambda text: nexlint.lint(_file(text)), attack.at, 1 << 16, start=start, base=_base()
    )


@pytest.mark.parametrize("attack", RULE_ATTACKS, ids=[repr(a.at(0)) for a in RULE_ATTACKS])
def test_rule_time_grows_linearly(attack: Attack) -> None:
    measured = _file_growth(attack)
    ratio = measured.ratio
    assert ratio is None or ratio <= MAX_GROWTH, (
        f"{attack} in every place of a file: {_shown(ratio)} from {measured.size // 4} to "
        f"{measured.size} characters"
    )


KEY = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx:1.27
      path: /
      servicePorts: [80]
      ? {s}
      : 1
"""
# A key reaches the schema check and its suggestion of a known key (NXL102), not the rules'
# patterns: a run of letters, of spaces, a rule's literal and a rule's match, repeated.
KEY_ATTACKS = [
    Attack("", "a", ""),
    Attack("a", " ", "a"),
    Attack("", "<%", ""),
    Attack("", "<% URL %> ", ""),
]


@pytest.mark.parametrize("attack", KEY_ATTACKS, ids=[repr(a.at(0)) for a in KEY_ATTACKS])
def test_key_time_grows_linearly(attack: Attack) -> None:
    def lint(text: str) -> object:
        return nexlint.lint(KEY.format(s=json.dumps(text)))

    base = min(cpu(lint, "x") for _ in range(5))
    measured = growth(lint, attack.at, 1 << 16, start=256, base=base)
    ratio = measured.ratio
    assert ratio is None or ratio <= MAX_GROWTH, f"{attack} as a key: {_shown(ratio)}"


def test_rule_growth_measure_sees_a_superlinear_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """NXL303 with the placeholder pattern it had before issue 19: the file shows it."""
    from nexlint.rules import nxl303_unknown_template as nxl303

    monkeypatch.setattr(nxl303, "PLACEHOLDER", re.compile(r"<%(?P<body>\s*[^%<>]*?\s*)%>"))
    measured = _file_growth(Attack("<%", " ", ""), start=32)
    assert measured.ratio is not None and measured.ratio > MAX_GROWTH


# -- the linear forms read texts as the patterns they replace did ---------------------------

OLD_PLACEHOLDER = re.compile(r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>")
OLD_INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]")
OLD_BROWSER_INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}")
OLD_LINE_DIRECTIVE = re.compile(
    r"#[ \t]*nexlint[ \t]*:[ \t]*disable[ \t]*=[ \t]*[A-Za-z0-9, \t]*[A-Za-z0-9]"
)
OLD_BODY = re.compile(
    r"^[ \t]*(?P<kind>[A-Za-z][\w-]*)(?:[ \t]*=[ \t]*(?P<codes>[A-Za-z0-9]+(?:[ \t]*,[ \t]*"
    r"[A-Za-z0-9]+)*))?(?P<rest>.*)$"
)
OLD_COLON_AT_END = re.compile(r":(?:[ ]+#[^\r\n]*|[ ]*)(?=\r?\n|\Z)")
SHORT = settings(max_examples=300, deadline=None)


@SHORT
@given(st.text(alphabet="<%> \t\u3000AB_\n", max_size=24))
def test_placeholders_read_as_before(text: str) -> None:
    from nexlint.rules._placeholders import PLACEHOLDER, placeholder_parts

    old = [(m.span(), m.group("before", "name", "after")) for m in OLD_PLACEHOLDER.finditer(text)]
    new = [(m.span(), placeholder_parts(m)) for m in PLACEHOLDER.finditer(text)]
    assert new == old


@SHORT
@given(st.text(alphabet="<%>${}\n\r \taA_1", max_size=24))
def test_references_read_as_before(text: str) -> None:
    from nexlint.rules._placeholders import is_indirect
    from nexlint.rules.nxl502_secret_in_vars import _indirect

    assert _indirect(text) == (OLD_INDIRECT.search(text) is not None)
    assert is_indirect(text) == (OLD_BROWSER_INDIRECT.search(text) is not None)


@SHORT
@given(st.text(alphabet="# \tnexlint:disable=-fiA0,x\n", max_size=40))
def test_directives_read_as_before(text: str) -> None:
    from nexlint import suppressions

    def span(match: re.Match[str] | None) -> tuple[int, int] | None:
        return match.span() if match else None

    assert span(suppressions._LINE_DIRECTIVE.search(text)) == span(OLD_LINE_DIRECTIVE.search(text))
    body = text.split("\n")[0]
    old, new = OLD_BODY.match(body), suppressions._BODY.match(body)
    assert (new and new.groupdict()) == (old and old.groupdict())


@SHORT
@given(st.text(alphabet=": #a\n\r", max_size=30))
def test_colons_at_line_ends_read_as_before(text: str) -> None:
    """Where no lone \\r is: cparse sends every text that holds one to the other parser."""
    from nexlint.cparse import _COLON_AT_END

    text = text.replace("\r\n", "\n").replace("\r", "\r\n")
    old = [m.span() for m in OLD_COLON_AT_END.finditer(text)]
    assert [m.span() for m in _COLON_AT_END.finditer(text)] == old
