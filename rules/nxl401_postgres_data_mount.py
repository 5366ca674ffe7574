"""NXL401 postgres-data-mount."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix, Report, Value

from ._databases import PostgresPod, postgres_pod


@nexlint.rule(
    code="NXL401",
    name="postgres-data-mount",
    severity="error",
    summary="a Postgres volume mounted exactly on its data directory, or where it no longer is",
    fixable=True,
)
def postgres_data_mount(doc: DocumentView, report: Report) -> None:
    """
    Why: a fresh volume holds a `lost+found` directory, and Postgres' initdb refuses a
    data directory that is not empty. Mounted exactly on the data directory, the database
    never starts. Where the data directory is depends on the image and its tag (`PGDATA` in
    vars overrides it):

    - `postgres` up to 17, and images built on it: `/var/lib/postgresql/data`. Mount the
      parent, `/var/lib/postgresql`, or keep the mount and set `PGDATA` to a subdirectory,
      `/var/lib/postgresql/data/pgdata` (Nexlayer's guidance; the unsafe fix adds it).
    - `postgres` 18 and later (and a tag with no version, which is 18 today):
      `/var/lib/postgresql/18/docker`. A volume on `/var/lib/postgresql/data` keeps nothing
      there, and the entrypoint refuses to start when it finds data in that old place.
      Mount `/var/lib/postgresql` (the unsafe fix moves the mount there).
    - `bitnami/postgresql`: `/bitnami/postgresql/data`; mount `/bitnami/postgresql`.

    Reported at the `mountPath`. Review a fix: a database already in the volume is then no
    longer where Postgres looks.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
            - name: db
              image: postgres:16
              servicePorts: [5432]
              vars:
                POSTGRES_PASSWORD_FILE: /var/secrets/db/password
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql/data
              secrets:
                - name: db
                  data: change-this-in-the-dashboard
                  mountPath: /var/secrets/db
                  fileName: password

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
            - name: db
              image: postgres:16
              servicePorts: [5432]
              vars:
                POSTGRES_PASSWORD_FILE: /var/secrets/db/password
                PGDATA: /var/lib/postgresql/data/pgdata
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql/data
              secrets:
                - name: db
                  data: change-this-in-the-dashboard
                  mountPath: /var/secrets/db
                  fileName: password
    """

    for pod in doc.pods():
        postgres = postgres_pod(pod)
        if postgres is None:
            continue
        layout = postgres.layout
        for mount, path in postgres.mounts:
            if path == layout.data:
                if postgres.pgdata is not None:
                    help = f"set PGDATA to a directory below the mount, e.g. {path}/pgdata"
                    fix = None
                elif layout.pgdata_below is not None:
                    help = f"mount {layout.volume} instead, or set PGDATA: {layout.pgdata_below}"
                    fix = pod.add_var(
                        "PGDATA", layout.pgdata_below, f"set PGDATA: {layout.pgdata_below}"
                    )
                else:
                    help = f"mount {layout.volume} instead"
                    fix = _move(postgres, mount)
                report(
                    mount,
                    f"the volume is mounted exactly on the data directory {path} "
                    f"({layout.source}): initdb fails on the volume's lost+found",
                    help=help,
                    fix=fix,
                )
            elif path == layout.former:
                report(
                    mount,
                    f"{layout.label} keeps its data in {layout.data}, not in {path}: this "
                    "volume keeps none of it, and the image refuses to start when it finds "
                    "data there",
                    help=f"mount {layout.volume} instead (the image's volume since postgres 18)",
                    fix=_move(postgres, mount),
                )


def _move(postgres: PostgresPod, mount: Value) -> Fix | None:
    """Mount the volume where the image wants it, unless another volume is already there."""
    target = postgres.layout.volume
    if not mount.single_line or any(path == target for _, path in postgres.mounts):
        return None
    edit = Edit.replace(mount.content_location, target)
    return Fix(f"mount {target}", (edit,), safe=False)
