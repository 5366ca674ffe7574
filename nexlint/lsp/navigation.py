"""Finding one's way in a nexlayer.yaml: its outline, and pods by their `<pod>.pod` names --
from a reference to the pod, from a pod to every reference, and renaming a pod everywhere.
Pure: offsets of the client's text in, spans and changes out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nexlint.diagnostics import Location
from nexlint.lsp.analysis import Analysis, Span, TextChange
from nexlint.secrets import secrets_of
from nexlint.view import Pod, Value

# The platform's pattern for a pod name (a DNS label: `<name>.pod`), as NXL203 checks it.
POD_NAME = re.compile(r"^[a-z][a-z0-9-]{1,63}$")


@dataclass
class Symbol:
    """One entry of the outline. Its name's span lies inside its span, as the protocol
    requires (a name written elsewhere, through an alias, is shown as the whole)."""

    name: str
    kind: str  # application, pod, var, volume, secret
    span: Span  # all of it
    selection: Span  # its name
    detail: str = ""
    children: list[Symbol] = field(default_factory=list)

    def __post_init__(self) -> None:
        inside = self.span.start <= self.selection.start <= self.selection.end <= self.span.end
        if not inside:
            self.selection = self.span


def _span(analysis: Analysis, where: Location) -> Span:
    return Span(analysis.client(where.start), analysis.client(where.end))


def _whole(analysis: Analysis, value: Value) -> Span:
    """A value with its key, if it has one."""
    return Span(
        analysis.client(min(value.key_location.start, value.location.start)),
        analysis.client(value.location.end),
    )


def symbols(analysis: Analysis) -> list[Symbol]:
    """The application, its pods, and each pod's vars, volumes and secrets."""
    app = analysis.view.app
    if app is None:
        return []
    name = app.get("name")
    top = Symbol(
        name.string if name is not None and name.string else "application",
        "application",
        _whole(analysis, app),
        _span(analysis, app.key_location),
        "application",
    )
    for pod in analysis.view.pods():
        top.children.append(_pod_symbol(analysis, pod))
    _mask(analysis, top)
    return [top]


def _mask(analysis: Analysis, symbol: Symbol) -> None:
    """What the outline says, masked as every text that leaves the engine is (an image or a
    name an alias makes a secret)."""
    secrets = secrets_of(analysis.doc)
    stack = [symbol]
    while stack:
        current = stack.pop()
        span = (analysis.engine(current.span.start), analysis.engine(current.span.end))
        current.name = secrets.say(current.name, span) or current.kind
        current.detail = secrets.say(current.detail, span)
        stack.extend(current.children)


def _pod_symbol(analysis: Analysis, pod: Pod) -> Symbol:
    name = pod.get("name")
    image = pod.image
    symbol = Symbol(
        pod.name or pod.label,
        "pod",
        _span(analysis, pod.value.location),
        _span(analysis, name.location if name is not None else pod.value.location),
        (image.string or "") if image is not None else "",
    )
    for var in pod.vars():
        parts = [var.name_location] + ([var.value.location] if var.value is not None else [])
        span = Span(
            analysis.client(min(p.start for p in parts)), analysis.client(max(p.end for p in parts))
        )
        symbol.children.append(Symbol(var.name, "var", span, _span(analysis, var.name_location)))
    for kind, items in (("volume", pod.volumes()), ("secret", pod.secrets())):
        for item in items:
            item_name = item.get("name")
            label = item_name.string if item_name is not None and item_name.string else kind
            mount = item.get("mountPath")
            symbol.children.append(
                Symbol(
                    label,
                    kind,
                    _span(analysis, item.location),
                    _span(analysis, (item_name or item).location),
                    (mount.string or "") if mount is not None else "",
                )
            )
    return symbol


# -- pods by name ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """A pod's name where it is declared (`name: api`) or used (`api.pod`)."""

    pod: str
    span: Span  # the name's characters only
    declaration: bool


def occurrences(analysis: Analysis) -> list[Occurrence]:
    """Every pod name declared, and every `<name>.pod` written, in document order."""
    found: list[Occurrence] = []
    for pod in analysis.view.pods():
        name = pod.get("name")
        if name is not None and name.string:
            found.append(Occurrence(name.string, _span(analysis, name.content_location), True))
    for _, _, reference in analysis.view.pod_references():
        pod_name = reference.group("name")
        if pod_name:
            found.append(
                Occurrence(pod_name, _span(analysis, reference.location_of("name")), False)
            )
    found.sort(key=lambda o: o.span.start)
    return found


def occurrence_at(analysis: Analysis, offset: int) -> Occurrence | None:
    for occurrence in occurrences(analysis):
        if occurrence.span.start <= offset <= occurrence.span.end:
            return occurrence
    return None


def definition(analysis: Analysis, offset: int) -> Span | None:
    """Where the pod named at ``offset`` is declared."""
    at = occurrence_at(analysis, offset)
    if at is None:
        return None
    for occurrence in occurrences(analysis):
        if occurrence.declaration and occurrence.pod == at.pod:
            return occurrence.span
    return None


def references(analysis: Analysis, offset: int, include_declaration: bool) -> list[Span]:
    """Every place the pod named at ``offset`` is named."""
    at = occurrence_at(analysis, offset)
    if at is None:
        return []
    return [
        o.span
        for o in occurrences(analysis)
        if o.pod == at.pod and (include_declaration or not o.declaration)
    ]


class RenameError(ValueError):
    """A rename that cannot be done; the message says why, for the editor to show."""


def rename(analysis: Analysis, offset: int, new_name: str) -> list[TextChange]:
    """Rename the pod named at ``offset``: its `name` and every `<name>.pod` in the file."""
    at = occurrence_at(analysis, offset)
    if at is None:
        raise RenameError("no pod name here")
    if not POD_NAME.match(new_name) or new_name.endswith("-"):
        raise RenameError(
            f'"{new_name}" is not a pod name: 2 to 64 lowercase letters, digits and "-", '
            "starting with a letter and not ending with '-'"
        )
    declared = {o.pod for o in occurrences(analysis) if o.declaration}
    if new_name != at.pod and new_name in declared:
        raise RenameError(f'a pod named "{new_name}" exists already')
    return [TextChange(o.span, new_name) for o in occurrences(analysis) if o.pod == at.pod]
