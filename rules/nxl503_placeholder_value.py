"""NXL503 placeholder-value."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report, Value

from ._placeholders import is_unfilled

HELP = "put the real value in (a secret's value through `secrets`), or remove it"


@nexlint.rule(
    code="NXL503",
    name="placeholder-value",
    severity="warning",
    summary="a var or registryLogin value that was never filled in",
)
def placeholder_value(doc: DocumentView, report: Report) -> None:
    """
    Why: a value like `your-api-key`, `<token>`, `changeme`, `TODO`, `ghp_xxxx…` or
    `# filled by CI` is a stand-in someone meant to replace; the pod (or the registry login)
    receives it as it is. Reported at the value, quotes included, or at the password of a
    URL (`postgres://app:<password>@db.pod/app`). NXL501 and NXL502 do not fire on such
    values: it is not a leaked secret, it is a missing one.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                STRIPE_API_KEY: your-stripe-key

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                STRIPE_API_KEY_FILE: /run/secrets/stripe/key
              secrets:
                - name: stripe
                  data: "sk_live_filled_in_at_deploy_time"
                  mountPath: /run/secrets/stripe
                  fileName: key
    """
    values: list[tuple[str, Value]] = []
    app = doc.app
    login = app.get("registryLogin") if app is not None else None
    if login is not None:
        values += [(f"registryLogin.{key}", value) for key, value in login.items()]
    for pod in doc.pods():
        values += [(var.name, var.value) for var in pod.vars() if var.value is not None]
    for owner, value in values:
        if value.string is not None and is_unfilled(value.string):
            shown = "a placeholder" if value.is_secret else value.shown()
            report(
                value,
                f"{owner} is {shown}, never filled in: it is used as it is",
                help=HELP,
            )
    for value, password in doc.url_passwords():
        if is_unfilled(doc.text_at(password)):
            report(password, f"the URL in {value.owner} holds a placeholder password", help=HELP)
