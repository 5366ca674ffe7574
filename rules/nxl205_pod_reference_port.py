"""NXL205 pod-reference-port."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report


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

    pods = list(doc.pods())
    ports = {
        pod.name: pod.service_ports
        for pod in pods
        if pod.name is not None and isinstance(pod.data.get("servicePorts"), list)
    }
    for _, _, found in doc.pod_references():
        name, port = found.group("name"), found.group("port")
        if name is None or port is None or not ports.get(name):
            continue
        exposed = ports[name]
        if int(port) in exposed:
            continue
        noun = "port" if len(exposed) == 1 else "ports"
        report(
            found.location_of("host"),
            f'"{name}.pod:{port}": pod "{name}" does not expose port {port}; '
            f"it exposes {noun} {', '.join(str(p) for p in exposed)}",
            help=f"use {name}.pod:{exposed[0]} or add {port} to its servicePorts",
        )
