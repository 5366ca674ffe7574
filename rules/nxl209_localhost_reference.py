"""NXL209 localhost-reference."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

LOOPBACK = re.compile(
    r"(?<![\w.\-])(?P<host>localhost|127\.0\.0\.1)(?![\w\-]|\.[A-Za-z0-9])"
    r"|(?<=://)(?P<any>0\.0\.0\.0)(?![\w.\-])"
    r"|(?<=@)(?P<any_at>0\.0\.0\.0)(?![\w.\-])"
)


@nexlint.rule(
    code="NXL209",
    name="localhost-reference",
    severity="warning",
    summary="a var points at localhost, 127.0.0.1 or 0.0.0.0 as a peer",
)
def localhost_reference(doc: DocumentView, report: Report) -> None:
    """
    Why: every pod is its own host. `localhost` or `127.0.0.1` in a var that names another
    service points the pod at itself, where nothing listens; a URL to `0.0.0.0` is not an
    address at all. Name the other pod (`db.pod`) or, for what browsers read, `<% URL %>`.
    A bare `0.0.0.0` (a bind address, e.g. `HOSTNAME: 0.0.0.0`) is fine.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://localhost:6379
            - name: cache
              image: redis:7
              servicePorts: [6379]

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                REDIS_URL: redis://cache.pod:6379
                HOSTNAME: 0.0.0.0
            - name: cache
              image: redis:7
              servicePorts: [6379]
    """

    for pod in doc.pods():
        for var in pod.vars():
            if var.value is None or var.value.string is None:
                continue
            for found in var.value.find(LOOPBACK):
                report(
                    found,
                    f'{var.name} points at "{found.text}", which is this pod itself, not a peer',
                    help="name the other pod (<pod>.pod), or use <% URL %> for what browsers read",
                )
