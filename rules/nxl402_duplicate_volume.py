"""NXL402 duplicate-volume."""

from __future__ import annotations

import posixpath

import nexlint
from nexlint import DocumentView, Report


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
    for pod in doc.pods():
        mounted: set[str] = set()
        for volume in pod.volumes():
            name = volume.get("name")
            if name is not None and name.string is not None:
                if name.string in names:
                    report(
                        name,
                        f'volume name "{name.string}" is already used in {names[name.string]}',
                        help="give every volume its own name",
                    )
                else:
                    names[name.string] = pod.label
            mount = volume.get("mountPath")
            if mount is None or mount.string is None:
                continue
            key = posixpath.normpath(mount.string) if mount.string else mount.string
            if key in mounted:
                report(
                    mount,
                    f'another volume of {pod.label} is already mounted on "{mount.string}"',
                    help="mount each volume on its own path",
                )
            mounted.add(key)
