"""NXL304 image-without-tag."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import parse_image

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
    for index, pod in doc.pods():
        image = pod.get("image")
        if not isinstance(image, str) or not REFERENCE.match(image):
            continue
        parsed = parse_image(image)
        if parsed.tag or parsed.digest:
            continue
        at = f"/application/pods/{index}/image"
        report(
            at,
            f"image {doc.shown(at, tail=True)} has no tag; the deploy fails without one",
            f"pin a version, e.g. {image}:<version>",
        )
