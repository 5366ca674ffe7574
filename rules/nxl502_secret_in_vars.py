"""NXL502 secret-in-vars."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import pod_vars

SECRET_VAR = re.compile(
    r"(?:^|_)(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|SECRET_KEY)$", re.IGNORECASE
)
# Values that are not the secret itself: placeholders and references filled in elsewhere.
INDIRECT = re.compile(r"^\s*$|<%.*%>|\$\{.*\}|^\$[A-Za-z_]")


@nexlint.rule(
    code="NXL502",
    name="secret-in-vars",
    severity="info",
    summary="a var named like a secret holds a literal value",
)
def secret_in_vars(doc: DocumentView, report: Report) -> None:
    """
    Why: a var named `*_PASSWORD`, `*_SECRET`, `*_TOKEN` or `*_API_KEY` with a literal value
    puts a credential in the repository. The platform's guidance is to keep such values
    out of the file (`secrets`, or values filled in at deploy time). The value is never
    printed.

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
    for index, pod in doc.pods():
        for var in pod_vars(index, pod):
            if not SECRET_VAR.search(var.name) or var.value is None:
                continue
            if isinstance(var.value, str) and INDIRECT.search(var.value):
                continue
            report(
                var.value_pointer,
                f"{var.name} holds a literal secret in the file",
                "keep credentials out of nexlayer.yaml: use secrets, or fill it in at deploy time",
            )
