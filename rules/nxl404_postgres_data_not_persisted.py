"""NXL404 postgres-data-not-persisted."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._databases import POSTGRES_DATA, below, is_postgres, normal_path


@nexlint.rule(
    code="NXL404",
    name="postgres-data-not-persisted",
    severity="warning",
    summary="a Postgres pod whose volumes do not hold its data directory",
)
def postgres_data_not_persisted(doc: DocumentView, report: Report) -> None:
    """
    Why: Postgres keeps its data in `PGDATA` (by default `/var/lib/postgresql/data`). A
    Postgres pod that has volumes, none of which contains that directory (a mount on
    `/data`, say), writes its database to the container's own disk, and loses it on every
    restart. Reported at the first volume's `mountPath`.

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
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /data

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
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql
    """

    for pod in doc.pods():
        volumes = pod.get("volumes")
        if not is_postgres(pod.data.get("image")) or volumes is None or not volumes.data:
            continue
        pgdata_var = pod.var("PGDATA")
        data = normal_path(pgdata_var.data if pgdata_var is not None else None) or POSTGRES_DATA
        mounts = [volume.get("mountPath") for volume in volumes.elements()]
        paths = [normal_path(mount.data) if mount is not None else None for mount in mounts]
        if any(path is not None and (path == data or below(data, path)) for path in paths):
            continue
        first = next((m for m, p in zip(mounts, paths, strict=True) if p is not None), None)
        if first is None:
            continue  # no usable mountPath: the schema or NXL403 says so
        report(
            first,
            f"no volume of this Postgres pod holds its data directory {data}; the database "
            "is lost on restart",
            help="mount the volume on /var/lib/postgresql",
        )
