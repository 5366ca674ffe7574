"""Which values are secret, and how values are shown in messages.

Secret values are never printed: ``registryLogin.personalAccessToken``, ``secrets[].data``,
and vars whose name says secret. Messages, JSON and code frames show ``****`` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nexlint.pointers import join_pointer, split_pointer

if TYPE_CHECKING:
    from nexlint.document import Document

SCALAR = "scalar"

MASK = "****"
SHOWN_LIMIT = 40

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def is_secret_pointer(doc: Document, pointer: str) -> bool:
    tokens = split_pointer(pointer)
    if tokens[:3] == ["application", "registryLogin", "personalAccessToken"]:
        return True
    if len(tokens) < 5 or tokens[:2] != ["application", "pods"]:
        return False
    if tokens[3] == "secrets":
        return len(tokens) >= 6 and tokens[5] == "data"
    if tokens[3] != "vars":
        return False
    if not tokens[4].isdigit():
        return is_secret_name(tokens[4])
    item = doc.node(join_pointer(tokens[:5]))
    if item is None or len(tokens) < 6 or tokens[5] != "value":
        return False
    key = item[1].lookup("key")
    return key is not None and key[1].kind == SCALAR and is_secret_name(key[1].value)


def secret_pointers(doc: Document) -> Iterator[str]:
    """Pointers of every secret value in the document."""
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("application"), dict):
        return
    app = data["application"]
    if isinstance(app.get("registryLogin"), dict):
        yield "/application/registryLogin/personalAccessToken"
    pods = app.get("pods")
    if not isinstance(pods, list):
        return
    for i, pod in enumerate(pods):
        if not isinstance(pod, dict):
            continue
        base = f"/application/pods/{i}"
        for j, secret in enumerate(_list(pod.get("secrets"))):
            if isinstance(secret, dict):
                yield f"{base}/secrets/{j}/data"
        variables = pod.get("vars")
        if isinstance(variables, dict):
            for name in variables:
                if is_secret_name(name):
                    yield join_pointer(["application", "pods", str(i), "vars", name])
        for j, item in enumerate(_list(variables)):
            key = item.get("key") if isinstance(item, dict) else None
            if isinstance(key, str) and is_secret_name(key):
                yield f"{base}/vars/{j}/value"


def secret_spans(doc: Document) -> list[tuple[int, int]]:
    """Character ranges of secret values (of any type: a list is masked whole), for masking
    code frames."""
    spans = []
    for pointer in secret_pointers(doc):
        found = doc.node(pointer)
        if found is not None and found[1].end > found[1].start:
            spans.append((found[1].start, found[1].end))
    return spans


def shown_value(doc: Document, pointer: str) -> str:
    """A value as a message shows it: from the source, clipped, masked when secret."""
    if is_secret_pointer(doc, pointer):
        return MASK
    found = doc.node(pointer)
    if found is None:
        return "the value"
    node = found[1]
    if node.kind != SCALAR:
        return "a mapping" if node.kind == "mapping" else "a list"
    written = doc.text[node.start : node.end]
    if node.style in ("|", ">"):
        return '"' + clip(node.value.rstrip("\n")) + '"'
    if node.is_plain and node.tag == "str":
        written = f'"{written}"'
    return clip(written)


def clip(text: str, limit: int = SHOWN_LIMIT) -> str:
    text = text.replace("\r", "").replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
