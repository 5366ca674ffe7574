"""NXL403 mount-path-format."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report


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
    for index, pod in doc.pods():
        for kind in ("volumes", "secrets"):
            items = pod.get(kind)
            if not isinstance(items, list):
                continue
            for i, item in enumerate(items):
                mount = item.get("mountPath") if isinstance(item, dict) else None
                if isinstance(mount, str) and not mount.startswith("/"):
                    at = f"/application/pods/{index}/{kind}/{i}/mountPath"
                    report(
                        at,
                        f"mountPath {doc.shown(at)} is not an absolute path",
                        f'write "/{mount}"' if mount else "write an absolute path like /data",
                    )
