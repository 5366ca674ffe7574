"""Facts about database images: which images are Postgres, where each keeps its data, and
which settings each needs before it will start (nexlayer-spec.md, Storage)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from nexlint import Pod, Value, Var

from ._images import Image, parse_image

# The official image, by every name it is pulled under; and images built on it.
OFFICIAL_POSTGRES = frozenset({"postgres", "library/postgres"})
BUILT_ON_POSTGRES = frozenset({"postgis/postgis", "pgvector/pgvector", "timescale/timescaledb"})
BITNAMI_POSTGRES = "bitnami/postgresql"
# Names with `postgres` in them that are tools around a database, not one.
_NOT_A_DATABASE = re.compile(r"exporter|pgadmin|pgbouncer|postgrest|backup|operator|client|admin")
# A major version in a tag: `pg16` anywhere (`latest-pg17`), or leading (`16.4-alpine`).
_PG_MAJOR = re.compile(r"pg(\d{1,2})(?!\d)")
_LEADING_MAJOR = re.compile(r"(\d{1,2})(?:\.\d+)*(?:$|[-_])")
TODAY_MAJOR = 18  # what `postgres:latest` (or a tag with no version) runs today
CLASSIC_DATA = "/var/lib/postgresql/data"


@dataclass(frozen=True)
class PostgresLayout:
    """Where a Postgres image keeps its data, and the mount that keeps it."""

    data: str  # the data directory
    volume: str  # where a volume should be mounted
    label: str  # how a message names the image, e.g. "postgres 18"
    pgdata_below: str | None = None  # a PGDATA under `data` that makes a mount on `data` work
    # The directory older images used, which this one no longer reads (postgres 18+ without
    # PGDATA): a volume there keeps nothing, and the entrypoint refuses data found there.
    former: str | None = None
    by_pgdata: bool = False  # `data` is the pod's PGDATA, not the image's own

    @property
    def source(self) -> str:
        """What says the data directory is where it is, for a message: `(postgres 16)`."""
        return "PGDATA" if self.by_pgdata else self.label


def postgres_image(reference: Any) -> Image | None:
    """The parsed image when it runs Postgres, else None."""
    if not isinstance(reference, str):
        return None
    image = parse_image(reference)
    repository = image.repository.lower()
    known = OFFICIAL_POSTGRES | BUILT_ON_POSTGRES | {BITNAMI_POSTGRES}
    if repository in known:
        return image
    name = repository.rsplit("/", 1)[-1]
    if "postgres" in name and not _NOT_A_DATABASE.search(name):
        return image
    return None


def is_official_postgres(image: Image) -> bool:
    return image.repository.lower() in OFFICIAL_POSTGRES | BUILT_ON_POSTGRES


def major_version(image: Image) -> int | None:
    """The Postgres major version a tag names (`16`, `16.4-alpine`, `pg16`, `16-3.4`,
    `latest-pg17`), or None when it names none (`latest`, `alpine`, no tag)."""
    tag = image.tag or ""
    found = _PG_MAJOR.search(tag) or _LEADING_MAJOR.match(tag)
    major = int(found.group(1)) if found else None
    return major if major is not None and major >= 9 else None


def postgres_layout(image: Image, pgdata: Any) -> PostgresLayout:
    """The data directory of this image and tag; `PGDATA` in vars overrides it."""
    repository = image.repository.lower()
    major = major_version(image)
    label = f"postgres {major}" if major is not None else "this Postgres image"
    if major is None and repository in OFFICIAL_POSTGRES:
        major, label = TODAY_MAJOR, f"postgres {TODAY_MAJOR} (a tag without a version)"
    if repository == BITNAMI_POSTGRES:
        label = BITNAMI_POSTGRES
        layout = PostgresLayout("/bitnami/postgresql/data", "/bitnami/postgresql", label)
    elif is_official_postgres(image) and major is not None and major >= 18:
        docker = f"/var/lib/postgresql/{major}/docker"
        layout = PostgresLayout(docker, "/var/lib/postgresql", label, former=CLASSIC_DATA)
    else:
        below = CLASSIC_DATA + "/pgdata"
        layout = PostgresLayout(CLASSIC_DATA, "/var/lib/postgresql", label, pgdata_below=below)
    override = normal_path(pgdata)
    if override is None:
        return layout
    return PostgresLayout(override, posixpath.dirname(override), label, by_pgdata=True)


@dataclass(frozen=True)
class PostgresPod:
    """A pod that runs Postgres: where its data lives and where its volumes are mounted."""

    image: Value
    layout: PostgresLayout
    pgdata: Var | None  # the PGDATA var, when set
    mounts: list[tuple[Value, str]]  # each absolute mountPath, with its normal form
    declares_volumes: bool  # `volumes` is set and not empty, usable or not

    def holding(self) -> list[Value]:
        """The mounts that keep the data directory."""
        return [mount for mount, path in self.mounts if holds(path, self.layout.data)]


def postgres_pod(pod: Pod) -> PostgresPod | None:
    """The pod's Postgres facts, or None when its image is not Postgres."""
    image_value = pod.image
    image = postgres_image(image_value.data) if image_value is not None else None
    if image_value is None or image is None:
        return None
    pgdata = pod.var("PGDATA")
    layout = postgres_layout(image, pgdata.data if pgdata is not None else None)
    mounts = []
    for volume in pod.volumes():
        mount = volume.get("mountPath")
        path = normal_path(mount.data) if mount is not None else None
        if mount is not None and path is not None:
            mounts.append((mount, path))
    declared = pod.get("volumes")
    return PostgresPod(image_value, layout, pgdata, mounts, bool(declared and declared.data))


def normal_path(path: Any) -> str | None:
    """An absolute path without trailing or doubled slashes; None when not absolute."""
    if not isinstance(path, str) or not path.startswith("/"):
        return None
    return posixpath.normpath(path)


def below(path: str, parent: str) -> bool:
    """True when ``path`` is strictly inside ``parent``."""
    return path != parent and path.startswith(parent.rstrip("/") + "/")


def holds(mount: str, data: str) -> bool:
    """Whether a volume mounted on ``mount`` keeps the data directory ``data``."""
    return mount == data or below(data, mount)


# What each database image needs before it starts: (names that any set satisfies, what the
# help suggests). An `_FILE` form of each counts too.
@dataclass(frozen=True)
class PasswordRule:
    image: str  # how the message names the image
    settings: tuple[str, ...]  # any of these, set
    switches: dict[str, str]  # or any of these, set to this value ("" = any non-empty)
    suggestion: str


def password_rule(image: Image) -> PasswordRule | None:
    repository = image.repository.lower()
    if repository in OFFICIAL_POSTGRES | BUILT_ON_POSTGRES:
        return PasswordRule(
            repository.removeprefix("library/"),
            ("POSTGRES_PASSWORD",),
            {"POSTGRES_HOST_AUTH_METHOD": "trust"},
            "POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE, from a secret)",
        )
    if repository == BITNAMI_POSTGRES:
        return PasswordRule(
            BITNAMI_POSTGRES,
            ("POSTGRESQL_PASSWORD",),
            {"ALLOW_EMPTY_PASSWORD": "yes"},
            "POSTGRESQL_PASSWORD",
        )
    if repository in ("mysql", "library/mysql"):
        return PasswordRule(
            "mysql",
            ("MYSQL_ROOT_PASSWORD",),
            {"MYSQL_ALLOW_EMPTY_PASSWORD": "", "MYSQL_RANDOM_ROOT_PASSWORD": ""},
            "MYSQL_ROOT_PASSWORD (or MYSQL_ROOT_PASSWORD_FILE, from a secret)",
        )
    if repository in ("mariadb", "library/mariadb"):
        return PasswordRule(
            "mariadb",
            ("MARIADB_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD_HASH", "MYSQL_ROOT_PASSWORD"),
            {
                "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": "",
                "MARIADB_RANDOM_ROOT_PASSWORD": "",
                "MYSQL_ALLOW_EMPTY_PASSWORD": "",
                "MYSQL_RANDOM_ROOT_PASSWORD": "",
            },
            "MARIADB_ROOT_PASSWORD (or MARIADB_ROOT_PASSWORD_FILE, from a secret)",
        )
    return None
