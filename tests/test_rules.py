"""Every rule: its documented examples run (bad fires at an exact place, good is clean), it
can be suppressed, and the generated docs are current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import cli
from nexlint.docs import rules_markdown
from nexlint.registry import registry

from .helpers import REPO

BUILTIN = [r for r in registry().values() if r.origin.startswith("nexlint")]
CODES = [r.code for r in BUILTIN]

# Where each rule's documented bad example is reported: (line, column, end_line, end_column).
# Each was checked against the example's text: the range covers exactly the offending
# characters named in the contract's "where a diagnostic points".
BAD_EXAMPLE_AT = {
    "NXL001": (7, 1, 7, 1),  # end of stream, inside the unclosed quote
    "NXL002": (8, 7, 8, 19),  # the later `servicePorts` key
    "NXL003": (3, 3, 3, 7),  # `pods` keyed by name
    "NXL004": (5, 14, 5, 45),  # the tag
    "NXL005": (9, 16, 9, 19),  # yes
    "NXL006": (1, 7, 1, 10),  # 1.3
    "NXL007": (1, 1, 1, 1),  # the top of the file
    "NXL101": (4, 7, 4, 11),  # the pod's first key
    "NXL102": (7, 7, 7, 19),  # serviceports
    "NXL103": (7, 21, 7, 23),  # 80
    "NXL104": (2, 9, 2, 13),  # Shop
    "NXL105": (7, 22, 7, 27),  # 70000
    "NXL201": (3, 3, 3, 7),  # the pods key
    "NXL202": (8, 13, 8, 16),  # the later "web"
    "NXL203": (4, 13, 4, 23),  # Web_Server
    "NXL204": (9, 28, 9, 37),  # redis.pod
    "NXL205": (9, 28, 9, 37),  # cache.pod (of cache.pod:6380)
    "NXL206": (10, 13, 10, 14),  # the later "/"
    "NXL207": (6, 13, 6, 16),  # api
    "NXL208": (9, 37, 9, 44),  # api.pod
    "NXL209": (9, 28, 9, 37),  # localhost
    "NXL210": (8, 7, 8, 15),  # the replicas key
    "NXL211": (9, 18, 9, 21),  # www
    "NXL212": (9, 28, 9, 41),  # ${cache:6379}
    "NXL213": (9, 25, 9, 28),  # api (of http://api:8000/v1)
    "NXL214": (5, 14, 5, 28),  # node:20-alpine
    "NXL301": (5, 14, 5, 28),  # <% REGISTRY %>
    "NXL302": (9, 14, 9, 34),  # ghcr.io/acme/web:1.0
    "NXL303": (9, 22, 9, 32),  # <% HOST %>
    "NXL304": (5, 14, 5, 19),  # nginx
    "NXL305": (5, 14, 5, 26),  # nginx:latest
    "NXL306": (9, 18, 9, 25),  # <%URL%>
    "NXL307": (5, 14, 5, 36),  # "# filled by pipeline", quotes included
    "NXL308": (5, 14, 5, 38),  # ttl.sh/acme-web-4f2a:24h
    "NXL309": (9, 24, 9, 33),  # <% URL %>
    "NXL310": (9, 30, 9, 67),  # relaxed-weasel-shop.cloud.nexlayer.ai
    "NXL401": (16, 22, 16, 46),  # /var/lib/postgresql/data
    "NXL402": (12, 17, 12, 21),  # the later volume name
    "NXL403": (11, 22, 11, 26),  # data
    "NXL404": (16, 22, 16, 27),  # /data
    "NXL405": (9, 14, 9, 25),  # postgres:16
    "NXL501": (6, 26, 6, 64),  # the token
    "NXL502": (9, 25, 9, 39),  # the literal
    "NXL503": (9, 25, 9, 40),  # your-stripe-key
    "NXL504": (9, 9, 9, 38),  # NEXT_PUBLIC_STRIPE_SECRET_KEY, the var's key
    "NXL901": (5, 26, 5, 51),  # the directive
    "NXL902": (5, 21, 5, 45),  # the directive
}


def test_every_builtin_rule_has_a_position_check() -> None:
    assert sorted(BAD_EXAMPLE_AT) == sorted(CODES)


@pytest.mark.parametrize("code", CODES)
def test_docs_say_why_with_a_bad_and_a_good_example(code: str) -> None:
    rule = registry()[code]
    assert rule.doc.startswith("Why: ")
    assert rule.examples()["bad"] and rule.examples()["good"]
    assert re.match(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", rule.name)


@pytest.mark.parametrize("code", CODES)
def test_bad_example_fires_at_the_exact_range(code: str) -> None:
    bad = registry()[code].examples()["bad"][0]
    mine = [d for d in nexlint.lint(bad) if d.code == code]
    assert mine, f"{code}'s bad example does not fire"
    d = mine[0]
    assert (d.line, d.column, d.end_line, d.end_column) == BAD_EXAMPLE_AT[code]
    assert d.name == registry()[code].name
    assert d.url.endswith("#" + code.lower())


@pytest.mark.parametrize("code", CODES)
def test_good_example_is_clean(code: str) -> None:
    for good in registry()[code].examples()["good"]:
        assert nexlint.lint(good) == []


def _suppress(text: str, code: str, line: int) -> str:
    lines = text.splitlines(keepends=True)
    if code in ("NXL901", "NXL902"):
        return f"# nexlint: disable-file={code}\n" + text
    lines.insert(line - 1, f"# nexlint: disable-next-line={code}\n")
    return "".join(lines)


# NXL007 stands for the diagnostics the cap cut: no directive hides it (test_limits.py).
@pytest.mark.parametrize("code", [code for code in CODES if code != "NXL007"])
def test_a_directive_suppresses_it(code: str) -> None:
    bad = registry()[code].examples()["bad"][0]
    line = BAD_EXAMPLE_AT[code][0]
    before = nexlint.lint(bad)
    after = nexlint.lint(_suppress(bad, code, line))
    assert not [d for d in after if d.code == code and d.line == line + 1]
    assert not [d for d in after if d.code in ("NXL901", "NXL902") and d.code != code]
    if code not in ("NXL001", "NXL901", "NXL902"):
        others = sorted((d.code, d.message) for d in before if d.code != code)
        assert sorted((d.code, d.message) for d in after) == others


def test_same_line_and_whole_file_directives() -> None:
    bad = registry()["NXL304"].examples()["bad"][0]
    same_line = bad.replace("image: nginx\n", "image: nginx  # nexlint: disable=NXL304\n")
    assert nexlint.lint(same_line) == []
    whole = "# nexlint: disable-file\n" + bad
    assert nexlint.lint(whole) == []
    prefix = bad.replace("image: nginx\n", "image: nginx  # nexlint: disable=NXL3\n")
    assert nexlint.lint(prefix) == []


def test_directive_inside_a_string_is_not_a_directive() -> None:
    bad = registry()["NXL203"].examples()["bad"][0]
    text = bad.replace("path: /", 'path: "/#  nexlint: disable-file"')
    assert [d.code for d in nexlint.lint(text)] == ["NXL203"]


def test_bad_directives() -> None:
    base = registry()["NXL304"].examples()["bad"][0]
    typo = base.replace("image: nginx\n", "image: nginx  # nexlint: disabel=NXL304\n")
    [d304, d902] = sorted(nexlint.lint(typo), key=lambda d: d.code)
    assert (d304.code, d902.code) == ("NXL304", "NXL902")
    assert d902.message.startswith('unknown nexlint directive "disabel"')
    glued = base.replace("image: nginx\n", "image: nginx  # nexlint: disable=NXL304;NXL305\n")
    assert "malformed" in next(d for d in nexlint.lint(glued) if d.code == "NXL902").message


def test_unused_directive_for_a_code_not_checked_is_not_reported() -> None:
    good = registry()["NXL304"].examples()["good"][0]
    text = good.replace("image: nginx:1.27\n", "image: nginx:1.27  # nexlint: disable=NXL304\n")
    assert [d.code for d in nexlint.lint(text)] == ["NXL901"]
    config = nexlint.Config(ignore=("NXL304",))
    assert nexlint.lint(text, config=config) == []


def test_docs_file_is_current() -> None:
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(BUILTIN), "run: python -m nexlint.docs > docs/rules.md"


def test_rule_command_prints_the_docs() -> None:
    result = CliRunner().invoke(cli, ["rule", "nxl204"])
    assert result.exit_code == 0
    assert registry()["NXL204"].doc in result.stdout
    by_name = CliRunner().invoke(cli, ["rule", "unknown-pod-reference"])
    assert by_name.stdout == result.stdout


def test_rules_table_lists_every_rule() -> None:
    out = CliRunner().invoke(cli, ["rules"]).stdout
    for rule in BUILTIN:
        assert re.search(rf"^{rule.code} +{rule.name} +{rule.severity.value}", out, re.M)
    assert re.search(r"^NXL005 +ambiguous-scalar +warning +fix ", out, re.M)


# -- fixture files: tests/fixtures/rules/*.yaml, expectations written in the file --------------

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "rules").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (NXL\d{3}) (\d+):(\d+)-(\d+):(\d+)$", re.M)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = sorted((c, int(a), int(b), int(e), int(f)) for c, a, b, e, f in EXPECT.findall(text))
    actual = sorted(
        (d.code, d.line, d.column, d.end_line, d.end_column) for d in nexlint.lint_file(path)
    )
    assert actual == expected


def test_fixtures_exist_for_the_rules() -> None:
    covered = {m for p in FIXTURES for m in EXPECT.findall(p.read_text())}
    codes = {c[0] for c in covered}
    assert {"NXL204", "NXL205", "NXL303", "NXL306", "NXL401", "NXL404", "NXL005"} <= codes


def test_docs_module_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "nexlint.docs"], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("# nexlint rules\n")


def test_a_directive_without_equals_is_bad_not_a_blanket_disable() -> None:
    base = registry()["NXL304"].examples()["bad"][0]
    typo = base.replace("image: nginx\n", "image: nginx  # nexlint: disable NXL304\n")
    assert sorted((d.code, d.line, d.column) for d in nexlint.lint(typo)) == [
        ("NXL304", 5, 14),  # still reported
        ("NXL902", 5, 21),
    ]
    reason = base.replace("image: nginx\n", "image: nginx  # nexlint: disable=NXL304 -- legacy\n")
    assert nexlint.lint(reason) == []


def test_an_unused_directive_is_a_warning_and_does_not_fail_the_run(tmp_path: Path) -> None:
    good = registry()["NXL304"].examples()["good"][0]
    text = good.replace("image: nginx:1.27\n", "image: nginx:1.27  # nexlint: disable=NXL304\n")
    [unused] = nexlint.lint(text)
    assert (unused.code, unused.severity) == ("NXL901", nexlint.Severity.WARNING)
    (tmp_path / "nexlayer.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(tmp_path / "nexlayer.yaml")])
    assert result.exit_code == 0


def fixes_offered() -> set[str]:
    """The codes whose findings carry a fix, over every documented example and fixture."""
    texts = [t for r in BUILTIN for kind in ("bad", "good") for t in r.examples()[kind]]
    texts += [path.read_text() for path in FIXTURES]
    texts += [
        (REPO / "examples" / "nexlayer.yaml").read_text(),
        VALID_ENV_FILE,
    ]
    return {d.code for text in texts for d in nexlint.lint(text) if d.fix is not None}


VALID_ENV_FILE = (
    "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1.27\n"
    "      path: /\n      servicePorts: [80]\n      env:\n        A: b\n"
)


def test_fixable_metadata_matches_what_rules_do() -> None:
    """`fixable` in `nexlint rules`, docs/rules.md and SARIF is what a rule does: every rule
    that offers a fix says so, and every rule that says so offers one on its examples."""
    declared = {r.code for r in registry().values() if r.fixable}
    assert declared == fixes_offered()
    assert "NXL102" in declared


def test_a_long_image_keeps_its_tag_in_the_message() -> None:
    image = "ghcr.io/some-organisation/some-very-long-image-name:latest"
    text = VALID_ENV_FILE.replace("nginx:1.27", image).replace("      env:\n        A: b\n", "")
    [d] = nexlint.lint(text)
    shown = '"…tion/some-very-long-image-name:latest"'
    assert d.message == f"image {shown} uses the mutable tag latest"
    assert len(shown) == 40


@pytest.mark.parametrize(
    ("reference", "help"),
    [
        ("apii.pod", 'did you mean "api.pod"? reachable pods: web.pod, api.pod'),  # one typo
        ("API.pod", 'did you mean "api.pod"? reachable pods: web.pod, api.pod'),  # same letters
        ("cache.pod", "reachable pods: web.pod, api.pod"),  # nothing close: no guess
        ("worker.pod", "reachable pods: web.pod, api.pod"),  # a letter or two in common
    ],
)
def test_did_you_mean_only_when_close(reference: str, help: str) -> None:
    text = VALID_ENV_FILE.replace("env:\n        A: b", f"vars:\n        UP: http://{reference}:80")
    text += "    - name: api\n      image: nginx:1.27\n      servicePorts: [80]\n"
    [d] = [d for d in nexlint.lint(text) if d.code == "NXL204"]
    assert d.help == help


# -- rules/testdata/<code>.yaml: one file for every rule, `# expect:` lines for its code ------

TESTDATA = REPO / "rules" / "testdata"


@pytest.mark.parametrize("code", sorted(registry()))
def test_every_rule_has_its_testdata(code: str) -> None:
    """actionlint's style: a file of cases for each rule, beside the rules, with the exact
    ranges its code must report (and nothing more of that code)."""
    path = TESTDATA / f"{code.lower()}.yaml"
    if registry()[code].origin.startswith("nexlint"):
        assert path.is_file(), f"{path} is missing"
    text = path.read_text(encoding="utf-8")
    expected = sorted((c, int(a), int(b), int(e), int(f)) for c, a, b, e, f in EXPECT.findall(text))
    assert expected, f"{path} expects nothing"
    assert {c for c, *_ in expected} == {code}
    actual = sorted(
        (d.code, d.line, d.column, d.end_line, d.end_column)
        for d in nexlint.lint(text)
        if d.code == code
    )
    assert actual == expected
