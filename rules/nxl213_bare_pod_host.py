"""NXL213 bare-pod-host."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix, Report

from ._references import BARE_HOST, URL_HOST
from ._vars import is_browser_var


@nexlint.rule(
    code="NXL213",
    name="bare-pod-host",
    severity="warning",
    summary="a pod named as a host without .pod",
    fixable=True,
)
def bare_pod_host(doc: DocumentView, report: Report) -> None:
    """
    Why: pods reach each other as `<name>.pod`. A URL or `host:port` whose host is a pod's
    bare name (`http://api:8000`, `redis://cache:6379`, copied from docker-compose, where
    service names resolve) does not resolve on Nexlayer. Reported at the host; the unsafe
    fix adds `.pod`. In a browser-read var NXL208 reports it instead (browsers cannot resolve
    either form), and inside `${...}` NXL212 does.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                API_URL: http://api:8000/v1
            - name: api
              image: acme/api:1.0
              servicePorts: [8000]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                API_URL: http://api.pod:8000/v1
            - name: api
              image: acme/api:1.0
              servicePorts: [8000]
    """
    pods = list(doc.pods())
    names = {pod.name for pod in pods if pod.name is not None}
    if not names:
        return
    for pod in pods:
        for var in pod.vars():
            if var.value is None or var.value.string is None or is_browser_var(var.name):
                continue
            for pattern in (URL_HOST, BARE_HOST):
                for found in var.value.find(pattern):
                    host = found.group("host")
                    if host not in names:
                        continue
                    where = found.location_of("host")
                    fix = Fix(
                        f"write {host}.pod", (Edit.replace(where, f"{host}.pod"),), safe=False
                    )
                    report(
                        where,
                        f"{var.name} names pod {host} as a host; pods are reached as {host}.pod",
                        help=f"write {host}.pod",
                        fix=fix,
                    )
