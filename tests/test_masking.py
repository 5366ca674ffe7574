"""One masking, applied last, to everything: a marker planted in every secret position of
every fixture never appears in any output -- any format, a report file, --diff, --fix's
report, --statistics, the cache on disk, the language server's diagnostics, code action
titles, outline and hover -- whatever rule quotes it, through an alias too."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import FORMAT_NAMES, cli
from nexlint.document import Document, Node, parse
from nexlint.registry import builtin_rules
from nexlint.rule_api import doc_examples
from nexlint.secrets import MASK, secrets_of, text_secret_spans

from .helpers import REPO, corpus_files, growth, yaml

# The contract's words (§3), written again here so that the test does not take the
# definition it checks from the code it checks.
SECRET_WORDS = ("PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE")
PROPERTY_WORDS = frozenset(
    {
        "EXPIRY",
        "EXPIRATION",
        "EXPIRES",
        "TTL",
        "LIFETIME",
        "DURATION",
        "AGE",
        "TIMEOUT",
        "LENGTH",
        "MIN",
        "MAX",
        "SIZE",
        "BITS",
        "ALGORITHM",
        "ALG",
        "TYPE",
        "NAME",
        "ID",
        "HEADER",
        "PREFIX",
        "ROTATION",
        "ENABLED",
        "REQUIRED",
        "POLICY",
        "URL",
        "PATH",
        "DIR",
        "FILE",
    }
)
URL_PASSWORD = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:([^\s@/]+)@")


def says_secret(name: str) -> bool:
    words = [
        w.upper()
        for part in re.split(r"[^A-Za-z0-9]+", name)
        for w in re.split(r"(?<=[a-z])(?=[A-Z])", part)
        if w
    ]
    last = None
    for index, word in enumerate(words):
        if word.endswith(SECRET_WORDS):
            last = index
    if words and words[-1] in ("PASS", "PWD") and words != ["PWD"]:
        last = len(words) - 1
    if last is None:
        return False
    following = words[last + 1] if last + 1 < len(words) else ""
    return not (following in PROPERTY_WORDS or following.startswith("EXPIRE"))


def secret_nodes(doc: Document) -> Iterator[Node]:
    """The scalar nodes of every secret place of the contract (§3), and the URL passwords'
    scalars, found from the tree."""
    root = doc.root
    if root is None or not doc.complete or root.kind != "mapping":
        return
    app = root.lookup("application")
    if app is None or app[1].kind != "mapping":
        return
    login = app[1].lookup("registryLogin")
    if login is not None and login[1].kind == "mapping":
        token = login[1].lookup("personalAccessToken")
        if token is not None:
            yield token[1]
    pods = app[1].lookup("pods")
    for pod in pods[1].items if pods is not None and pods[1].kind == "sequence" else []:
        if pod.kind != "mapping":
            continue
        secrets = pod.lookup("secrets")
        for item in (
            secrets[1].items if secrets is not None and secrets[1].kind == "sequence" else []
        ):
            data = item.lookup("data") if item.kind == "mapping" else None
            if data is not None:
                yield data[1]
        variables = pod.lookup("vars")
        if variables is None:
            continue
        if variables[1].kind == "mapping":
            for key, value in variables[1].entries:
                if says_secret(key.value):
                    yield value
        elif variables[1].kind == "sequence":
            for item in variables[1].items:
                key = item.lookup("key") if item.kind == "mapping" else None
                value = item.lookup("value") if item.kind == "mapping" else None
                if key is not None and value is not None and says_secret(key[1].value):
                    yield value[1]


class Planter:
    """Unique markers, each planted where a secret stands."""

    def __init__(self) -> None:
        self.planted: list[str] = []

    def marker(self) -> str:
        marker = f"Qz{len(self.planted):04d}Vw"
        self.planted.append(marker)
        return marker

    def plant(self, text: str) -> str:
        doc = parse(text)
        edits: list[tuple[int, int, str]] = []
        seen: set[int] = set()
        for node in secret_nodes(doc):
            if id(node) in seen or node.kind != "scalar" or node.end <= node.start:
                continue
            seen.add(id(node))
            if "${" in node.value or "<%" in node.value:
                continue  # a reference names a secret; it holds none
            if node.style in ("|", ">"):
                continue  # block scalars: the lines below are planted by hand elsewhere
            start, end = node.start, node.end
            if node.style in ('"', "'"):
                start, end = start + 1, end - 1
            edits.append((start, end, self.marker()))
        for match in URL_PASSWORD.finditer(text):
            if "${" not in match.group(1) and not any(a <= match.start(1) < b for a, b, _ in edits):
                edits.append((match.start(1), match.end(1), self.marker()))
        for start, end, marker in sorted(edits, reverse=True):
            text = text[:start] + marker + text[end:]
        return text


def fixture_texts() -> dict[str, str]:
    """Every fixture: the rules' test files, the example files, the rules' documented
    examples, bad and good, and the real-world corpus."""
    texts: dict[str, str] = {}
    for folder in (REPO / "tests" / "fixtures", REPO / "rules" / "testdata", REPO / "examples"):
        for path in sorted(folder.rglob("*.yaml")):
            texts[f"{path.parent.name}-{path.stem}"] = path.read_text(encoding="utf-8")
    for rule in builtin_rules():
        for kind, examples in doc_examples(rule.doc).items():
            for index, example in enumerate(examples):
                texts[f"doc-{rule.code}-{kind}{index}"] = example
    for path in corpus_files():  # real files: the secrets people write
        texts[f"corpus-{path.stem}"] = path.read_text(encoding="utf-8", errors="replace")
    return texts


# Secrets in the places a tree of today's layout does not show (§3: "through aliases,
# `KEY=value` list entries, JSON-style and oddly keyed lines of files that do not parse").
# `@@` is where a marker goes.
HOSTILE = {
    "alias": yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: &pw @@.pod
              path: *pw
              servicePorts: [80]
              vars:
                DB_PASSWORD: *pw
                NEXT_PUBLIC_URL: *pw
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: *pw
        """),
    "quoted-by-rules": yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                DB_PASSWORD: @@.pod
                API_TOKEN: http://@@.pod:80
                SECRET_KEY: @@.cloud.nexlayer.ai
                NEXT_PUBLIC_KEY: http://web.pod/@@
                REDIS_PASSWORD: "<% @@ %>-and-more"
                JWT_SECRET: localhost:@@
        """),
    "env-list": yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              env: ["DB_PASSWORD=@@", "OTHER=x"]
              vars: ["API_TOKEN=@@"]
              command: sh -c "export JWT_SECRET=@@ && exec run"
        """),
    "json-broken": (
        '{"application": {"name": "x", "pods": [{"name": "web", "vars": '
        '{"DB_PASSWORD":"@@", "API_KEY" : "@@"}}]}, "extra": [\n'
    ),
    "json-one-line": (
        '{"application":{"name":"x","pods":[{"name":"web","vars":{"DB_PASSWORD":"@@"}}]}}\n'
    ),
    "oddly-keyed-broken": yaml("""
        application:
          name: x
          pods:
            - name: web
              vars:
                "DB PASSWORD": @@
                db-password : @@
                ? STRIPE_KEY
                : @@
                $API_TOKEN: @@
                1_SECRET: @@
          - bad
        """),
    "block-scalar": yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                TLS_PRIVATE: |
                  @@
                  @@
              secrets:
                - name: creds
                  data: >
                    @@
                  mountPath: /etc/creds
                  fileName: creds.json
        """),
}


def hostile_texts(planter: Planter) -> dict[str, str]:
    texts = {}
    for name, template in HOSTILE.items():
        parts = template.split("@@")
        text = parts[0]
        for part in parts[1:]:
            text += planter.marker() + part
        texts[f"hostile-{name}"] = text
    return texts


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A folder of nexlayer files, every secret position holding its own marker."""
    root = tmp_path_factory.mktemp("planted")
    planter = Planter()
    texts = {name: planter.plant(text) for name, text in fixture_texts().items()}
    texts.update(hostile_texts(planter))
    for name, text in texts.items():
        folder = root / name
        folder.mkdir()
        (folder / "nexlayer.yaml").write_text(text, encoding="utf-8")
    assert len(planter.planted) > 500  # the files do hold secrets
    return root, planter.planted


def leaks(out: str, markers: list[str]) -> list[str]:
    """Markers (or their first six characters, a clipped one) found in ``out``."""
    return [m for m in markers if m[:6] in out]


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--fail-on", "info", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout + result.stderr


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_no_format_prints_a_planted_secret(
    fmt: str, planted: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, markers = planted
    monkeypatch.chdir(root)
    out = run(root, "--format", fmt, ".")
    assert "NXL502" in out
    assert not leaks(out, markers)


@pytest.mark.parametrize(
    "args",
    [
        ("--diff",),
        ("--diff", "--unsafe-fixes"),
        ("--statistics",),
        ("--format", "json", "--statistics"),
    ],
)
def test_diffs_and_statistics_print_no_planted_secret(
    args: tuple[str, ...], planted: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, markers = planted
    monkeypatch.chdir(root)
    assert not leaks(run(root, *args, "."), markers)


def test_fix_reports_and_report_files_hold_no_planted_secret(
    planted: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, markers = planted
    root = tmp_path / "copy"
    shutil.copytree(source, root)
    monkeypatch.chdir(root)
    reports = [f"--report={fmt}={tmp_path / 'reports' / fmt}" for fmt in FORMAT_NAMES]
    out = run(root, "--fix", "--unsafe-fixes", *reports, ".")
    assert not leaks(out, markers)
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "reports").iterdir())
    assert "NXL" in written
    assert not leaks(written, markers)


def test_the_cache_holds_no_planted_secret(
    planted: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, markers = planted
    monkeypatch.chdir(root)
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(tmp_path / "cache"))
    first = CliRunner().invoke(cli, ["check", "--format", "json", "."])
    again = CliRunner().invoke(cli, ["check", "--format", "json", "."])
    assert first.stdout == again.stdout
    stored = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (tmp_path / "cache").rglob("*")
        if p.is_file()
    )
    assert "NXL502" in stored
    assert not leaks(stored, markers)


def test_the_language_server_says_no_planted_secret(planted: tuple[Path, list[str]]) -> None:
    pytest.importorskip("pygls", reason="the lsp extra is not installed")
    from nexlint.config import Config
    from nexlint.lsp.analysis import analyse
    from nexlint.lsp.hover import hover
    from nexlint.lsp.navigation import symbols
    from nexlint.lsp.positions import Positions
    from nexlint.lsp.server import Current, quick_fixes, to_lsp

    root, markers = planted
    rules = {rule.code: rule for rule in builtin_rules()}
    said: list[str] = []
    for path in sorted(root.rglob("nexlayer.yaml")):
        text = path.read_text(encoding="utf-8")
        analysis = analyse(text, str(path), Config())
        positions = Positions(text, "utf-16")
        now = Current(path.as_uri(), 1, analysis, positions)
        for d in analysis.diagnostics:
            said.append(json.dumps(to_lsp(d, analysis, positions).message))
            shown = hover(analysis, analysis.span_of(d).start, rules)
            said.append(shown[0] if shown else "")
        said += [action.title for action in quick_fixes(now, analysis.diagnostics)]
        stack = symbols(analysis)
        while stack:
            symbol = stack.pop()
            said += [symbol.name, symbol.detail]
            stack.extend(symbol.children)
    out = "\n".join(said)
    assert "NXL502" in out
    assert not leaks(out, markers)


def test_planting_reaches_what_rules_quote(planted: tuple[Path, list[str]]) -> None:
    """The planted files do draw the findings that quote values (the test would prove
    nothing if they did not)."""
    root, _ = planted
    out = run(root, "--format", "concise", str(root / "hostile-quoted-by-rules"))
    for code in ("NXL204", "NXL310", "NXL208", "NXL502"):
        assert f"[{code}]" in out
    alias = run(root, "--format", "concise", str(root / "hostile-alias"))
    for code in ("NXL207", "NXL304", "NXL403"):
        assert f"[{code}]" in alias


# -- every stage of the masking grows linearly -----------------------------------------------------

ADVERSARIAL = {
    "secret keys": lambda n: "".join(f"  DB_PASSWORD_{i}: value{i}\n" for i in range(n)),
    "colons on a line": lambda n: "a: " * (8 * n) + "\n",
    "json on a line": lambda n: "{" + ",".join(f'"API_KEY{i}":"v{i}"' for i in range(n)) + "}\n",
    "assignments": lambda n: "x: [" + ", ".join(f"DB_PASSWORD{i}=v" for i in range(n)) + "]\n",
    "unclosed quotes": lambda n: '"' * (8 * n) + ": x\n" + "'a" * (4 * n) + "\n",
    "explicit keys": lambda n: "? DB_PASSWORD\n" * (2 * n) + ": x\n",
    "deep block": lambda n: "SECRET_KEY: |\n" + "".join("  " + "x" * 30 + "\n" for _ in range(n)),
    "equals run": lambda n: "PASSWORD=" * (4 * n) + "\n",
}


@pytest.mark.parametrize("case", sorted(ADVERSARIAL))
def test_finding_secrets_in_the_text_grows_linearly(case: str) -> None:
    make = ADVERSARIAL[case]
    texts = {size: make(size) for size in (1000, 4000)}
    assert growth(lambda size: lambda: text_secret_spans(texts[size]), 1000) <= 5


def many_secret_fixes(n: int) -> str:
    """A file where each of ``n`` secret vars draws findings with fixes (NXL005 quoting an
    integer password) and messages to mask."""
    lines = [f"        DB_PASSWORD_{i}: {10_000_000 + i}\n" for i in range(n)]
    return VALID_HEAD + "".join(lines)


VALID_HEAD = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          vars:
    """)


def test_masking_many_findings_about_many_secrets_grows_linearly() -> None:
    texts = {size: many_secret_fixes(size) for size in (300, 1200)}
    assert len(nexlint.lint(texts[300])) >= 600
    assert growth(lambda size: lambda: nexlint.lint(texts[size]), 300) <= 5


def test_saying_a_long_text_grows_linearly() -> None:
    doc = parse(many_secret_fixes(200))
    secrets = secrets_of(doc)
    quoted = {
        size: " ".join(f"{10_000_000 + i} and more" for i in range(size)) for size in (2000, 8000)
    }
    assert MASK in secrets.say(quoted[2000], strict=True)
    near = (0, len(doc.text))

    def make(size: int) -> Callable[[], object]:
        # a fresh memory of what was said each time: the text is masked, not looked up
        return lambda: dataclasses.replace(secrets, _said={}).say(quoted[size], near)

    assert growth(make, 2000) <= 5


def test_a_range_inside_a_secret_underlines_its_stars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NXL208 points at `web.pod` inside a secret value: the frame shows the value as ****
    and the carets stand under the stars, not past them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(
        VALID_HEAD
        + "        NEXT_PUBLIC_KEY: http://web.pod\n        DB_PASSWORD: a.cloud.nexlayer.ai\n"
    )
    out = run(tmp_path, "nexlayer.yaml")
    assert "9 |         NEXT_PUBLIC_KEY: ****\n  |                          ^^^^\n" in out
    assert "10 |         DB_PASSWORD: ****\n   |                      ^^^^\n" in out
