"""Benchmark harness: nexlint against its peers, in one run, on the same files.

    python bench/run.py [--runs 5] [--corpus ../shared/corpus/real] [--quick]

Times whole commands (process start included, as a user or CI pays it) and prints medians,
the ratios the speed issue sets targets for, and peak memory (max RSS of each command):

- one file, cold: `nexlint check --no-cache` vs `check-jsonschema --schemafile <bundled schema>`;
- the corpus: the same two, a bare ruamel.yaml round-trip compose of the same files (the parse
  floor), and nexlint again with its cache warm;
- synthetic files of 10, 100, 1 000 and 10 000 pods, to show how cost grows.

It is a script, not a test: numbers depend on the machine; only ratios within a run mean
anything. Needs check-jsonschema (`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "schemas" / "nexlayer.schema.json"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "real"

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


def measure(
    command: Sequence[str], runs: int, env: dict[str, str], before: Sequence[str] | None = None
) -> tuple[float, int]:
    """Median wall time in seconds and the largest max-RSS in KiB over ``runs`` runs.
    ``before`` runs ahead of every timed run, untimed (to clear or prime a cache)."""
    times: list[float] = []
    peak = 0
    for _ in range(runs):
        if before:
            subprocess.run(
                before, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
        start = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, _, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak


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


def row(name: str, seconds: float, rss: int, note: str = "") -> str:
    return f"| {name} | {seconds * 1000:,.0f} ms | {rss / 1024:,.1f} MiB | {note} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="fewer runs, skip 10 000 pods")
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
    work = Path(tempfile.mkdtemp(prefix="nexlint-bench-"))
    cache = work / "cache"
    env["NEXLINT_CACHE_DIR"] = str(cache)
    check = [*nexlint, "check", "--format", "concise", "--exit-zero"]
    jsonschema = [peer, "--schemafile", str(SCHEMA)]
    floor = [sys.executable, "-c", PARSE_FLOOR]
    clear = [sys.executable, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, True)"]

    # one warm-up of every program, so bytecode is compiled before anything is timed
    for command in ([*check, "--no-cache", *one], [*jsonschema, *one], [*floor, *one]):
        subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )

    print(
        f"nexlint benchmark: {len(files)} corpus files, median of {runs} runs, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n"
    )
    print("| run | median | peak RSS | |")
    print("|---|---|---|---|")
    one_nx = measure([*check, "--no-cache", *one], runs, env)
    one_cj = measure([*jsonschema, *one], runs, env)
    one_floor = measure([*floor, *one], runs, env)
    print(
        row("one file: nexlint (cold)", *one_nx, f"{one_nx[0] / one_cj[0]:.2f}x check-jsonschema")
    )
    print(row("one file: check-jsonschema", *one_cj))
    print(row("one file: bare ruamel compose", *one_floor))

    all_nx = measure([*check, "--no-cache", *files], runs, env)
    all_nx1 = measure([*check, "--no-cache", "--jobs", "1", *files], runs, env)
    all_cold = measure([*check, *files], runs, env, before=clear)
    subprocess.run([*check, *files], env=env, stdout=subprocess.DEVNULL, check=False)
    all_warm = measure([*check, *files], runs, env)
    all_cj = measure([*jsonschema, *files], runs, env)
    all_floor = measure([*floor, *files], runs, env)
    print(
        row(
            "corpus: nexlint (no cache, all cores)",
            *all_nx,
            f"{all_nx[0] / all_cj[0]:.2f}x check-jsonschema, "
            f"{all_nx[0] / all_floor[0]:.2f}x bare parse",
        )
    )
    print(
        row(
            "corpus: nexlint (no cache, --jobs 1)",
            *all_nx1,
            f"{all_nx1[0] / all_cj[0]:.2f}x check-jsonschema, "
            f"{all_nx1[0] / all_floor[0]:.2f}x bare parse",
        )
    )
    print(row("corpus: nexlint (cache empty, filled)", *all_cold))
    print(
        row(
            "corpus: nexlint (cache warm)",
            *all_warm,
            f"{all_warm[0] / all_cold[0]:.2f}x the cold run",
        )
    )
    print(row("corpus: check-jsonschema", *all_cj))
    print(row("corpus: bare ruamel compose", *all_floor))

    sizes = [10, 100, 1000] + ([] if args.quick else [10000])
    results = {}
    for pods in sizes:
        path = work / f"nexlayer-{pods}.yaml"
        path.write_text(synthetic(pods))
        results[pods] = measure([*check, "--no-cache", str(path)], max(1, runs // 2), env)
        floor_t = measure([*floor, str(path)], max(1, runs // 2), env)
        print(
            row(
                f"{pods:,} pods ({path.stat().st_size / 1024:,.0f} KiB): nexlint",
                *results[pods],
                f"{results[pods][0] / floor_t[0]:.2f}x bare parse",
            )
        )
    if 10000 in results:
        print(
            f"\n10 000 pods cost {results[10000][0] / results[100][0]:.0f}x 100 pods "
            "(linear would be at most ~100x)"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
