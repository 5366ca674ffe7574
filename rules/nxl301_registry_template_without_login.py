"""NXL301 registry-template-without-login."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._placeholders import REGISTRY_PLACEHOLDER


@nexlint.rule(
    code="NXL301",
    name="registry-template-without-login",
    severity="error",
    summary="an image uses <% REGISTRY %> but registryLogin is missing",
)
def registry_template_without_login(doc: DocumentView, report: Report) -> None:
    """
    Why: `<% REGISTRY %>` stands for the registry named in `application.registryLogin`.
    Without `registryLogin` there is nothing to put in its place and the image cannot be
    pulled. Reported at the placeholder.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]

    Good:

        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: ${GHCR_READ_TOKEN}
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]
    """

    if "registryLogin" in doc.application:
        return
    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        for found in image.find(REGISTRY_PLACEHOLDER):
            report(
                found,
                "the image uses <% REGISTRY %> but application.registryLogin is "
                "missing, so the registry is unknown",
                help=(
                    "add registryLogin (registry, username, personalAccessToken) under application"
                ),
            )
