"""NXL207 path-format."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix, Report


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

    for pod in doc.pods():
        path = pod.get("path")
        if path is None or path.string is None or path.string.startswith("/"):
            continue
        fix = None
        if path.style in (None, '"', "'") and path.single_line:
            fix = Fix('add the leading "/"', (Edit.before(path.content_location, "/"),))
        report(
            path,
            f'path {path.shown()} does not start with "/"',
            help=f'write "/{path.string}"',
            fix=fix,
        )
