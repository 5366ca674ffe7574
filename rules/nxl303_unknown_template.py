"""NXL303 unknown-template."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView
from nexlint.rule_api import Report

from ._common import KNOWN_PLACEHOLDERS, PLACEHOLDER, all_scalars, closest, matches_in


@nexlint.rule(
    code="NXL303",
    name="unknown-template",
    severity="error",
    summary="a <% ... %> placeholder the platform does not know",
)
def unknown_template(doc: DocumentView, report: Report) -> None:
    """
    Why: the platform fills in three placeholders at deploy time: `<% URL %>` (the public
    URL, with scheme), `<% DOMAIN %>` (the host alone) and `<% REGISTRY %>` (the private
    registry). Any other name, a misspelling or another case (`<% url %>`) is left in the
    value as it is. Reported at the placeholder.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                PUBLIC_HOST: <% HOST %>

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                PUBLIC_HOST: <% DOMAIN %>
    """
    for at, value in all_scalars(doc):
        for match, span in matches_in(doc, at, PLACEHOLDER, value):
            name = match.group("name")
            if name in KNOWN_PLACEHOLDERS:
                continue
            guess = (
                name.upper()
                if name.upper() in KNOWN_PLACEHOLDERS
                else closest(name.upper(), list(KNOWN_PLACEHOLDERS))
            )
            help = (
                f"did you mean <% {guess} %>?"
                if guess
                else "known placeholders: <% URL %>, <% DOMAIN %>, <% REGISTRY %>"
            )
            shown = name if len(name) <= 40 else name[:39] + "…"
            report(
                at,
                f'unknown placeholder "{shown}": the platform fills in only URL, '
                "DOMAIN and REGISTRY",
                help,
                span=span,
            )
