"""NXL307 image-placeholder."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._images import is_placeholder_image


@nexlint.rule(
    code="NXL307",
    name="image-placeholder",
    severity="error",
    summary="the image is a placeholder, not an image reference",
    replaces=("NXL103", "NXL104", "NXL304"),
)
def image_placeholder(doc: DocumentView, report: Report) -> None:
    """
    Why: files written for a pipeline carry a stand-in where the image goes
    (`"# filled by pipeline"`, `<your-image>`, `placeholder-…`, `TODO`, `.` for a build
    context, or nothing). As committed, the file cannot deploy. One diagnostic says so, instead
    of a pattern error and a missing tag besides. If a pipeline fills the image in before
    deploying, lint the filled file, or ignore NXL307 for this file.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: "# filled by pipeline"
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
        if image is None or image.is_secret:
            continue
        text = image.string if image.string is not None else ("" if image.data is None else None)
        if text is not None and is_placeholder_image(text):
            report(
                image,
                f"the image is {image.shown() if text else 'empty'}, a placeholder, not an "
                "image reference",
                help="if a pipeline fills it in before deploying, lint the filled file, or "
                "ignore NXL307 for this file (per-file-ignores)",
            )
