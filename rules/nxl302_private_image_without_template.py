"""NXL302 private-image-without-template."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import REGISTRY_PLACEHOLDER, parse_image


@nexlint.rule(
    code="NXL302",
    name="private-image-without-template",
    severity="warning",
    summary="registryLogin is set but an image names the registry literally, or none uses "
    "<% REGISTRY %>",
)
def private_image_without_template(doc: DocumentView, report: Report) -> None:
    """
    Why: the platform uses `registryLogin` for the images that start with
    `<% REGISTRY %>/`. An image that spells the private registry out (`ghcr.io/acme/web`)
    is pulled without the credentials and fails if it is private; and a `registryLogin`
    that no image uses is probably a mistake. Reported at the image, or at `registryLogin`.

    Bad:

        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: "<read-only token>"
          pods:
            - name: web
              image: ghcr.io/acme/web:1.0
              path: /
              servicePorts: [3000]

    Good:

        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: "<read-only token>"
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]
    """
    login = doc.application.get("registryLogin")
    if not isinstance(login, dict):
        return
    registry = login.get("registry")
    host = registry.strip().lower().rstrip("/") if isinstance(registry, str) else None
    host = host.split("://", 1)[-1] if host else None
    literal = False
    templated = False
    for index, pod in doc.pods():
        image = pod.get("image")
        if not isinstance(image, str):
            continue
        if REGISTRY_PLACEHOLDER.search(image):
            templated = True
            continue
        parsed = parse_image(image)
        if host and parsed.registry and parsed.registry.lower() == host:
            literal = True
            rest = image[len(parsed.registry) + 1 :]
            report(
                f"/application/pods/{index}/image",
                f"the image names the private registry {parsed.registry} literally, so "
                "registryLogin is not used for it",
                f"write <% REGISTRY %>/{rest}",
            )
    if not literal and not templated:
        report(
            "/application/registryLogin",
            "registryLogin is set but no image uses <% REGISTRY %>",
            "prefix private images with <% REGISTRY %>/, or remove registryLogin",
            at="key",
        )
