"""NXL303 unknown-template."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report
from nexlint.display import clip
from nexlint.suggestions import close_match

from ._placeholders import KNOWN_PLACEHOLDERS, PLACEHOLDER, placeholder_parts


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

    for value in doc.strings():
        for found in value.find(PLACEHOLDER):
            _, name, _ = placeholder_parts(found)
            if name in KNOWN_PLACEHOLDERS:
                continue
            guess = close_match(name.upper(), KNOWN_PLACEHOLDERS)
            help = (
                f"did you mean <% {guess} %>?"
                if guess
                else "known placeholders: <% URL %>, <% DOMAIN %>, <% REGISTRY %>"
            )
            report(
                found,
                f'unknown placeholder "{clip(name)}": the platform fills in only URL, '
                "DOMAIN and REGISTRY",
                help=help,
            )
