"""NXL404 postgres-data-not-persisted."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import POSTGRES_DATA, below, is_postgres, normal_path, var_value


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
    for index, pod in doc.pods():
        volumes = pod.get("volumes")
        if not is_postgres(pod.get("image")) or not isinstance(volumes, list) or not volumes:
            continue
        data = normal_path(var_value(pod, "PGDATA")) or POSTGRES_DATA
        mounts = [normal_path(v.get("mountPath")) if isinstance(v, dict) else None for v in volumes]
        if any(m is not None and (m == data or below(data, m)) for m in mounts):
            continue
        if all(m is None for m in mounts):
            continue  # no usable mountPath: the schema or NXL403 says so
        first = next(i for i, m in enumerate(mounts) if m is not None)
        report(
            f"/application/pods/{index}/volumes/{first}/mountPath",
            f"no volume of this Postgres pod holds its data directory {data}; the database "
            "is lost on restart",
            "mount the volume on /var/lib/postgresql",
        )
