"""NXL206 duplicate-path."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report


@nexlint.rule(
    code="NXL206",
    name="duplicate-path",
    severity="error",
    summary="two pods route the same path",
)
def duplicate_path(doc: DocumentView, report: Report) -> None:
    """
    Why: a `path` routes outside traffic to one pod; two pods with the same path collide
    and one of them never receives requests. Reported at the later path.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: api
              image: acme/api:1.0
              path: /
              servicePorts: [8000]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: api
              image: acme/api:1.0
              path: /api
              servicePorts: [8000]
    """

    owners: dict[str, str] = {}
    for pod in doc.pods():
        path = pod.get("path")
        if path is None or path.string is None:
            continue
        key = path.string.rstrip("/") or "/"
        if key in owners:
            report(
                path,
                f'path "{path.string}" is already routed to {owners[key]}',
                help="give each pod its own path",
            )
        else:
            owners[key] = pod.label
