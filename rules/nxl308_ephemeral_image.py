"""NXL308 ephemeral-image."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._images import EPHEMERAL_REGISTRIES, parse_image


@nexlint.rule(
    code="NXL308",
    name="ephemeral-image",
    severity="warning",
    summary="the image is on a registry that deletes images after a time",
)
def ephemeral_image(doc: DocumentView, report: Report) -> None:
    """
    Why: `ttl.sh` is an anonymous registry whose images expire after the time in their tag
    (at most 24 hours). The first deploy works; after that, a pod that is rescheduled (a
    restart, a node replaced) cannot pull its image. Push it to a registry that keeps it.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: ttl.sh/acme-web-4f2a:24h
              path: /
              servicePorts: [3000]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: ghcr.io/acme/web:1.4.2
              path: /
              servicePorts: [3000]
    """
    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        registry = parse_image(image.string).registry
        if registry is not None and registry.lower() in EPHEMERAL_REGISTRIES:
            report(
                image,
                f"image {image.shown(tail=True)} is on {registry}, which deletes it after its "
                "time-to-live: the pod cannot be started again after that",
                help="push the image to a registry that keeps it (e.g. <% REGISTRY %>/...)",
            )
