"""Benchmark harness: nexlint against its peers, in one run, on the same files.

    python bench/run.py [--runs 5] [--corpus ../shared/corpus/real] [--quick]

Times whole commands (process start included, as a user or CI pays it) and prints medians,
the ratios the speed issue sets targets for, and peak memory (max RSS of each command):

- one file, cold (examples/nexlayer.yaml, with mistakes of every kind, and the same file
  fixed, which jsonschema has nothing to say about): `nexlint check --no-cache` vs
  `check-jsonschema --schemafile <bundled schema>`;
  check-jsonschema runs twice: as `pip install check-jsonschema` gets it (ruamel.yaml 0.19
  made the C parser an extra, so its YAML is read in pure Python), and with ruamel's C parser
  (`ruamel.yaml.clib`, which nexlint declares and so this venv has); ratios name both;
- the corpus: the same two, a bare ruamel.yaml round-trip compose of the same files (the parse
  floor), and nexlint again with its cache warm;
- synthetic files of 10, 100, 1 000 and 10 000 pods, to show how cost grows;
- the editor: a warm `nexlint lsp` re-linting a 50-pod file after one keystroke, against a
  cold `nexlint check` of the same file (needs the lsp extra);
- growth shapes that once went quadratic, each at n and 4n: many findings on one long line
  (the text format draws a code frame for each), many references to unknown pods (each
  gets a "did you mean"), a long hyphenated run (the secrets text reading), and a value full
  of hosts, URLs and placeholders (the second rule set). Linear cost grows about 4x;
  quadratic about 16x.

It is a script, not a test: numbers depend on the machine; only ratios within a run mean
anything. Needs check-jsonschema (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "schemas" / "nexlayer.schema.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "real"

# check-jsonschema as a plain install has it: ruamel.yaml without its C extension.
PEER_WITHOUT_C = """
import sys
sys.modules["_ruamel_yaml"] = None  # as if ruamel.yaml.clib were not installed
sys.argv[0] = "check-jsonschema"
from check_jsonschema import main
main()
"""

PARSE_FLOOR = """
import sys
from ruamel.yaml import YAML
yaml = YAML(typ="rt")
for name in sys.argv[1:]:
    with open(name, encoding="utf-8-sig") as handle:
        try:
            yaml.compose(handle.read())
        except Exception:
            pass
"""


Command = tuple[list[str], list[str] | None]  # the command, and one to run untimed before it


def measure(
    commands: dict[str, Command], runs: int, env: dict[str, str]
) -> dict[str, tuple[float, int]]:
    """Median wall time (s) and largest max-RSS (KiB) of each command over ``runs`` rounds.
    Commands take turns within a round, so a slow spell of the machine hits them all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, (command, before) in commands.items():
            if before:
                subprocess.run(
                    before, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            start = time.perf_counter()
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            _, _, usage = os.wait4(process.pid, 0)
            times[name].append(time.perf_counter() - start)
            peaks[name] = max(peaks[name], usage.ru_maxrss)
    return {name: (statistics.median(times[name]), peaks[name]) for name in commands}


def synthetic(pods: int) -> str:
    lines = ["application:", "  name: synthetic", "  pods:"]
    for i in range(pods):
        lines += [
            f"    - name: pod-{i}",
            f"      image: acme/app-{i}:1.{i % 10}.0  # pinned",
            f"      path: /p{i}",
            f"      servicePorts: [{3000 + i % 1000}]",
            "      vars:",
            f"        UPSTREAM: http://pod-{(i + 1) % pods}.pod:{3000 + (i + 1) % pods % 1000}",
            '        MODE: "production"',
            "        PUBLIC_URL: <% URL %>",
        ]
    return "\n".join(lines) + "\n"


def one_line_findings(count: int) -> str:
    """``count`` ambiguous values (NXL005) in a flow mapping on one line."""
    variables = ", ".join(f"V{i}: yes" for i in range(count))
    pod = f"{{name: web, image: 'nginx:1.27', path: /, servicePorts: [80], vars: {{{variables}}}}}"
    return f"application: {{name: shop, pods: [{pod}]}}\n"


def unknown_references(pods: int) -> str:
    """``pods`` pods, each naming a pod that does not exist, each name different."""
    lines = ["application:", "  name: synthetic", "  pods:"]
    for i in range(pods):
        lines += [
            f"    - name: pod-{i}",
            f"      image: acme/app:1.{i % 10}.0",
            "      path: /" if i == 0 else f"      path: /p{i}",
            "      servicePorts: [3000]",
            f"      vars: {{UPSTREAM: 'http://missing-{i}-x.pod:3000'}}",
        ]
    return "\n".join(lines) + "\n"


def one_long_value(text: str) -> Callable[[int], str]:
    """A file whose one var holds ``text`` repeated."""

    def make(count: int) -> str:
        value = (text * count).replace("'", "''")
        return (
            "application:\n  name: shop\n  pods:\n    - name: api\n      image: nginx:1.27\n"
            f"      path: /\n      servicePorts: [80]\n      vars:\n        UP: '{value}'\n"
        )

    return make


GROWTH: dict[str, tuple[Callable[[int], str], int, str]] = {
    "findings on one line, text format": (one_line_findings, 1000, "text"),
    "unknown pod references": (unknown_references, 600, "concise"),
    # the secrets text reading once started a key after every `-` of a long run
    "one hyphenated run ending in `:`": (one_long_value("api-"), 50_000, "concise"),
    # hosts, URLs and placeholders the second rule set reads in a value
    "hosts, URLs and placeholders in one value": (
        one_long_value("http://api:80/ api:80 ${api:80} <% URL %> a.cloud.nexlayer.ai "),
        2_000,
        "concise",
    ),
}


def growth(nexlint: list[str], work: Path, runs: int, env: dict[str, str]) -> None:
    """Each shape at n and 4n, and how much the time grows."""
    for label, (make, n, fmt) in GROWTH.items():
        times = []
        for size in (n, 4 * n):
            path = work / f"nexlayer-growth-{size}.yaml"
            path.write_text(make(size))
            command = [*nexlint, "check", "--no-cache", "--exit-zero", "--format", fmt]
            timed = measure({"nexlint": ([*command, str(path)], None)}, runs, env)["nexlint"]
            times.append(timed[0])
            kib = path.stat().st_size / 1024
            print(row(f"{label}: n = {size:,} ({kib:,.0f} KiB)", *timed))
        print(f"| {label}: growth from n to 4n | {times[1] / times[0]:.1f}x | | linear ~4x |")


def editor(nexlint: list[str], work: Path, runs: int, env: dict[str, str]) -> None:
    """A warm `nexlint lsp` re-linting a 50-pod file after one keystroke (from the change
    sent to its diagnostics received), against a cold `nexlint check` of the same file."""
    try:
        from lsprotocol import types
        from pygls.lsp.client import LanguageClient
    except ImportError:
        print("| editor: needs the lsp extra (pip install -e '.[lsp]') | | | |")
        return
    path = work / "nexlayer.yaml"
    text = synthetic(50)
    path.write_text(text)
    uri = path.as_uri()

    async def session() -> list[float]:
        client = LanguageClient("nexlint-bench", "1")
        arrived: dict[int, float] = {}
        ready: dict[int, asyncio.Event] = {}

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            if params.version is not None:
                arrived[params.version] = time.perf_counter()
                ready.setdefault(params.version, asyncio.Event()).set()

        await client.start_io(*nexlint, "lsp", env=env)
        await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities())
        )
        client.initialized(types.InitializedParams())
        document = types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=document))
        await ready.setdefault(1, asyncio.Event()).wait()
        latencies = []
        for version in range(2, runs * 4 + 2):  # a keystroke: one character more, or less
            changed = text + ("#" if version % 2 == 0 else "")
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
                )
            )
            await ready.setdefault(version, asyncio.Event()).wait()
            latencies.append(arrived[version] - sent)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        return latencies

    latencies = asyncio.run(session())
    warm = statistics.median(latencies)
    cold = measure(
        {"check": ([*nexlint, "check", "--no-cache", "--exit-zero", str(path)], None)}, runs, env
    )["check"]
    pause = 0.15  # the server waits for typing to stop before linting (nexlint/lsp/server.py)
    work_ms = (warm - pause) * 1000
    print(
        f"| editor: 50 pods, one keystroke, warm server | {warm * 1000:,.0f} ms | | "
        f"{pause * 1000:.0f} ms pause after typing + {work_ms:,.0f} ms of work; the work is "
        f"{cold[0] / (warm - pause):.1f}x faster than a cold check |"
    )
    print(row("editor: 50 pods, cold `nexlint check`", *cold))


WITH_C = "check-jsonschema with ruamel's C parser"


def peer_ratios(taken: tuple[float, int], measured: dict[str, tuple[float, int]]) -> str:
    """nexlint's time against check-jsonschema as installed, and with the C parser."""
    said = f"{taken[0] / measured['check-jsonschema'][0]:.2f}x check-jsonschema"
    if "with C" in measured:
        said += f" ({taken[0] / measured['with C'][0]:.2f}x with its C parser)"
    return said


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def row(name: str, seconds: float, rss: int, note: str = "") -> str:
    return f"| {name} | {seconds * 1000:,.0f} ms | {rss / 1024:,.1f} MiB | {note} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="fewer runs, skip 10 000 pods")
    parser.add_argument("--growth", action="store_true", help="only the growth shapes")
    parser.add_argument("--editor", action="store_true", help="only the language server")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs

    bindir = Path(sys.executable).parent
    nexlint = [str(bindir / "nexlint")]
    peer = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which("check-jsonschema")
    if peer is None:
        print("check-jsonschema is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    files = sorted(str(p) for p in args.corpus.iterdir() if p.suffix in (".yaml", ".yml"))
    one = [str(REPO / "examples" / "nexlayer.yaml")]
    fixed = [str(REPO / "examples" / "nexlayer.fixed.yaml")]
    work = Path(tempfile.mkdtemp(prefix="nexlint-bench-"))
    cache = work / "cache"
    env["NEXLINT_CACHE_DIR"] = str(cache)
    check = [*nexlint, "check", "--format", "concise", "--exit-zero"]
    with_c = [peer, "--schemafile", str(SCHEMA)]
    jsonschema = [sys.executable, "-c", PEER_WITHOUT_C, "--schemafile", str(SCHEMA)]
    if not _importable("_ruamel_yaml") or not _importable("check_jsonschema"):
        jsonschema, with_c = with_c, []
    floor = [sys.executable, "-c", PARSE_FLOOR]
    clear = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, True)"]

    # one warm-up of every program, so bytecode is compiled before anything is timed
    peers = [[*jsonschema, *one], *([[*with_c, *one]] if with_c else [])]
    for command in ([*check, "--no-cache", *one], *peers, [*floor, *one]):
        subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )

    print(
        f"nexlint benchmark: {len(files)} corpus files, median of {runs} interleaved runs, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n"
    )
    print("| run | median | peak RSS | |")
    print("|---|---|---|---|")
    if args.growth or args.editor:
        (growth if args.growth else editor)(nexlint, work, runs, env)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    one_file = measure(
        {
            "nexlint": ([*check, "--no-cache", *one], None),
            "check-jsonschema": ([*jsonschema, *one], None),
            **({"with C": ([*with_c, *one], None)} if with_c else {}),
            "floor": ([*floor, *one], None),
        },
        runs,
        env,
    )
    nx, cj, fl = one_file["nexlint"], one_file["check-jsonschema"], one_file["floor"]
    print(row("one file: nexlint (cold)", *nx, peer_ratios(nx, one_file)))
    print(row("one file: check-jsonschema", *cj))
    if with_c:
        print(row(f"one file: {WITH_C}", *one_file["with C"]))
    # the same file with its mistakes fixed: no schema error, so jsonschema is not loaded
    clean = measure(
        {
            "nexlint": ([*check, "--no-cache", *fixed], None),
            "check-jsonschema": ([*jsonschema, *fixed], None),
            **({"with C": ([*with_c, *fixed], None)} if with_c else {}),
        },
        runs,
        env,
    )
    print(
        row(
            "one valid file: nexlint (cold)",
            *clean["nexlint"],
            peer_ratios(clean["nexlint"], clean),
        )
    )
    print(row("one valid file: check-jsonschema", *clean["check-jsonschema"]))
    if with_c:
        print(row(f"one valid file: {WITH_C}", *clean["with C"]))
    print(row("one file: bare ruamel compose", *fl))

    corpus = measure(
        {
            "all cores": ([*check, "--no-cache", *files], None),
            "one job": ([*check, "--no-cache", "--jobs", "1", *files], None),
            "cold": ([*check, *files], clear),
            "warm": ([*check, *files], None),  # right after "cold", which filled the cache
            "check-jsonschema": ([*jsonschema, *files], None),
            **({"with C": ([*with_c, *files], None)} if with_c else {}),
            "floor": ([*floor, *files], None),
        },
        runs,
        env,
    )
    cj, fl = corpus["check-jsonschema"], corpus["floor"]
    labels = {
        "all cores": "no cache, all cores",
        "one job": "no cache, --jobs 1",
        "cold": "cache empty, filled",
    }
    for name, label in labels.items():
        t = corpus[name]
        note = f"{peer_ratios(t, corpus)}, {t[0] / fl[0]:.2f}x bare parse"
        print(row(f"corpus: nexlint ({label})", *t, note))
    warm, cold = corpus["warm"], corpus["cold"]
    print(row("corpus: nexlint (cache warm)", *warm, f"{warm[0] / cold[0]:.2f}x the cold run"))
    print(row("corpus: check-jsonschema", *cj))
    if with_c:
        print(row(f"corpus: {WITH_C}", *corpus["with C"]))
    print(row("corpus: bare ruamel compose", *fl))

    sizes = [10, 100, 1000] + ([] if args.quick else [10000])
    results = {}
    for pods in sizes:
        path = work / f"nexlayer-{pods}.yaml"
        path.write_text(synthetic(pods))
        timed = measure(
            {
                "nexlint": ([*check, "--no-cache", str(path)], None),
                "floor": ([*floor, str(path)], None),
            },
            runs,
            env,
        )
        results[pods] = timed["nexlint"]
        note = f"{results[pods][0] / timed['floor'][0]:.2f}x bare parse"
        size = f"{path.stat().st_size / 1024:,.0f} KiB"
        print(row(f"{pods:,} pods ({size}): nexlint", *results[pods], note))
    growth(nexlint, work, runs, env)
    editor(nexlint, work, runs, env)
    if 10000 in results:
        print(
            f"\n10 000 pods cost {results[10000][0] / results[100][0]:.0f}x 100 pods "
            f"and {results[10000][0] / results[1000][0]:.1f}x 1 000 pods "
            "(linear would be at most ~100x and ~10x; start-up is in every run)"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
