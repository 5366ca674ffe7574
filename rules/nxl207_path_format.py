"""NXL207 path-format."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix
from nexlint.rule_api import Report


@nexlint.rule(
    code="NXL207",
    name="path-format",
    severity="error",
    summary="a path that does not start with /",
    fixable=True,
)
def path_format(doc: DocumentView, report: Report) -> None:
    """
    Why: `path` is a URL route and must start with `/` (`/`, `/api`). A route without it
    does not match requests. Fix: add the leading `/`.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: api
              servicePorts: [80]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /api
              servicePorts: [80]
    """
    for index, pod in doc.pods():
        path = pod.get("path")
        at = f"/application/pods/{index}/path"
        node = doc.node(at)
        if not isinstance(path, str) or path.startswith("/") or node is None:
            continue
        fix = None
        if node.style in (None, '"', "'") and "\n" not in doc.text[node.start : node.end]:
            insert = node.start + (1 if node.style else 0)
            fix = Fix('add the leading "/"', (Edit(insert, insert, "/"),))
        report(at, f'path {doc.shown(at)} does not start with "/"', f'write "/{path}"', fix)
