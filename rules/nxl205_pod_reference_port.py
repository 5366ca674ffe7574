"""NXL205 pod-reference-port."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import POD_REFERENCE, matches_in, text_values


@nexlint.rule(
    code="NXL205",
    name="pod-reference-port",
    severity="warning",
    summary="a <name>.pod:<port> reference to a port the pod does not expose",
)
def pod_reference_port(doc: DocumentView, report: Report) -> None:
    """
    Why: a pod is reachable only on the ports it lists in `servicePorts`. A reference like
    `db.pod:5433` to a pod that exposes 5432 connects nowhere. Reported at the
    `<name>.pod` characters of the reference.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://cache.pod:6380
            - name: cache
              image: redis:7
              servicePorts: [6379]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://cache.pod:6379
            - name: cache
              image: redis:7
              servicePorts: [6379]
    """
    ports: dict[str, list[int]] = {}
    for _, pod in doc.pods():
        listed = pod.get("servicePorts")
        if isinstance(pod.get("name"), str) and isinstance(listed, list):
            ports[pod["name"]] = [p for p in listed if isinstance(p, int)]
    for index, pod in doc.pods():
        for at, value in text_values(index, pod):
            for match, (start, _) in matches_in(doc, at, POD_REFERENCE, value):
                name, port = match.group("name"), match.group("port")
                span = (start, start + len(name) + len(".pod"))
                if port is None or name not in ports or not ports[name]:
                    continue
                if int(port) in ports[name]:
                    continue
                exposed = ", ".join(str(p) for p in ports[name])
                noun = "port" if len(ports[name]) == 1 else "ports"
                report(
                    at,
                    f'"{name}.pod:{port}": pod "{name}" does not expose port {port}; '
                    f"it exposes {noun} {exposed}",
                    f"use {name}.pod:{ports[name][0]} or add {port} to its servicePorts",
                    span=span,
                )
