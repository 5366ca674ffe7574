"""NXL305 image-latest-tag."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._images import parse_image


@nexlint.rule(
    code="NXL305",
    name="image-latest-tag",
    severity="warning",
    summary="an image tagged latest",
)
def image_latest_tag(doc: DocumentView, report: Report) -> None:
    """
    Why: `latest` is mutable: two deploys of the same file can run different code, and a
    rollback does not roll back. Nexlayer's own registry rejects it. Pin a version.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx:latest
              path: /
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

    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        parsed = parse_image(image.string)
        if parsed.tag == "latest" and not parsed.digest:
            report(
                image,
                f"image {image.shown(tail=True)} uses the mutable tag latest",
                help="pin a version or a digest",
            )
