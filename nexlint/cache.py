"""A cache of results, as ruff keeps one, so a re-run over unchanged files costs little more
than start-up. A hit loads neither the parser nor the validator.

It never changes an answer:

- An entry is what linting exactly these bytes, under this name, with exactly these
  settings gave. Its key holds the bytes and the name, and a salt holds everything else that
  can change a finding (config_key); ``put`` refuses a result that was not linted from the
  bytes it is stored under.
- The folder -- ``.nexlint_cache/`` beside the config file, else in the working directory,
  or ``NEXLINT_CACHE_DIR`` -- is nexlint's alone. It, its version folder and its files are
  never reached through a symbolic link, and a ``NEXLINT_CACHE_DIR`` holding files but not
  nexlint's mark (its CACHEDIR.TAG) is neither read nor written.
- What is read from it is checked first: a file or entry that is broken, foreign or hostile
  is a miss, never an error, and a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import fields
from importlib.machinery import ModuleSpec, PathFinder
from pathlib import Path
from typing import Any

from nexlint._version import __version__
from nexlint.config import Config
from nexlint.diagnostics import CODE_PATTERN, Diagnostic, Edit, Fix, Severity
from nexlint.display import escape
from nexlint.entry_points import ENTRY_POINT_GROUP, entry_points
from nexlint.result import LintResult
from nexlint.source import DecodeProblem, LineIndex, decode

CACHE_NAME = ".nexlint_cache"
TAG_NAME = "CACHEDIR.TAG"
# The cache directory tag (https://bford.info/cachedir/): backup tools skip the folder, and
# its comment is the mark that a folder is nexlint's to write in.
SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55\n"
TAG = (
    SIGNATURE + "# This file is a cache directory tag created by nexlint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
GITIGNORE = "# Automatically created by nexlint.\n*\n"
MAX_BYTES = 64 * 1024 * 1024  # a cache file past this is not read, and not written
# A file changed this recently may change again without its size or times changing (their
# resolution is ~4 ms on Linux, 2 s on FAT): its content is read too.
RECENT_NS = 3_000_000_000
OWN_SUFFIXES = (".py", ".json")


def cache_dir(config: Config) -> Path:
    override = os.environ.get("NEXLINT_CACHE_DIR")
    if override:
        return Path(override)
    return Path(config.root or os.getcwd()) / CACHE_NAME


def config_key(config: Config) -> str | None:
    """A digest of what can change a file's findings besides its bytes and its name:
    nexlint's version and code, Python's version, the installed distributions (ruamel.yaml,
    jsonschema, the plugins' own dependencies), the parser chosen (NEXLINT_PARSER), the
    configuration, the schema's content and every plugin's code. None when a plugin's code
    cannot be found: nothing is cached then."""
    sources = sources_key(config)
    if sources is None:
        return None
    parts: list[Any] = [
        __version__,
        sys.version,
        os.environ.get("NEXLINT_PARSER", ""),
        _distributions(),
        sources,
    ]
    for item in fields(config):
        if item.name in ("fail_on", "exclude", "source", "root"):
            # They decide what is reported or linted, not what a file contains; where
            # per-file-ignores' patterns are matched from is in each file's key.
            continue
        value = getattr(config, item.name)
        if isinstance(value, dict):
            value = sorted((k, str(v)) for k, v in value.items())
        parts.append([item.name, str(value)])
    if config.schema:
        parts.append(_content(config.schema))
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def sources_key(config: Config) -> list[Any] | None:
    """The code that may run: nexlint's own (the package, its rules and its schema) by each
    file's size, times and inode; every plugin's -- entry points and the config's
    ``plugins`` -- by content, since an edit may keep its size and restore its time. None
    when a plugin cannot be found."""
    own = [f for root in _own_roots() for f in _files(root, OWN_SUFFIXES)]
    named = {value.partition(":")[0].strip() for _, value in entry_points(ENTRY_POINT_GROUP)}
    named = (named | set(config.plugins)) - {"nexlint.rules"}
    plugins: list[str] = []
    for name in sorted(named):
        found = plugin_files(name, config.root)
        if found is None:
            return None
        plugins.extend(found)
    return [_stamps(sorted(set(own))), _contents(sorted(set(plugins))), sorted(named)]


def _own_roots() -> list[str]:
    roots = [os.path.dirname(os.path.abspath(__file__))]
    for package in ("nexlint.rules", "nexlint.schemas"):  # beside nexlint/ in a checkout
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            roots.extend(spec.submodule_search_locations)
    return roots


def plugin_files(name: str, root: str | None) -> list[str] | None:
    """The files of the top-level package (or the module) plugin module ``name`` is imported
    from, found where the registry imports it from but without importing anything, so that
    a change to any module of that package is seen. None if it cannot be found."""
    parts = name.split(".")
    search = sys.path if root is None or root in sys.path else [root, *sys.path]
    spec = _top_level(parts[0], search)
    depth = 1
    # A namespace package spans folders that may hold anything: go down to the package.
    while spec is not None and spec.origin is None and depth < len(parts):
        depth += 1
        spec = _spec(".".join(parts[:depth]), list(spec.submodule_search_locations or ()))
    if spec is None or not spec.has_location or spec.origin is None:
        return None
    # Only files and folders on disk can be read (a zip's members cannot).
    folders = list(spec.submodule_search_locations or ())
    if not all(os.path.isdir(f) for f in folders) or not os.path.isfile(spec.origin):
        return None
    return [f for folder in folders for f in _files(folder)] if folders else [spec.origin]


def _top_level(name: str, search: list[str]) -> ModuleSpec | None:
    spec = _spec(name, search)
    if spec is not None:
        return spec
    try:  # the import hooks of the interpreter (an editable install's, say)
        return importlib.util.find_spec(name)
    except (ImportError, ValueError, OSError):
        return None


def _spec(name: str, search: list[str]) -> ModuleSpec | None:
    try:
        return PathFinder.find_spec(name, search)
    except (ImportError, ValueError, OSError):
        return None


def _files(root: str, suffixes: tuple[str, ...] | None = None) -> list[str]:
    """The files under folder ``root`` (or ``root``, a file), __pycache__ left out, each
    folder walked once however links lead to it."""
    if not os.path.isdir(root):
        return [root]
    found: list[str] = []
    stack, seen = [root], set()
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir():
                        if entry.name != "__pycache__":
                            stack.append(entry.path)
                    elif suffixes is None or entry.name.endswith(suffixes):
                        found.append(entry.path)
        except OSError:
            found.append(folder)  # in the key as unreadable: a change to that is seen
    return found


def _stamps(files: list[str]) -> str:
    """Each file's size, times and inode, which an edit changes -- the change time even when
    the modification time is put back -- and its content when it changed too recently for
    those to tell a second edit apart."""
    now = time.time_ns()
    digest = hashlib.sha256()
    for name in files:
        try:
            info = os.stat(name)
            stamp = f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"
            if now - max(info.st_mtime_ns, info.st_ctime_ns) < RECENT_NS:
                stamp += ":" + _content(name)
        except OSError:
            stamp = "unreadable"
        digest.update(f"{name}\0{stamp}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _contents(files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update(f"{name}\0{_content(name)}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _content(name: str) -> str:
    """The digest of a regular file's bytes (a FIFO would block: it is not read)."""
    try:
        handle = os.open(name, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError:
        return "unreadable"
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return "not a file"
        digest = hashlib.sha256()
        while chunk := os.read(handle, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return "unreadable"
    finally:
        os.close(handle)


def _distributions() -> list[str]:
    """The installed distributions and their versions (their metadata folders' names): an
    upgrade of ruamel.yaml, or of a plugin's own dependency, changes the key."""
    names: list[str] = []
    for folder in sys.path:
        try:
            with os.scandir(folder or ".") as entries:
                names.extend(
                    e.name for e in entries if e.name.endswith((".dist-info", ".egg-info"))
                )
        except OSError:
            continue
    return sorted(names)


class Cache:
    """One JSON file per configuration: read once, written once at the end of a run (to a
    new file renamed over it), merged with what another run may have written meanwhile.
    ``usable`` is False when the configuration cannot be keyed; it then holds nothing."""

    MAX_ENTRIES = 20_000  # past this, only the entries of the latest run are kept

    def __init__(self, config: Config) -> None:
        self.config = config
        self.folder = cache_dir(config)
        # `.nexlint_cache` is ours by its name; a folder named by the user must say so
        self.named = bool(os.environ.get("NEXLINT_CACHE_DIR"))
        self.salt = config_key(config)
        self.usable = self.salt is not None
        self.file = f"{(self.salt or '')[:32]}.json"
        self._entries: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}

    def key(self, name: str, data: bytes) -> str:
        digest = hashlib.sha256((self.salt or "").encode())
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        if self.config.per_file_ignores:  # they match the path from the config's folder
            where = self.config.relative(name)
            digest.update(where.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, name: str, data: bytes) -> LintResult | None:
        """The cached result for these bytes under this name, if there is a sound one.
        Every entry is checked as it is read: one of the wrong shape, or inconsistent with
        the file, is a miss."""
        if not self.usable:
            return None
        if self._entries is None:
            self._entries = self._load()
        raw = self._entries.get(self.key(name, data))
        if raw is None:
            return None
        try:
            return _result(raw, name, _text(data))
        except _Invalid:
            return None

    def put(self, name: str, data: bytes, result: LintResult) -> None:
        """Keep ``result`` for these bytes under this name -- only if it is theirs: a result
        linted from other text (a fixed one) is refused."""
        if not self.usable or result.file != name or result.text != _text(data):
            return
        self._new[self.key(name, data)] = {
            "diagnostics": [d.to_dict() for d in result.diagnostics],
            "masks": [list(m) for m in result.masks],
        }

    def flush(self) -> None:
        if not self._new:
            return
        new, self._new = self._new, {}
        # A read-only or full disk still lints; it only is not cached.
        with suppress(OSError), self._version_folder(create=True) as folder:
            if folder is None:
                return
            entries = _entries(_read(folder, self.file))
            if len(entries) + len(new) > self.MAX_ENTRIES:
                entries = {}
            entries.update(new)
            data = json.dumps(entries, separators=(",", ":")).encode()
            if len(data) > MAX_BYTES:
                data = json.dumps(new, separators=(",", ":")).encode()
            if len(data) <= MAX_BYTES:
                _write(folder, self.file, data)

    def _load(self) -> dict[str, Any]:
        try:
            with self._version_folder(create=False) as folder:
                return {} if folder is None else _entries(_read(folder, self.file))
        except OSError:
            return {}

    @contextmanager
    def _version_folder(self, create: bool) -> Iterator[_Folder | None]:
        """This version's folder in the cache folder, if both are nexlint's and neither is a
        link; with ``create``, made (and marked) where missing."""
        top = _Folder.top(self.folder, create)
        if top is None:
            yield None
            return
        try:
            if not _claimed(top, self.named, create):
                yield None
                return
            version = top.sub(__version__, create)
            try:
                yield version
            finally:
                if version is not None:
                    version.close()
        finally:
            top.close()


def _text(data: bytes) -> str:
    """The text a lint of ``data`` reads (up to the first bad byte of one that is not
    UTF-8)."""
    decoded = decode(data)
    return decoded.text if isinstance(decoded, DecodeProblem) else decoded


def _entries(data: bytes | None) -> dict[str, Any]:
    """A cache file's entries; nothing if it is not a JSON object (deep nesting included)."""
    if data is None:
        return {}
    try:
        loaded = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


# -- the folder ---------------------------------------------------------------------------------

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0) | os.O_RDONLY
# Where folders can be held open and names opened relative to them, nothing can swap a
# folder for a link between a check and a use; elsewhere (Windows) paths are checked.
_AT = os.open in os.supports_dir_fd and bool(_NOFOLLOW) and hasattr(os, "O_DIRECTORY")


class _Folder:
    """A folder of the cache, reached without following a link."""

    def __init__(self, path: str, handle: int | None) -> None:
        self.path = path
        self.handle = handle

    @classmethod
    def top(cls, path: Path, create: bool) -> _Folder | None:
        """The cache folder: the folders above it are the user's, it must not be a link."""
        if create:
            try:
                os.makedirs(path.parent, exist_ok=True)
            except OSError:
                return None
        return cls._open(str(path), None, create)

    def sub(self, name: str, create: bool) -> _Folder | None:
        return self._open(name, self, create)

    @classmethod
    def _open(cls, name: str, parent: _Folder | None, create: bool) -> _Folder | None:
        path = name if parent is None else os.path.join(parent.path, name)
        where, at = (name, parent.at) if parent is not None else (path, {})
        try:
            if _AT:
                try:
                    handle = os.open(where, _DIRECTORY | _NOFOLLOW | _CLOEXEC, **at)
                except FileNotFoundError:
                    if not create:
                        return None
                    with suppress(FileExistsError):
                        os.mkdir(where, **at)
                    handle = os.open(where, _DIRECTORY | _NOFOLLOW | _CLOEXEC, **at)
                return cls(path, handle)
            if create and not os.path.lexists(path):
                with suppress(FileExistsError):
                    os.mkdir(path)
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode) or _is_link(path):
                return None
            return cls(path, None)
        except OSError:
            return None

    @property
    def at(self) -> dict[str, int]:
        return {} if self.handle is None else {"dir_fd": self.handle}

    def name(self, name: str) -> str:
        return name if self.handle is not None else os.path.join(self.path, name)

    def open(self, name: str, flags: int) -> int:
        """Open file ``name`` of this folder, never through a link."""
        if self.handle is None and _is_link(self.name(name)):
            raise OSError(f"{name} is a link")
        return os.open(self.name(name), flags | _NOFOLLOW | _CLOEXEC | _BINARY, 0o666, **self.at)

    def names(self) -> list[str]:
        return os.listdir(self.handle if self.handle is not None else self.path)

    def replace(self, source: str, target: str) -> None:
        os.replace(
            self.name(source),
            self.name(target),
            src_dir_fd=self.handle,
            dst_dir_fd=self.handle,
        )

    def remove(self, name: str) -> None:
        with suppress(OSError):
            os.unlink(self.name(name), **self.at)

    def close(self) -> None:
        if self.handle is not None:
            os.close(self.handle)
            self.handle = None


def _is_link(path: str) -> bool:
    return os.path.islink(path) or getattr(os.path, "isjunction", lambda _: False)(path)


def _claimed(top: _Folder, named: bool, create: bool) -> bool:
    """Whether the cache folder is nexlint's: it bears our tag (or the .gitignore we wrote
    before there was one), or it is empty, or it is `.nexlint_cache`, whose name is ours.
    Writing marks it."""
    if _marked(top):
        return True
    if named and top.names():
        return False  # someone else's folder: nothing of theirs is read or overwritten
    if not create:
        return True
    for name, text in ((TAG_NAME, TAG), (".gitignore", GITIGNORE)):
        with suppress(FileExistsError):
            _write_new(top, name, text.encode())
    return _marked(top)


def _marked(top: _Folder) -> bool:
    tag = _read(top, TAG_NAME, 1024) or b""
    ignore = _read(top, ".gitignore", 1024) or b""
    ours = tag.startswith(SIGNATURE.encode()) and b"created by nexlint" in tag
    return ours or ignore.startswith(GITIGNORE.encode())


def _read(folder: _Folder, name: str, limit: int = MAX_BYTES) -> bytes | None:
    """A regular file of the folder, if it is one and at most ``limit`` bytes (a FIFO is
    not waited on, a folder or a link is not read)."""
    try:
        handle = folder.open(name, os.O_RDONLY | _NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(handle, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= limit else None
    except OSError:
        return None
    finally:
        os.close(handle)


def _write(folder: _Folder, name: str, data: bytes) -> None:
    """Write ``name`` whole or not at all: a new file of a random name, renamed over it.
    On any failure (a full disk) the new file is removed and OSError raised."""
    temporary = _write_new(folder, f".{name}.", data, random=True)
    try:
        folder.replace(temporary, name)
    except BaseException:
        folder.remove(temporary)
        raise


def _write_new(folder: _Folder, name: str, data: bytes, random: bool = False) -> str:
    """Create file ``name`` (with ``random``, a fresh name starting so, as mkstemp makes
    one) holding ``data``; its name. FileExistsError if it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for _ in range(100):
        chosen = f"{name}{os.urandom(8).hex()}.tmp" if random else name
        try:
            handle = folder.open(chosen, flags)
            break
        except FileExistsError:
            if not random:
                raise
    else:
        raise FileExistsError(name)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    except BaseException:
        os.close(handle)
        folder.remove(chosen)
        raise
    os.close(handle)
    return chosen


class _Invalid(Exception):
    """A cache entry that cannot be trusted."""


def _require(condition: bool) -> None:
    if not condition:
        raise _Invalid


def _int(value: Any, low: int, high: int) -> int:
    _require(type(value) is int and low <= value <= high)
    result: int = value
    return result


def _str(value: Any, optional: bool = False) -> Any:
    _require(
        (optional and value is None)
        or (isinstance(value, str) and escape(value) == value)  # nothing for a terminal
    )
    return value


def _result(raw: Any, name: str, text: str) -> LintResult:
    _require(isinstance(raw, dict) and set(raw) == {"diagnostics", "masks"})
    _require(isinstance(raw["masks"], list) and isinstance(raw["diagnostics"], list))
    masks: list[tuple[int, int]] = []
    for item in raw["masks"]:
        _require(isinstance(item, list) and len(item) == 2)
        low = masks[-1][1] if masks else 0
        start = _int(item[0], low, len(text))
        masks.append((start, _int(item[1], start + 1, len(text))))
    lines = LineIndex(text)
    diagnostics = [_diagnostic(item, name, text, lines) for item in raw["diagnostics"]]
    return LintResult(name, text, diagnostics, tuple(masks))


def _diagnostic(item: Any, name: str, text: str, lines: LineIndex) -> Diagnostic:
    _require(isinstance(item, dict) and set(item) == _DIAGNOSTIC_KEYS)
    _require(item["file"] == name and CODE_PATTERN.match(_str(item["code"])) is not None)
    last = lines.line_count
    line, end_line = _int(item["line"], 1, last), _int(item["end_line"], 1, last)
    column, end_column = (
        _int(item["column"], 1, len(text) + 1),
        _int(item["end_column"], 1, len(text) + 1),
    )
    _require((line, column) <= (end_line, end_column))
    for at in ((line, column), (end_line, end_column)):  # the column is on its line
        _require(lines.position(lines.offset(*at)) == at)
    _require(_str(item["severity"]) in _LEVELS)
    fix = item["fix"]
    return Diagnostic(
        code=item["code"],
        name=_str(item["name"]),
        severity=Severity(item["severity"]),
        message=_str(item["message"]),
        file=name,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        pointer=_str(item["pointer"]),
        help=_str(item["help"], optional=True),
        url=_str(item["url"]),
        fix=None if fix is None else _fix(fix, len(text)),
    )


def _fix(raw: Any, size: int) -> Fix:
    _require(isinstance(raw, dict) and set(raw) == {"message", "safe", "edits"})
    _require(isinstance(raw["safe"], bool) and isinstance(raw["edits"], list))
    edits = []
    for edit in raw["edits"]:
        _require(isinstance(edit, dict) and set(edit) == {"start", "end", "text", "masked"})
        _require(isinstance(edit["text"], str) and isinstance(edit["masked"], bool))
        start = _int(edit["start"], 0, size)
        # A masked edit is only what reports show: it can never be applied.
        edits.append(
            Edit(start, _int(edit["end"], start, size), edit["text"], redacted=edit["masked"])
        )
    return Fix(_str(raw["message"]), tuple(edits), raw["safe"])


_LEVELS = frozenset(s.value for s in Severity)
_DIAGNOSTIC_KEYS = frozenset(f.name for f in fields(Diagnostic))
