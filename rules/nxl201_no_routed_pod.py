"""NXL201 no-routed-pod."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report


@nexlint.rule(
    code="NXL201",
    name="no-routed-pod",
    severity="error",
    summary="no pod has a path, so nothing is reachable",
)
def no_routed_pod(doc: DocumentView, report: Report) -> None:
    """
    Why: a pod is reachable from outside only through its `path`. With no `path` on any
    pod, the deployment succeeds and serves nothing; the hosted validator does not catch
    it. Give the pod that serves the front end `path: /`. Reported at the `pods` key.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              servicePorts: [80]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
    """

    pods = list(doc.pods())
    app = doc.app
    listed = app.get("pods") if app is not None else None
    if not pods or listed is None or any("path" in pod.data for pod in pods):
        return
    names = [pod.name for pod in pods if pod.name is not None]
    hint = (
        f"add `path: /` to the pod that serves users (one of {', '.join(names)})"
        if names
        else "add `path: /` to the pod that serves users"
    )
    report(
        listed.key_location,
        "no pod has a `path`, so nothing is reachable from outside",
        help=hint,
    )
