"""NXL203 pod-name-not-dns."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

POD_NAME = re.compile(r"^[a-z][a-z0-9-]{1,63}$")
# What the suggested name drops: runs of characters a DNS label cannot hold (each becomes
# one `-`), and whatever comes before its first letter.
_NOT_DNS = re.compile(r"[^a-z0-9-]+")
_BEFORE_LETTER = re.compile(r"^[^a-z]+")


@nexlint.rule(
    code="NXL203",
    name="pod-name-not-dns",
    severity="error",
    summary="a pod name that is not a DNS label (lowercase, digits, '-')",
)
def pod_name_not_dns(doc: DocumentView, report: Report) -> None:
    """
    Why: pod names become DNS labels: other pods reach a pod as `<name>.pod`. The platform
    wants `^[a-z][a-z0-9-]{1,63}$` with no trailing `-`: lowercase letters, digits and `-`,
    starting with a letter, 2 to 64 characters. Dots, underscores and capitals break the
    name; the hosted validator accepts a name like `Web_Server` and the deploy fails.

    Bad:

        application:
          name: shop
          pods:
            - name: Web_Server
              image: nginx:1.27
              path: /
              servicePorts: [80]

    Good:

        application:
          name: shop
          pods:
            - name: web-server
              image: nginx:1.27
              path: /
              servicePorts: [80]
    """

    for pod in doc.pods():
        value = pod.get("name")
        name = value.string if value is not None else None
        if value is None or name is None:
            continue
        if POD_NAME.match(name) and not name.endswith("-"):
            continue
        suggestion = _NOT_DNS.sub("-", name.lower()).strip("-")
        suggestion = _BEFORE_LETTER.sub("", suggestion)
        help = f'for example "{suggestion}"' if POD_NAME.match(suggestion or "") else None
        report(value, f"pod name {value.shown()} is not a DNS label: {_why(name)}", help=help)


def _why(name: str) -> str:
    if not name:
        return "it is empty"
    if not name[0].isascii() or not name[0].isalpha() or not name[0].islower():
        return "it must start with a lowercase letter"
    if len(name) < 2:
        return "it must be at least 2 characters"
    if len(name) > 64:
        return "it must be at most 64 characters"
    if name.endswith("-"):
        return "it must not end with '-'"
    bad = sorted(
        {c for c in name if not ((c.islower() and c.isascii()) or c.isdigit() or c == "-")}
    )
    shown = " ".join(f"'{c}'" for c in bad)
    return f"it may hold only lowercase letters, digits and '-', not {shown}"
