"""NXL502 secret-in-vars."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report
from nexlint.secrets import is_secret_name

from ._placeholders import is_indirect, is_unfilled

HELP = "keep credentials out of nexlayer.yaml: use secrets, or fill it in at deploy time"
# A value that starts by naming a shell variable (`$DB_PASSWORD`) is filled in elsewhere too.
SHELL_VARIABLE = re.compile(r"\$[A-Za-z_]")
# Values no credential can be: a switch or a small number (ACCESS_TOKEN_EXPIRE_MINUTES: 30).
NOT_A_CREDENTIAL = re.compile(r"^(?:true|false|yes|no|on|off|[0-9]{1,4})$", re.IGNORECASE)
# Names whose value is masked like a secret's but is none: where a secret file is
# (`POSTGRES_PASSWORD_FILE: /run/secrets/pw`), and keys public by design (NXL504's list).
NOT_A_SECRET_NAME = re.compile(r"_(?:FILE|PATH|DIR)$|(?:PUBLISHABLE|ANON|PUBLIC)_KEY$", re.I)


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
    finding points at its password. Not reported, though masked all the same: values no
    credential can be, a switch or a small number (`ACCESS_TOKEN_EXPIRE_MINUTES: 30`); a
    path to a secret file (`POSTGRES_PASSWORD_FILE`, `…_PATH`, `…_DIR`); keys public by
    design (`…_PUBLISHABLE_KEY`, `…_ANON_KEY`, `…_PUBLIC_KEY`); and placeholders such as
    `your-api-key` or `<password>`, which NXL503 reports.

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

    var_names: dict[str, str] = {}
    for pod in doc.pods():
        for var in pod.vars():
            if var.value is None:
                continue
            var_names[var.value.pointer] = var.name
            if var.data is None or not is_secret_name(var.name):
                continue
            if NOT_A_SECRET_NAME.search(var.name):
                continue
            if isinstance(var.data, str) and _indirect(var.data):
                continue
            if NOT_A_CREDENTIAL.match(str(var.data).strip()) or is_unfilled(str(var.data)):
                continue  # a placeholder (`your-api-key`) is NXL503's
            report(var.value, f"{var.name} holds a literal secret in the file", help=HELP)
    for value, password in doc.url_passwords():
        if _indirect(doc.text_at(password)) or is_unfilled(doc.text_at(password)):
            continue
        owner = var_names.get(value.pointer) or value.owner
        report(password, f"the URL in {owner} holds a literal password", help=HELP)


def _indirect(value: str) -> bool:
    """Whether a value is not the secret itself: a placeholder or a reference."""
    return is_indirect(value) or SHELL_VARIABLE.match(value) is not None
