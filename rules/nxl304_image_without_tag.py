"""NXL304 image-without-tag."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

from ._images import parse_image

# What the schema accepts as an image reference; anything else is already NXL104.
REFERENCE = re.compile(r"^(<%\s*[A-Za-z_]+\s*%>/?)?[^\s#<>%]+$")


@nexlint.rule(
    code="NXL304",
    name="image-without-tag",
    severity="error",
    summary="an image without a tag",
)
def image_without_tag(doc: DocumentView, report: Report) -> None:
    """
    Why: the hosted validator accepts an image without a tag (`nginx`), but the deploy
    fails: every image needs an explicit tag or digest. Pin a version. Not fixable: only
    you know which tag to deploy.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: nginx
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
        if image is None or image.string is None or not REFERENCE.match(image.string):
            continue
        parsed = parse_image(image.string)
        if parsed.tag or parsed.digest:
            continue
        report(
            image,
            f"image {image.shown(tail=True)} has no tag; the deploy fails without one",
            help=f"pin a version, e.g. {image.string}:<version>",
        )
