"""NXL401 postgres-data-mount."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import POSTGRES_DATA, add_var_fix, below, is_postgres, normal_path, var_value

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
    for index, pod in doc.pods():
        volumes = pod.get("volumes")
        if not is_postgres(pod.get("image")) or not isinstance(volumes, list):
            continue
        pgdata = normal_path(var_value(pod, "PGDATA"))
        if pgdata is not None and below(pgdata, POSTGRES_DATA):
            continue
        for v, volume in enumerate(volumes):
            if isinstance(volume, dict) and normal_path(volume.get("mountPath")) == POSTGRES_DATA:
                fix = None
                if pgdata is None:  # with PGDATA set (to the data dir itself) the user decides
                    fix = add_var_fix(
                        doc, index, "PGDATA", PGDATA_BELOW, f"set PGDATA: {PGDATA_BELOW}"
                    )
                report(
                    f"/application/pods/{index}/volumes/{v}/mountPath",
                    f"the volume is mounted on the Postgres data directory {POSTGRES_DATA}: "
                    "initdb fails on the volume's lost+found",
                    f"mount /var/lib/postgresql instead, or set PGDATA: {PGDATA_BELOW}",
                    fix,
                )
