"""The command line: ``nexlint check | rules | rule CODE | schema``.

Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or
config error, a missing path, or an internal error (one line on stderr; the traceback only
with NEXLINT_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nexlint._version import __version__

if TYPE_CHECKING:
    from nexlint.config import Config
    from nexlint.result import LintResult
    from nexlint.rule_api import Rule

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMAT_NAMES = ("text", "concise", "json", "github", "sarif", "junit", "gitlab", "markdown")


class Failure(click.ClickException):
    """A problem with how nexlint was called or configured, or a file it cannot read or
    write: one line on standard error, exit 2. Raised anywhere below `main`; click and
    `main` turn it into the exit status."""

    exit_code = EXIT_ERROR

    def show(self, file: Any = None) -> None:
        from nexlint.display import escape

        click.echo(f"nexlint: error: {escape(self.message)}", err=True)


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    """``--select NXL1,NXL2 --select image-latest-tag`` -> the codes, prefixes or rule names,
    as written (resolve_selectors turns names into codes)."""
    return tuple(c.strip() for v in values for c in v.split(",") if c.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nexlint", message="%(prog)s %(version)s")
def cli() -> None:
    """Validate and lint nexlayer.yaml files."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--select",
    multiple=True,
    help="Codes or prefixes to check (replaces the config's select), comma-separated.",
)
@click.option("--ignore", multiple=True, help="Codes or prefixes to skip, comma-separated.")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to add to select.")
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning", "info")),
    help="Lowest severity that makes the exit status 1 [default: error].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--max-diagnostics",
    type=click.IntRange(min=1),
    help="Show at most this many diagnostics a file, the most severe, and one that says how "
    "many more there are [default: 1000].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=str),
    help="Read the configuration from this file.",
)
@click.option("--no-config", is_flag=True, help="Ignore every configuration file.")
@click.option(
    "--schema",
    "schema_file",
    type=click.Path(path_type=str),
    help="Validate against this JSON Schema instead of the bundled one.",
)
@click.option("--stdin-filename", help="The name to report for standard input ('-').")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the config's exclude to files named explicitly too.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to lint with [default: all cores].",
)
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply safe fixes; report what is left.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing."
)
@click.option("--unsafe-fixes", is_flag=True, help="Include unsafe fixes with --fix or --diff.")
@click.option(
    "--report",
    "extra_reports",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write the findings of this run to FILE in FORMAT (repeatable).",
)
@click.option("--statistics", is_flag=True, help="Print counts per code instead of findings.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Say on standard error which files are checked and which are skipped.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the configuration file used and the resolved settings, then exit.",
)
def check(**options: Any) -> None:
    """Lint nexlayer.yaml files. PATHS are files or folders (default: the current folder);
    '-' reads standard input."""
    settings = Settings.parse(options)
    context = click.get_current_context()
    if options["show_settings"]:
        click.echo(settings_text(settings.config, settings.use_cache), nl=False)
        context.exit(EXIT_OK)
    context.exit(execute(settings))


@dataclass(frozen=True)
class Settings:
    """What `nexlint check` was asked to do, parsed once from its options."""

    paths: tuple[str, ...]
    config: Config
    output_format: str
    output_file: str | None
    reports: tuple[tuple[str, str], ...]
    stdin_filename: str
    force_exclude: bool
    jobs: int | None
    use_cache: bool
    fix: bool
    diff: bool
    unsafe_fixes: bool
    statistics: bool
    quiet: bool
    verbose: bool
    exit_zero: bool

    @classmethod
    def parse(cls, options: Mapping[str, Any]) -> Settings:
        from nexlint.config import ConfigError
        from nexlint.registry import PluginError

        reports = _parse_reports(options["extra_reports"])
        try:
            config = _resolve_config(
                options["config_file"],
                options["no_config"],
                options["select"],
                options["ignore"],
                options["extend_select"],
                options["fail_on"],
                options["schema_file"],
                options["max_diagnostics"],
            )
        except (ConfigError, PluginError) as exc:
            raise Failure(str(exc)) from None
        return cls(
            paths=tuple(options["paths"]) or (".",),
            config=config,
            output_format=options["output_format"],
            output_file=options["output_file"],
            reports=tuple(reports),
            stdin_filename=options["stdin_filename"] or "<stdin>",
            force_exclude=options["force_exclude"],
            jobs=options["jobs"],
            use_cache=not options["no_cache"],
            fix=options["apply_fixes"],
            diff=options["show_diff"],
            unsafe_fixes=options["unsafe_fixes"],
            statistics=options["statistics"],
            quiet=options["quiet"],
            verbose=options["verbose"],
            exit_zero=options["exit_zero"],
        )


def execute(settings: Settings) -> int:
    """Discover, run, report; the exit status."""
    from nexlint.registry import PluginError
    from nexlint.runner import FileProblem, Job, run

    _check_outputs(settings)  # before --fix rewrites anything
    job = Job(
        files=_discover(settings),
        config=settings.config,
        stdin=sys.stdin.buffer if "-" in settings.paths else None,
        stdin_name=settings.stdin_filename,
        jobs=settings.jobs,
        use_cache=settings.use_cache,
        fix=settings.fix and not settings.diff,
        diff=settings.diff,
        unsafe=settings.unsafe_fixes,
    )
    try:
        outcome = run(job)
    except (FileProblem, PluginError) as exc:  # a plugin that hung or died: no answer
        raise Failure(str(exc)) from None
    if settings.diff:
        click.echo("".join(outcome.diffs), nl=False)
        return EXIT_FINDINGS if any(outcome.diffs) else EXIT_OK
    if outcome.fixed_stdin is not None:
        # An editor replaces its buffer with standard output and shows standard error.
        click.echo(outcome.fixed_stdin, nl=False)
        report = _render(settings.output_format, outcome.results, quiet=True)
        click.echo(report, nl=False, err=True)
        return EXIT_FINDINGS if settings.config.fails(outcome.results) else EXIT_OK
    for name, why in outcome.not_fixed:
        _say(f"not fixed {name}: {why}", warning=True)
    if outcome.applied:
        count = sum(outcome.applied.values())
        codes = ", ".join(f"{n} {code}" for code, n in sorted(outcome.applied.items()))
        click.echo(f"Fixed {count} problem{'s' if count != 1 else ''} ({codes}).", err=True)
    _emit(outcome.results, settings)
    failing = settings.config.fails(outcome.results) and not settings.exit_zero
    return EXIT_FINDINGS if failing else EXIT_OK


def _discover(settings: Settings) -> list[str]:
    """The files the paths name, saying what is skipped (always, for a file named
    explicitly; with -v, for the rest) and when nothing is found."""
    from nexlint.discovery import FILE_PATTERNS, MissingPath, discover

    def skipped(path: str, why: str, explicit: bool) -> None:
        if settings.verbose or explicit:
            _say(f"skipped {path}: {why}", warning=explicit)

    def followed(path: str, target: str) -> None:
        if settings.verbose:
            _say(f"following {path}: a symbolic link to {target}, named on the command line")

    files = [p for p in settings.paths if p != "-"]
    try:
        found = list(discover(files, settings.config, settings.force_exclude, skipped, followed))
    except MissingPath as exc:
        raise Failure(f"path does not exist: {exc}") from None
    for name in found if settings.verbose else ():
        _say(f"checking {name}")
    if files and not found and "-" not in settings.paths:
        patterns = ", ".join(FILE_PATTERNS)
        _say(f"no files to check in {' '.join(files)}: nexlint looks for {patterns}", warning=True)
    return found


def _render(name: str, results: Sequence[LintResult], **options: Any) -> str:
    from nexlint.reporters import ReportOptions, get_renderer

    return get_renderer(name)(results, ReportOptions(**options))


def _resolve_config(
    config_file: str | None,
    no_config: bool,
    select: Sequence[str],
    ignore: Sequence[str],
    extend_select: Sequence[str],
    fail_on: str | None,
    schema_file: str | None,
    max_diagnostics: int | None = None,
) -> Config:
    """The configuration file's settings with the command line's on top, checked."""
    from nexlint.config import Config, find_config, load_config
    from nexlint.diagnostics import Severity
    from nexlint.registry import configured

    if no_config:
        config = Config()
    elif config_file:
        config = load_config(config_file)
    else:
        found = find_config()
        config = load_config(found) if found else Config()
    changes: dict[str, Any] = {}
    if select:
        changes["select"] = _codes(select)
    if ignore:
        changes["ignore"] = config.ignore + _codes(ignore)
    if extend_select:
        changes["extend_select"] = config.extend_select + _codes(extend_select)
    if fail_on:
        changes["fail_on"] = Severity.parse(fail_on)
    if schema_file:
        changes["schema"] = str(Path(schema_file).resolve())
    if max_diagnostics is not None:
        changes["max_diagnostics"] = max_diagnostics
    config = configured(config.merged(**changes))
    _check_schema(config.schema)
    return config


def _emit(results: list[LintResult], settings: Settings) -> None:
    """Print the report (or write it to --output-file) and the --report files."""
    rules: Mapping[str, Rule] | None = None
    names = (settings.output_format, *(name for name, _ in settings.reports))
    if "sarif" in names:
        from nexlint.registry import registry  # SARIF describes the run's rules, plugins too

        rules = registry(settings.config.plugins, settings.config.root)
    # --statistics is a table; the machine formats other than json have no place for it.
    renderer = (
        settings.output_format
        if not settings.statistics or settings.output_format == "json"
        else "concise"
    )
    color = _use_color(settings.output_file)
    report = _render(
        renderer,
        results,
        color=color,
        quiet=settings.quiet,
        statistics=settings.statistics,
        unsafe_fixes=settings.unsafe_fixes,
        rules=rules,
    )
    outputs = [(settings.output_file, report)] if settings.output_file else []
    outputs += [
        (path, _render(name, results, quiet=settings.quiet, rules=rules))
        for name, path in settings.reports
    ]
    _check_outputs(settings)
    for path, text in outputs:
        _write_report(path, text)
    if not settings.output_file:
        click.echo(report, nl=False, color=color)


def _check_outputs(settings: Settings) -> None:
    """Refuse, before anything is written, a report path that leads through a link (see
    `_linked_part`): a committed `report.sarif -> ~/.bashrc` must not be written over."""
    paths = [settings.output_file] if settings.output_file else []
    for path in [*paths, *(path for _, path in settings.reports)]:
        linked = _linked_part(path)
        if linked is not None:
            where = path if linked == path else f"{path}: its folder {linked}"
            raise Failure(
                f"{where} is a symbolic link; nexlint does not write a report through a link "
                "(remove the link, or name another file)"
            )


def _linked_part(path: str) -> str | None:
    """The first part of a report's path that is a link: the file itself, or a folder the
    path names below the working folder, where a checkout can put links. The folders above
    it (an absolute path to a linked /tmp) are the user's own choice."""
    from nexlint.discovery import is_link

    parts = Path(path).parts
    here = Path.cwd()
    for end in range(1, len(parts) + 1):
        prefix = Path(*parts[:end])
        last = end == len(parts)
        below = not prefix.is_absolute() or (prefix != here and prefix.is_relative_to(here))
        if (last or below) and is_link(prefix):
            return str(prefix)
    return None


def _write_report(path: str, text: str) -> None:
    """Write one report file, never through a link: O_NOFOLLOW holds even if one appears
    after the check."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, flags, 0o666), "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as exc:
        raise Failure(f"cannot write {path}: {exc.strerror or exc}") from None


def _parse_reports(values: Sequence[str]) -> list[tuple[str, str]]:
    reports = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not path or name not in FORMAT_NAMES:
            raise Failure(
                f"--report takes FORMAT=FILE with FORMAT one of {', '.join(FORMAT_NAMES)}; "
                f'got "{value}"'
            )
        reports.append((name, path))
    return reports


def _check_schema(path: str | None) -> None:
    """A user schema that cannot be used is a usage error, said before anything is linted."""
    if path is None:
        return
    from nexlint.schema import SchemaProblem, get_validator

    try:
        get_validator(path)
    except SchemaProblem as exc:
        raise Failure(f"schema {path}: {exc}") from None


def _use_color(output_file: str | None) -> bool:
    if output_file:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@cli.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
)
def rules_command(output_format: str) -> None:
    """List every rule: code, name, default severity, fixable, summary."""
    import json

    rules = list(_configured_rules().values())
    if output_format == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity.value,
                "fixable": r.fixable,
                "summary": r.summary,
                "origin": r.origin,
            }
            for r in rules
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r.name) for r in rules)
    for r in rules:
        fixable = "fix" if r.fixable else "   "
        click.echo(f"{r.code:<8} {r.name:<{width}}  {r.severity.value:<7}  {fixable}  {r.summary}")


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain one rule: why it matters, a bad example, a good example."""
    rules = _configured_rules()
    found = rules.get(code.strip().upper()) or next(
        (r for r in rules.values() if r.name == code.strip().lower()), None
    )
    if found is None:
        raise Failure(f'no rule "{code}"; `nexlint rules` lists them')
    fixable = ", fixable" if found.fixable else ""
    click.echo(f"# {found.code} {found.name} ({found.severity.value}{fixable})\n")
    click.echo(f"{found.summary}.\n")
    click.echo(found.doc)


def _configured_rules() -> dict[str, Rule]:
    """The registry with the plugins of the nearest config, as `check` would load it."""
    from nexlint.config import ConfigError, find_config, load_config
    from nexlint.registry import PluginError, registry

    try:
        found = find_config()
        config = load_config(found) if found else None
        if config is None:
            return registry()
        return registry(config.plugins, config.root, config.plugin_timeout)
    except (ConfigError, PluginError) as exc:
        raise Failure(str(exc)) from None


@cli.command("lsp")
def lsp_command() -> None:
    """Run the language server over standard input and output (for editors; needs the
    lsp extra: pip install 'nexlint[lsp]')."""
    try:
        from nexlint.lsp.server import serve
    except ImportError as exc:
        if exc.name in ("pygls", "lsprotocol") or (exc.name or "").startswith(
            ("pygls.", "lsprotocol.")
        ):
            raise Failure(
                "the language server needs pygls and lsprotocol: pip install 'nexlint[lsp]'"
            ) from None
        raise
    serve()


@cli.command("schema")
def schema_command() -> None:
    """Print the bundled JSON Schema."""
    from nexlint.schema import bundled_schema_text

    click.echo(bundled_schema_text(), nl=False)


def _say(message: str, warning: bool = False) -> None:
    from nexlint.display import escape

    click.echo(f"nexlint: {'warning: ' if warning else ''}{escape(message)}", err=True)


def settings_text(config: Config, use_cache: bool) -> str:
    """Where the settings came from and what they resolve to, in the configuration's own
    TOML, as `ruff check --show-settings` shows its own."""
    from nexlint.cache import cache_dir

    def toml(value: Any) -> str:
        if isinstance(value, tuple | list):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{toml(k)} = {toml(v)}" for k, v in value.items()) + "}"
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    source = config.source or "none found; the defaults"
    lines = [
        f"# configuration file: {source}",
        f"select = {toml(config.select)}",
        f"ignore = {toml(config.ignore)}",
        f"extend-select = {toml(config.extend_select)}",
        f"fail-on = {toml(config.fail_on.value)}",
        f"exclude = {toml(config.exclude)}",
        f"severity = {toml({k: v.value for k, v in config.severity.items()})}",
        f"per-file-ignores = {toml(dict(config.per_file_ignores))}",
        f"schema = {toml(config.schema or 'the bundled schema')}",
        f"plugins = {toml(config.plugins)}",
        f"max-diagnostics = {config.max_diagnostics}"
        if config.max_diagnostics is not None
        else "# max-diagnostics: none (every diagnostic is shown)",
        f"# cache: {cache_dir(config) if use_cache else 'off (--no-cache)'}",
    ]
    from nexlint.display import escape

    return "".join(escape(line) + "\n" for line in lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: usage errors exit 2, Ctrl-C exits 130 (both without a traceback), and
    anything unexpected is one line, exit 2."""
    try:
        status = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="nexlint",
            standalone_mode=False,  # click would turn Ctrl-C into "Aborted!" and exit 1
        )
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("nexlint: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("NEXLINT_DEBUG") == "1":
            traceback.print_exc()
        from nexlint.display import escape

        detail = escape(" ".join(str(exc).split()))[:200]
        click.echo(
            f"nexlint: internal error: {type(exc).__name__}: {detail} "
            "(set NEXLINT_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    sys.exit(status if isinstance(status, int) else EXIT_OK)


if __name__ == "__main__":
    main()
