"""NXL204 unknown-pod-reference."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import POD_REFERENCE, Suggester, matches_in, names_list, parse_image, text_values


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
    `<name>.pod` characters.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                DATABASE_URL: postgresql://app@postgres.pod:5432/app
            - name: db
              image: postgres:16
              servicePorts: [5432]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                DATABASE_URL: postgresql://app@db.pod:5432/app
            - name: db
              image: postgres:16
              servicePorts: [5432]
    """
    names = [pod["name"] for _, pod in doc.pods() if isinstance(pod.get("name"), str)]
    known = set(names)
    # `postgres.pod` most likely means the pod that runs the postgres image.
    by_image = {
        parse_image(pod["image"]).repository.rsplit("/", 1)[-1]: pod["name"]
        for _, pod in doc.pods()
        if isinstance(pod.get("name"), str) and isinstance(pod.get("image"), str)
    }
    suggester = Suggester(names)
    for index, pod in doc.pods():
        for at, value in text_values(index, pod):
            for match, (start, _) in matches_in(doc, at, POD_REFERENCE, value):
                name = match.group("name")
                if name in known:
                    continue
                reference = f"{name}.pod"
                guess = suggester.closest(name) or by_image.get(name)
                help = f'did you mean "{guess}.pod"?' if guess else None
                report(
                    at,
                    f'pod reference "{reference}" names no pod; pods are {names_list(names)}',
                    help,
                    span=(start, start + len(reference)),
                )
