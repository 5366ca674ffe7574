"""NXL404 postgres-data-not-persisted."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report

from ._databases import postgres_pod


@nexlint.rule(
    code="NXL404",
    name="postgres-data-not-persisted",
    severity="warning",
    summary="a Postgres pod with no volume that holds its data directory",
)
def postgres_data_not_persisted(doc: DocumentView, report: Report) -> None:
    """
    Why: Postgres keeps its database in its data directory: `PGDATA` when set, else the
    image's own (`/var/lib/postgresql/data` up to postgres 17, `/var/lib/postgresql/18/docker`
    from 18, `/bitnami/postgresql/data` for `bitnami/postgresql`). A Postgres pod with no
    volume, or whose volumes do not contain that directory (a mount on `/data`, say), writes
    the database to the container's own disk and loses it on every restart. Reported at the
    first `mountPath`, or at the image when the pod has no volume. Any image whose name holds
    `postgres` counts, except tools around a database (`postgres-exporter`, `postgrest`,
    `pgadmin`, ...).

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
                POSTGRES_HOST_AUTH_METHOD: trust
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
              vars:
                POSTGRES_HOST_AUTH_METHOD: trust
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql
    """

    for pod in doc.pods():
        postgres = postgres_pod(pod)
        if postgres is None or postgres.holding():
            continue
        layout = postgres.layout
        if not postgres.declares_volumes:
            report(
                postgres.image,
                f"{pod.label} runs {layout.label} with no volume: the database in "
                f"{layout.data} is lost on restart",
                help=f"add a volume mounted on {layout.volume}",
            )
            continue
        paths = [path for _, path in postgres.mounts]
        if not paths or layout.former in paths:
            continue  # no usable mountPath (the schema says so), or NXL401 explains it
        report(
            postgres.mounts[0][0],
            f"no volume of {pod.label} holds its data directory {layout.data} "
            f"({layout.source}): the database is lost on restart",
            help=f"mount the volume on {layout.volume}",
        )
