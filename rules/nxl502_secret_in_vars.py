"""NXL502 secret-in-vars."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView
from nexlint.pointers import join_pointer, split_pointer
from nexlint.rule_api import Report
from nexlint.secrets import is_secret_name, url_password_spans

from ._common import pod_vars

HELP = "keep credentials out of nexlayer.yaml: use secrets, or fill it in at deploy time"
# Values that are not the secret itself: placeholders and references filled in elsewhere.
INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]")
# Values no credential can be: a switch or a small number (ACCESS_TOKEN_EXPIRE_MINUTES: 30).
NOT_A_CREDENTIAL = re.compile(r"^(?:true|false|yes|no|on|off|[0-9]{1,4})$", re.IGNORECASE)


@nexlint.rule(
    code="NXL502",
    name="secret-in-vars",
    severity="info",
    summary="a var named like a secret, or a URL's password, holds a literal value",
)
def secret_in_vars(doc: DocumentView, report: Report) -> None:
    """
    Why: a var whose name says secret (it contains `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`,
    `KEY`, `CREDENTIAL` or `PRIVATE`, or ends in `_PASS` or `_PWD`) with a literal value, or
    a URL with a literal password (`postgresql://app:s3cret@db.pod/app`), puts a credential
    in the repository. The platform's guidance is to keep such values out of the file
    (`secrets`, or values filled in at deploy time). The value is never printed; a URL's
    finding points at its password. Values no credential can be, a switch or a small number
    (`ACCESS_TOKEN_EXPIRE_MINUTES: 30`), are not reported (they are masked all the same).

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                STRIPE_API_KEY: sk_live_abc123

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              secrets:
                - name: stripe
                  data: "<filled in at deploy time>"
                  mountPath: /run/secrets
                  fileName: stripe.json
    """
    names: dict[str, str] = {}
    for index, pod in doc.pods():
        for var in pod_vars(index, pod):
            names[var.value_pointer] = var.name
            if var.value is None or not is_secret_name(var.name):
                continue
            if isinstance(var.value, str) and INDIRECT.search(var.value):
                continue
            if NOT_A_CREDENTIAL.match(str(var.value).strip()):
                continue
            report(var.value_pointer, f"{var.name} holds a literal secret in the file", HELP)
    passwords = [
        span
        for span in url_password_spans(doc.text)
        if not INDIRECT.search(doc.text[span[0] : span[1]])
    ]
    if not passwords:
        return
    for at, node in doc.walk("/application"):
        if node.kind != "scalar" or doc.is_secret(at):
            continue  # a secret value is reported (or masked) whole
        for start, end in passwords:
            if node.start <= start and end <= node.end:
                owner = names.get(at) or _owner(doc, at)
                report(at, f"the URL in {owner} holds a literal password", HELP, span=(start, end))


def _owner(doc: DocumentView, at: str) -> str:
    """How a message names the value at ``at``: its key, or the ``name`` beside a
    ``value`` (Kubernetes' env form)."""
    tokens = split_pointer(at)
    if tokens and tokens[-1] == "value":
        item = doc.node(join_pointer(tokens[:-1]))
        pair = item.lookup("name") or item.lookup("key") if item is not None else None
        if item is not None and item.kind == "mapping" and pair and pair[1].kind == "scalar":
            return pair[1].value
    return next(t for t in reversed(tokens) if not t.isdigit())
