"""NXL212 foreign-placeholder."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report, Value
from nexlint.secrets import is_secret_name

# `${NAME}`, `${NAME:-default}`, `${pod:port}`: other platforms' substitutions.
FOREIGN = re.compile(r"\$\{(?P<body>[^{}\s]*)\}")
IMAGE = "the image"
POD_PORT = re.compile(r"^(?P<pod>[a-z][a-z0-9-]*):(?P<port>[0-9]{1,5})$")


@nexlint.rule(
    code="NXL212",
    name="foreign-placeholder",
    severity="warning",
    summary="a ${...} placeholder, which Nexlayer does not fill in",
)
def foreign_placeholder(doc: DocumentView, report: Report) -> None:
    """
    Why: Nexlayer fills in only `<% URL %>`, `<% DOMAIN %>` and `<% REGISTRY %>`. A `${NAME}`
    or `${pod:port}` copied from docker-compose or another platform reaches the pod as the
    literal text `${NAME}`: `OPENAI_API_KEY: "${OPENAI_API_KEY}"` hands the app that string.
    Checked in var values and images; not in `command` or `entrypoint`, where a shell
    expands `$VAR` from the pod's own vars at run time. For `${db:5432}` where `db` is a
    pod, the help gives the Nexlayer form, `db.pod:5432`.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://${cache:6379}
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
    names = {pod.name for pod in pods if pod.name is not None}
    for pod in pods:
        values: list[tuple[str, Value]] = [
            (var.name, var.value) for var in pod.vars() if var.value is not None
        ]
        if pod.image is not None:
            values.append((IMAGE, pod.image))
        for owner, value in values:
            for found in value.find(FOREIGN):
                reference = POD_PORT.match(found.group("body") or "")
                if reference and reference.group("pod") in names:
                    help = f"write {reference.group('pod')}.pod:{reference.group('port')}"
                elif owner == IMAGE:
                    help = "write the registry and tag, or use <% REGISTRY %> with registryLogin"
                elif is_secret_name(owner):  # by its name: `${API_KEY}` itself is no secret
                    help = "put the secret in `secrets`, or fill the file in before deploying"
                else:
                    help = "write the value itself, or fill the file in before deploying"
                shown = "a ${...} placeholder" if found.is_secret else found.text
                report(
                    found,
                    f"{owner} holds {shown}, which Nexlayer does not fill in: the pod "
                    "receives the text as it is",
                    help=help,
                )
