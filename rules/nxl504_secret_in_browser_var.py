"""NXL504 secret-in-browser-var."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

from ._placeholders import is_indirect, is_unfilled
from ._vars import is_browser_var

SAYS_SECRET = re.compile(r"SECRET|PASSWORD|PASSWD|PRIVATE", re.IGNORECASE)


@nexlint.rule(
    code="NXL504",
    name="secret-in-browser-var",
    severity="warning",
    summary="a browser-read var that says it holds a secret",
    replaces=("NXL502",),
)
def secret_in_browser_var(doc: DocumentView, report: Report) -> None:
    """
    Why: a browser-read var (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, `PUBLIC_`,
    `NUXT_PUBLIC_`, `EXPO_PUBLIC_`) is compiled into the JavaScript every visitor downloads:
    anything in it is public. A name that says `SECRET`, `PASSWORD`, `PASSWD` or `PRIVATE`
    holding a literal publishes that secret. Publishable keys (`…_ANON_KEY`,
    `…_PUBLISHABLE_KEY`, `…_PUBLIC_KEY`) are meant for browsers and are not reported.
    Reported at the var's name.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                NEXT_PUBLIC_STRIPE_SECRET_KEY: sk_live_51example

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: pk_live_51example
    """
    for pod in doc.pods():
        for var in pod.vars():
            if not is_browser_var(var.name) or not SAYS_SECRET.search(var.name):
                continue
            value = var.data
            if value is None or (
                isinstance(value, str) and (is_indirect(value) or is_unfilled(value))
            ):
                continue
            report(
                var.name_location,
                f"{var.name} is compiled into the page every visitor downloads, and its name "
                "says it holds a secret",
                help="keep the secret on the server (a var without the browser prefix), or "
                "use the service's publishable key",
            )
