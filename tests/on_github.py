"""What GitHub does with what the Action prints and writes.

The runner reads a step's output for workflow commands: this follows its own parser
(actions/runner, ActionCommand.TryParseV2 and TryParse, ActionCommandManager.TryProcessCommand),
except that every name counts as a command, so a line that might be one in any runner version
is counted as one. A job summary is Markdown rendered by cmark-gfm, GitHub's own renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# .NET's StreamReader.ReadLine, which the runner reads a step's output with.
LINE_BREAK = re.compile(r"\r\n|\r|\n")

# The runner's unescaping, in its order: %25 last, so an escaped % is never read twice.
_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_LEGACY = (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%"))


@dataclass(frozen=True)
class Command:
    name: str
    data: str
    properties: dict[str, str] = field(default_factory=dict)
    line: str = ""


def _unescape(text: str, mapping: tuple[tuple[str, str], ...]) -> str:
    for escaped, plain in mapping:
        text = text.replace(escaped, plain)
    return text


def _properties(text: str, separator: str, mapping: tuple[tuple[str, str], ...]) -> dict[str, str]:
    found = {}
    for part in text.split(separator):
        key, _, value = part.partition("=")
        if key and value:
            found[key.lower()] = _unescape(value, mapping)
    return found


def parse(line: str) -> Command | None:
    """The command this line is, if any: ``::name props::data`` once leading blanks are
    dropped, else ``##[name props]data`` anywhere in it."""
    message = line.lstrip()
    if message.startswith("::") and (end := message.find("::", 2)) >= 0:
        name, space, props = message[2:end].partition(" ")
        if name:
            data = _unescape(message[end + 2 :], _DATA)
            found = _properties(props.strip(), ",", _PROPERTY) if space else {}
            return Command(name.lower(), data, found, line)
    start = line.find("##[")
    if start >= 0 and (end := line.find("]", start)) >= 0:
        name, space, props = line[start + 3 : end].partition(" ")
        if name:
            found = _properties(props, ";", _LEGACY) if space else {}
            return Command(name.lower(), _unescape(line[end + 1 :], _LEGACY), found, line)
    return None


def run_commands(output: str) -> list[Command]:
    """The commands the runner runs on this output, in order: between
    ``::stop-commands::TOKEN`` and the first command named TOKEN, none (those two are
    listed). Fails if commands are still stopped at the end."""
    ran: list[Command] = []
    token: str | None = None
    for line in LINE_BREAK.split(output):
        command = parse(line)
        if command is None:
            continue
        if token is not None:
            if command.name == token.lower():
                ran.append(command)
                token = None
            continue
        if command.name == "stop-commands":
            token = command.data
        ran.append(command)
    assert token is None, f"workflow commands stay stopped: no ::{token}:: after they stopped"
    return ran


class Cells(HTMLParser):
    """The rows of the rendered tables: per cell, the tags inside it and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[list[str], str]]] = []
        self.tags: list[str] = []  # every tag outside the table structure
        self.cell: tuple[list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ([], [])
        elif tag not in ("table", "thead", "tbody", "h3", "p"):
            self.tags.append(tag + "".join(f" {k}={v}" for k, v in attrs))
            if self.cell is not None:
                self.cell[0].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append((self.cell[0], "".join(self.cell[1])))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[1].append(data)


def github_html(markdown: str) -> Cells:
    """The Markdown as GitHub's renderer (cmark-gfm) makes it, raw HTML let through."""
    cells = Cells()
    cells.feed(
        cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    )
    return cells


# What GitHub links in rendered text besides Markdown: mentions, issue references, emoji, and
# what cmark's extended autolinks start with.
GITHUB_LINKS = re.compile(r"(?i)(?<!\w)@\w|#\d|\bgh-\d|:[\w+-]+:|www\.|://|\w@\w")
