"""Image references, split as a registry client reads them."""

from __future__ import annotations

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
