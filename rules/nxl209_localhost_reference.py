"""NXL209 localhost-reference."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import matches_in, pod_vars

# localhost and 127.0.0.1 as a host anywhere; 0.0.0.0 only as a URL's host, because a bare
# 0.0.0.0 is the bind address servers are told to use.
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
    for index, pod in doc.pods():
        for var in pod_vars(index, pod):
            if not isinstance(var.value, str):
                continue
            for match, span in matches_in(doc, var.value_pointer, LOOPBACK, var.value):
                host = match.group(0)
                report(
                    var.value_pointer,
                    f'{var.name} points at "{host}", which is this pod itself, not a peer',
                    "name the other pod (<pod>.pod), or use <% URL %> for what browsers read",
                    span=span,
                )
