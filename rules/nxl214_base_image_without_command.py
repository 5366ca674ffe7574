"""NXL214 base-image-without-command."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._images import is_base_image, parse_image


@nexlint.rule(
    code="NXL214",
    name="base-image-without-command",
    severity="warning",
    summary="a language or OS base image with no command: it exits at once",
)
def base_image_without_command(doc: DocumentView, report: Report) -> None:
    """
    Why: a language or OS base image (`node`, `python`, `golang`, `ruby`, `openjdk`,
    `eclipse-temurin`, `ubuntu`, `debian`, `alpine`, `busybox`, `oven/bun`, any tag) starts a
    REPL or a shell by default. A pod has no terminal, so that process exits at once and the
    pod restarts for ever. Give it a `command` (or an `entrypoint`), or use an image built
    from your app. An image that only has such a name in it (`acme/node-api`) is not one.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: node:20-alpine
              path: /
              servicePorts: [3000]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: node:20-alpine
              path: /
              servicePorts: [3000]
              command: node server.js
    """
    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        if "command" in pod.data or "entrypoint" in pod.data:
            continue
        parsed = parse_image(image.string)
        if is_base_image(parsed):
            report(
                image,
                f"image {image.shown(tail=True)} is the {parsed.name} base image, and the pod "
                "sets no command: its default shell or REPL exits at once",
                help="add `command:` to start your app, or use an image built from it",
            )
