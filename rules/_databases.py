"""Facts about database images: which images are Postgres, and where their data lives."""

from __future__ import annotations

import posixpath
from typing import Any

from ._images import parse_image

POSTGRES_IMAGES = frozenset(
    {
        "postgres",
        "library/postgres",
        "bitnami/postgresql",
        "postgis/postgis",
        "pgvector/pgvector",
        "timescale/timescaledb",
    }
)
POSTGRES_DATA = "/var/lib/postgresql/data"


def is_postgres(image: Any) -> bool:
    if not isinstance(image, str):
        return False
    repository = parse_image(image).repository.lower()
    return repository in POSTGRES_IMAGES or (
        "/" not in repository and f"library/{repository}" in POSTGRES_IMAGES
    )


def normal_path(path: Any) -> str | None:
    """An absolute path without trailing or doubled slashes; None when not absolute."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    return posixpath.normpath(path)


def below(path: str, parent: str) -> bool:
    """True when ``path`` is strictly inside ``parent``."""
    return path != parent and path.startswith(parent.rstrip("/") + "/")
