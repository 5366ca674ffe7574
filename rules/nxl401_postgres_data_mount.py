"""NXL401 postgres-data-mount."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._databases import POSTGRES_DATA, below, is_postgres, normal_path

PGDATA_BELOW = POSTGRES_DATA + "/pgdata"


@nexlint.rule(
    code="NXL401",
    name="postgres-data-mount",
    severity="error",
    summary="a Postgres volume mounted on its data directory without PGDATA below it",
    fixable=True,
)
def postgres_data_mount(doc: DocumentView, report: Report) -> None:
    """
    Why: a fresh volume holds a `lost+found` directory, and Postgres' initdb refuses a
    data directory that is not empty. Mounted exactly on `/var/lib/postgresql/data`, the
    database never starts. Either mount the parent, `/var/lib/postgresql`, or keep the
    mount and set `PGDATA` to a subdirectory, `/var/lib/postgresql/data/pgdata`. Reported
    at the `mountPath`. Unsafe fix (`--unsafe-fixes`): add `PGDATA:
    /var/lib/postgresql/data/pgdata` to the pod's vars. Review it: a database already in
    the volume is then no longer where Postgres looks.

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
                  mountPath: /var/lib/postgresql/data

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
                PGDATA: /var/lib/postgresql/data/pgdata
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql/data
    """

    for pod in doc.pods():
        if not is_postgres(pod.data.get("image")) or not isinstance(pod.data.get("volumes"), list):
            continue
        pgdata_var = pod.var("PGDATA")
        pgdata = normal_path(pgdata_var.data if pgdata_var is not None else None)
        if pgdata is not None and below(pgdata, POSTGRES_DATA):
            continue
        for volume in pod.volumes():
            mount = volume.get("mountPath")
            if mount is None or normal_path(mount.data) != POSTGRES_DATA:
                continue
            # With PGDATA set (to the data directory itself) the user decides.
            fix = None
            if pgdata is None:
                fix = pod.add_var("PGDATA", PGDATA_BELOW, f"set PGDATA: {PGDATA_BELOW}")
            report(
                mount,
                f"the volume is mounted on the Postgres data directory {POSTGRES_DATA}: "
                "initdb fails on the volume's lost+found",
                help=f"mount /var/lib/postgresql instead, or set PGDATA: {PGDATA_BELOW}",
                fix=fix,
            )
