"""NXL402 duplicate-volume."""

from __future__ import annotations

import posixpath

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import pod_label


@nexlint.rule(
    code="NXL402",
    name="duplicate-volume",
    severity="error",
    summary="two volumes share a name, or two mounts share a mountPath in a pod",
)
def duplicate_volume(doc: DocumentView, report: Report) -> None:
    """
    Why: volume names identify the storage: two volumes with one name in the application
    collide. Two volumes mounted on the same `mountPath` in one pod hide each other.
    Reported at the later name or mountPath.

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
                  mountPath: /data
                - name: data
                  size: 1Gi
                  mountPath: /uploads

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
                - name: uploads
                  size: 1Gi
                  mountPath: /uploads
    """
    names: dict[str, str] = {}
    for index, pod in doc.pods():
        volumes = pod.get("volumes")
        if not isinstance(volumes, list):
            continue
        label = pod_label(index, pod)
        paths: set[str] = set()
        for v, volume in enumerate(volumes):
            if not isinstance(volume, dict):
                continue
            at = f"/application/pods/{index}/volumes/{v}"
            name = volume.get("name")
            if isinstance(name, str):
                if name in names:
                    report(
                        f"{at}/name",
                        f'volume name "{name}" is already used in {names[name]}',
                        "give every volume its own name",
                    )
                else:
                    names[name] = label
            mount = volume.get("mountPath")
            if isinstance(mount, str):
                key = posixpath.normpath(mount) if mount else mount
                if key in paths:
                    report(
                        f"{at}/mountPath",
                        f'another volume of {label} is already mounted on "{mount}"',
                        "mount each volume on its own path",
                    )
                paths.add(key)
