"""Image references, split as a registry client reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._placeholders import REGISTRY_PLACEHOLDER


@dataclass(frozen=True)
class Image:
    """An image reference: `[registry/]repository[:tag][@digest]`."""

    registry: str | None  # host (with port) when the first component names one
    repository: str  # path without the registry host, e.g. library/postgres
    tag: str | None
    digest: str | None
    templated: bool  # starts with <% REGISTRY %>

    @property
    def name(self) -> str:
        """The repository's last part: `postgres` of `docker.io/library/postgres:16`."""
        return self.repository.rsplit("/", 1)[-1]


def parse_image(reference: str) -> Image:
    templated = bool(REGISTRY_PLACEHOLDER.match(reference))
    rest = REGISTRY_PLACEHOLDER.sub("", reference, count=1).lstrip("/") if templated else reference
    digest = None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
    last_slash = rest.rfind("/")
    tag = None
    colon = rest.rfind(":")
    if colon > last_slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
    registry = None
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        registry, rest = first, remainder
    return Image(registry, rest, tag, digest, templated)


# An image that is a placeholder for one (NXL307): a comment-like text, `<your-image>`,
# `placeholder…`, `TODO` (in capitals: `todo-app:1.0` is an image), `.` (a build context), or
# nothing at all.
_PLACEHOLDER_IMAGE = re.compile(
    r"^(?:#.*|<(?!%)[^>]*>.*|(?i:placeholder).*|TODO\b.*|\.\.?(?:/.*)?|)$", re.DOTALL
)


def is_placeholder_image(text: str) -> bool:
    return bool(_PLACEHOLDER_IMAGE.match(text.strip()))


# Language and OS images whose default process is a shell or a REPL (NXL214).
BASE_IMAGES = frozenset(
    {
        "node",
        "python",
        "golang",
        "ruby",
        "openjdk",
        "eclipse-temurin",
        "ubuntu",
        "debian",
        "alpine",
        "busybox",
        "oven/bun",
    }
)


def is_base_image(image: Image) -> bool:
    """`node:20`, `docker.io/library/python:3.12-slim`, `oven/bun:1`; not an image that
    merely has such a name in it (`acme/node-api`, `nodered/node-red`)."""
    repository = image.repository.lower().removeprefix("library/")
    on_hub = image.registry in (None, "docker.io", "index.docker.io", "mirror.gcr.io")
    return on_hub and repository in BASE_IMAGES


# Registries that delete what is pushed to them after a time-to-live (NXL308).
EPHEMERAL_REGISTRIES = frozenset({"ttl.sh"})
