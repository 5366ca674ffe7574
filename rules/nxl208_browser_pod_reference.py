"""NXL208 browser-pod-reference."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._references import POD_REFERENCE

BROWSER_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
)


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
    resolve `<pod>.pod`, which exists only inside the deployment; use `<% URL %>` (and a
    `path` that routes to the pod) instead. The live validator rejects these too.

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

    for pod in doc.pods():
        for var in pod.vars():
            if var.value is None or not var.name.upper().startswith(BROWSER_PREFIXES):
                continue
            for found in var.value.find(POD_REFERENCE):
                report(
                    found.location_of("host"),
                    f'{var.name} is read by browsers, which cannot resolve "{found.group("host")}"',
                    help="use <% URL %> with the pod's path, e.g. <% URL %>/api",
                )
