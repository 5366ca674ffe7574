"""NXL003: files that are not a nexlayer.yaml of today's layout get one clear diagnostic
instead of a flood of schema errors (empty file, root not a mapping, legacy and foreign
layouts seen in real repositories)."""

from __future__ import annotations

from nexlint.display import clip
from nexlint.document import MAPPING, SEQUENCE, Document, Node
from nexlint.findings import Finding
from nexlint.pointers import join_pointer
from nexlint.rule_api import engine_rule

DOCUMENT_SHAPE = engine_rule(
    "NXL003",
    "document-shape",
    "empty file, several documents, root not a mapping, or a legacy layout",
    """
Why: a file that is empty, holds several YAML documents, is not a mapping, or follows a
legacy or foreign layout (`application.template`, pods keyed by name, `pods:` at the top
level, a docker-compose `services:` map) would otherwise produce a flood of schema errors.
It gets one diagnostic that names the layout instead. Files too large to be a deployment
file, nesting deeper than any nexlayer.yaml needs, and alias bombs are refused here too.

Bad:

    application:
      name: shop
      pods:
        web:
          image: nginx:1.27
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
)


# The codes this stage reports, for the registry (they are rules like any other for
# selection, severity, suppression and docs).
RULES = (DOCUMENT_SHAPE,)

CODE = "NXL003"


def shape_findings(doc: Document) -> list[Finding]:
    """At most one finding; when there is one, nothing further is checked."""
    root = doc.root
    if root is None:
        empty = doc.complete and not doc.findings
        return (
            [_at_start(doc, "the file is empty: a nexlayer.yaml starts with `application:`")]
            if empty
            else []
        )
    found = _top_level(root) or _application(root)
    return [found] if found is not None else []


# Keys at the top level that belong to another layout: (key, message).
FOREIGN_KEYS = (
    (
        "services",
        "top-level `services:` is a docker-compose layout; a nexlayer.yaml lists its pods "
        "under `application.pods`",
    ),
    (
        "pods",
        "`pods:` stands at the top level; a nexlayer.yaml nests it under `application:` "
        "(application.pods)",
    ),
)


def _top_level(root: Node) -> Finding | None:
    """A root that is not a mapping, a foreign layout's key, or no `application:`."""
    if root.kind != MAPPING:
        kind = "a list" if root.kind == SEQUENCE else "a single value"
        message = (
            f"the top level is {kind}; a nexlayer.yaml is a mapping with an `application:` key"
        )
        return _finding(root, message, "")
    for key, message in FOREIGN_KEYS:
        found = root.lookup(key)
        if found is not None:
            return _finding(found[0], message, join_pointer([key]))
    if root.lookup("application") is None:
        keys = ", ".join(clip(k.value, 20) for k, _ in root.entries[:6])
        first = min((k for k, _ in root.entries), key=lambda k: k.start, default=root)
        message = (
            f"the file has no `application:` key (its keys: {keys}); "
            "this does not look like a nexlayer.yaml"
        )
        return _finding(first, message, "")
    return None


def _application(root: Node) -> Finding | None:
    """The legacy `application.template` layout, or pods keyed by name."""
    found = root.lookup("application")
    app = found[1] if found is not None else None
    if app is None or app.kind != MAPPING:
        return None
    template = app.lookup("template")
    if template is not None:
        message = (
            "`application.template` is the legacy template format (type, tag, exposeHttp); "
            "today's layout puts name and pods directly under `application`"
        )
        return _finding(template[0], message, "/application/template")
    pods = app.lookup("pods")
    if pods is not None and pods[1].kind == MAPPING:
        message = (
            "pods are keyed by name here; `pods` is a list of pods, each with its own `name:` "
            "(- name: web)"
        )
        return _finding(pods[0], message, "/application/pods")
    return None


def _finding(node: Node, message: str, pointer: str) -> Finding:
    return Finding(CODE, message, node.start, max(node.end, node.start + 1), pointer)


def _at_start(doc: Document, message: str) -> Finding:
    end = 1 if doc.text[:1] not in ("", "\r", "\n") else 0  # never half a line break
    return Finding(CODE, message, 0, end, "")
