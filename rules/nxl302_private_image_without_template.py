"""NXL302 private-image-without-template."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Kind, Report

from ._images import parse_image
from ._placeholders import REGISTRY_PLACEHOLDER


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
            personalAccessToken: ${GHCR_READ_TOKEN}
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
            personalAccessToken: ${GHCR_READ_TOKEN}
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]
    """

    app = doc.app
    login = app.get("registryLogin") if app is not None else None
    if login is None or login.kind != Kind.MAPPING:
        return
    registry = login.data.get("registry")
    host = registry.strip().lower().rstrip("/") if isinstance(registry, str) else None
    host = host.split("://", 1)[-1] if host else None
    literal = False
    templated = False
    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        if REGISTRY_PLACEHOLDER.search(image.string):
            templated = True
            continue
        parsed = parse_image(image.string)
        if host and parsed.registry and parsed.registry.lower() == host:
            literal = True
            rest = image.string[len(parsed.registry) + 1 :]
            report(
                image,
                f"the image names the private registry {parsed.registry} literally, so "
                "registryLogin is not used for it",
                help=f"write <% REGISTRY %>/{rest}",
            )
    if not literal and not templated:
        report(
            login.key_location,
            "registryLogin is set but no image uses <% REGISTRY %>",
            help="prefix private images with <% REGISTRY %>/, or remove registryLogin",
        )
