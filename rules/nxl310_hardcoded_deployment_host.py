"""NXL310 hardcoded-deployment-host."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

DEPLOYMENT_HOST = re.compile(
    r"(?<![\w.\-])(?P<host>[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.cloud\.nexlayer\.ai)"
    r"(?![\w\-]|\.\w)",
    re.IGNORECASE,
)


@nexlint.rule(
    code="NXL310",
    name="hardcoded-deployment-host",
    severity="warning",
    summary="a var spells out a Nexlayer deployment host, which changes each deployment",
)
def hardcoded_deployment_host(doc: DocumentView, report: Report) -> None:
    """
    Why: a deployment is served at a host like `relaxed-weasel-shop.cloud.nexlayer.ai` that
    changes with each deployment. A var that spells it out points at the old deployment after
    the next one. `<% URL %>` (with the scheme) and `<% DOMAIN %>` (the host alone) are
    filled in with the current one. Not reported when `application.url` sets a custom domain,
    which keeps the host stable.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                CORS_ORIGIN: https://relaxed-weasel-shop.cloud.nexlayer.ai

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                CORS_ORIGIN: <% URL %>
    """
    if doc.application.get("url"):
        return
    for pod in doc.pods():
        for var in pod.vars():
            if var.value is None or var.value.string is None:
                continue
            for found in var.value.find(DEPLOYMENT_HOST):
                report(
                    found.location_of("host"),
                    f"{var.name} spells out the deployment host {found.group('host')}, which "
                    "changes with each deployment",
                    help="use <% URL %> (with https://) or <% DOMAIN %> (the host alone)",
                )
