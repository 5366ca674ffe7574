"""NXL204 unknown-pod-reference."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report
from nexlint.suggestions import Suggester

from ._images import parse_image
from ._references import names_list


@nexlint.rule(
    code="NXL204",
    name="unknown-pod-reference",
    severity="error",
    summary="a <name>.pod reference that names no pod of the application",
)
def unknown_pod_reference(doc: DocumentView, report: Report) -> None:
    """
    Why: pods reach each other by `<pod-name>.pod`. A reference to a name that is not a pod
    of this application does not resolve, and the pod fails at run time, not at deploy
    time. Checked in vars (both forms), `command` and `entrypoint`; reported at exactly the
    `<name>.pod` characters; the help names the pods that can be reached, and the
    one most likely meant when it is close.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://redis.pod:6379
            - name: cache
              image: redis:7.2
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
              image: redis:7.2
              servicePorts: [6379]
    """

    pods = list(doc.pods())
    names = [pod.name for pod in pods if pod.name is not None]
    known = set(names)
    # `postgres.pod` most likely means the pod that runs the postgres image.
    by_image = {
        parse_image(pod.data["image"]).name: pod.name
        for pod in pods
        if pod.name is not None and isinstance(pod.data.get("image"), str)
    }
    suggester = Suggester(names)
    reachable = "reachable pods: " + names_list([f"{name}.pod" for name in names])
    for _, _, found in doc.pod_references():
        name = found.group("name")
        if name is None or name in known:
            continue
        guess = suggester.closest(name) or by_image.get(name)
        report(
            found.location_of("host"),
            f'pod reference "{name}.pod" names no pod; pods are {names_list(names)}',
            help=(f'did you mean "{guess}.pod"? ' if guess else "") + reachable,
        )
