"""NXL405 database-password-missing."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Pod, Report

from ._databases import PasswordRule, password_rule
from ._images import parse_image
from ._vars import borrowed_var_names


@nexlint.rule(
    code="NXL405",
    name="database-password-missing",
    severity="error",
    summary="a database image that refuses to start without a password setting",
)
def database_password_missing(doc: DocumentView, report: Report) -> None:
    """
    Why: on its first start the entrypoint of these images stops with an error when no
    password setting is given, so the pod never comes up: official `postgres` and the images
    built on it (`postgis/postgis`, `pgvector/pgvector`, `timescale/timescaledb`) need
    `POSTGRES_PASSWORD`, `POSTGRES_PASSWORD_FILE` or `POSTGRES_HOST_AUTH_METHOD: trust`;
    `mysql` needs `MYSQL_ROOT_PASSWORD`, `MYSQL_ALLOW_EMPTY_PASSWORD` or
    `MYSQL_RANDOM_ROOT_PASSWORD`; `mariadb` needs `MARIADB_ROOT_PASSWORD`,
    `MARIADB_ROOT_PASSWORD_HASH`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD` or
    `MARIADB_RANDOM_ROOT_PASSWORD` (the `MYSQL_` names work too); `bitnami/postgresql` needs
    `POSTGRESQL_PASSWORD` or `ALLOW_EMPTY_PASSWORD: "yes"`. The `_FILE` forms (a file made by
    `secrets`) count. Reported at the image; not when the password is set under a key
    Nexlayer ignores (`env:`), where NXL102 reports that key instead.

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
                  mountPath: /var/lib/postgresql

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
                POSTGRES_PASSWORD_FILE: /run/secrets/db/password
              volumes:
                - name: pgdata
                  size: 1Gi
                  mountPath: /var/lib/postgresql
              secrets:
                - name: db
                  data: "<filled in at deploy time>"
                  mountPath: /run/secrets/db
                  fileName: password
    """
    for pod in doc.pods():
        image = pod.image
        if image is None or image.string is None:
            continue
        needs = password_rule(parse_image(image.string))
        if needs is None or _satisfied(pod, needs) or _borrowed(pod, needs):
            continue
        report(
            image,
            f"{needs.image} refuses to start without a password setting, and {pod.label} sets none",
            help=f"set {needs.suggestion}",
        )


def _satisfied(pod: Pod, needs: PasswordRule) -> bool:
    values = {var.name: var.data for var in pod.vars()}
    for name in needs.settings:
        for form in (name, f"{name}_FILE"):
            if values.get(form) not in (None, ""):
                return True
    for name, wanted in needs.switches.items():
        value = values.get(name)
        if value is None or value == "":
            continue
        if not wanted or str(value).strip().lower() == wanted:
            return True
    return False


def _borrowed(pod: Pod, needs: PasswordRule) -> bool:
    """Whether the pod sets a password under a key Nexlayer ignores (`env:`): NXL102 reports
    that key and offers `vars`, which is the one fix."""
    names = borrowed_var_names(pod.data)
    wanted = [*needs.settings, *needs.switches]
    return any(name in names or f"{name}_FILE" in names for name in wanted)
