"""NXL202 duplicate-pod-name."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report
from nexlint.view import pod_label


@nexlint.rule(
    code="NXL202",
    name="duplicate-pod-name",
    severity="error",
    summary="two pods share a name",
)
def duplicate_pod_name(doc: DocumentView, report: Report) -> None:
    """
    Why: a pod's name is its identity and its DNS name (`<name>.pod`); two pods with one
    name collide at deploy time. Reported at the later name.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - name: web
              image: acme/api:1.0
              path: /api
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

    first: dict[str, int] = {}
    for pod in doc.pods():
        name = pod.get("name")
        if name is None or name.string is None:
            continue
        if name.string in first:
            earlier = pod_label(first[name.string], None)  # by place: the names are the same
            report(
                name,
                f'pod name "{name.string}" is already used by {earlier}',
                help="give every pod its own name",
            )
        else:
            first[name.string] = pod.index
