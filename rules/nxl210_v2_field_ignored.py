"""NXL210 v2-field-ignored."""

from __future__ import annotations

from typing import Any

import nexlint
from nexlint import DocumentView, Report

V2_FIELDS = ("resourceType", "replicas", "resources", "subdomain")


def is_v2(version: Any) -> bool:
    if isinstance(version, bool):
        return False
    if isinstance(version, (int, float)):
        return float(version) == 2.0
    return isinstance(version, str) and version.strip() in ("2", "2.0")


@nexlint.rule(
    code="NXL210",
    name="v2-field-ignored",
    severity="warning",
    summary="a v2 pod field set without application.version 2.0",
)
def v2_field_ignored(doc: DocumentView, report: Report) -> None:
    """
    Why: `resourceType`, `replicas`, `resources` and `subdomain` are honoured only when
    `application.version` is 2.0. Without it the platform silently ignores them: the pod
    runs with one replica and default resources. Reported at the field's key.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              replicas: 3

    Good:

        application:
          name: shop
          version: 2.0
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              replicas: 3
    """

    if is_v2(doc.application.get("version")):
        return
    for pod in doc.pods():
        for field in V2_FIELDS:
            value = pod.get(field)
            if value is not None:
                report(
                    value.key_location,
                    f'"{field}" needs application.version 2.0; without it the platform ignores it',
                    help="add `version: 2.0` under `application:`",
                )
