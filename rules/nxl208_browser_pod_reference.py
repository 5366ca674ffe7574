"""NXL208 browser-pod-reference."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Pod, Report

from ._references import POD_REFERENCE, URL_HOST
from ._vars import is_browser_var


@nexlint.rule(
    code="NXL208",
    name="browser-pod-reference",
    severity="warning",
    summary="a browser-read var points at a .pod name browsers cannot resolve",
)
def browser_pod_reference(doc: DocumentView, report: Report) -> None:
    """
    Why: vars named `NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`, `PUBLIC_*`, `NUXT_PUBLIC_*`
    or `EXPO_PUBLIC_*` are built into code that runs in the browser. A browser cannot
    resolve `<pod>.pod`, which exists only inside the deployment, nor a pod's bare name
    (`http://api:8000`); use `<% URL %>` with the `path` that routes to that pod instead
    (the help gives it). The live validator rejects `.pod` names there too. Reported at
    the host.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                NEXT_PUBLIC_API_URL: http://api.pod:8000
            - name: api
              image: acme/api:1.0
              path: /api
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
                NEXT_PUBLIC_API_URL: <% URL %>/api
            - name: api
              image: acme/api:1.0
              path: /api
              servicePorts: [8000]
    """

    pods = list(doc.pods())
    by_name = {pod.name: pod for pod in pods if pod.name is not None}
    for pod in pods:
        for var in pod.vars():
            if var.value is None or not is_browser_var(var.name):
                continue
            found_hosts = [(found, found.group("name")) for found in var.value.find(POD_REFERENCE)]
            found_hosts += [
                (found, found.group("host"))
                for found in var.value.find(URL_HOST)
                if found.group("host") in by_name
            ]
            for found, name in found_hosts:
                report(
                    found.location_of("host"),
                    f'{var.name} is read by browsers, which cannot resolve "{found.group("host")}"',
                    help=_route(by_name.get(name or "")),
                )


def _route(target: Pod | None) -> str:
    """How a browser reaches the pod: the deployment's URL and the pod's own `path`."""
    path = target.data.get("path") if target is not None else None
    if target is None or not isinstance(path, str) or not path.startswith("/"):
        who = f"pod {target.name}" if target is not None and target.name else "the pod"
        return f"give {who} a path and use <% URL %> with it"
    url = "<% URL %>" + path.rstrip("/")
    return f"use {url} (the path of pod {target.name})"
