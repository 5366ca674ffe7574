"""NXL403 mount-path-format."""

from __future__ import annotations

from itertools import chain

import nexlint
from nexlint import DocumentView, Report


@nexlint.rule(
    code="NXL403",
    name="mount-path-format",
    severity="error",
    summary="a mountPath that is not absolute",
)
def mount_path_format(doc: DocumentView, report: Report) -> None:
    """
    Why: volumes and secrets are mounted at absolute paths inside the container; a
    relative `mountPath` has no directory to be relative to and is rejected.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: data

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              volumes:
                - name: data
                  size: 1Gi
                  mountPath: /data
    """

    for pod in doc.pods():
        for item in chain(pod.volumes(), pod.secrets()):
            mount = item.get("mountPath")
            if mount is None or mount.string is None or mount.string.startswith("/"):
                continue
            report(
                mount,
                f"mountPath {mount.shown()} is not an absolute path",
                help=f'write "/{mount.string}"'
                if mount.string
                else "write an absolute path like /data",
            )
