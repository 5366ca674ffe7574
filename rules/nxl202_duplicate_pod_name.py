"""NXL202 duplicate-pod-name."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report


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
    for index, pod in doc.pods():
        name = pod.get("name")
        if not isinstance(name, str):
            continue
        if name in first:
            report(
                f"/application/pods/{index}/name",
                f'pod name "{name}" is already used by pod #{first[name] + 1}',
                "give every pod its own name",
            )
        else:
            first[name] = index
