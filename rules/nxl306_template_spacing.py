"""NXL306 template-spacing."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix
from nexlint.rule_api import Report

from ._common import KNOWN_PLACEHOLDERS, PLACEHOLDER, all_scalars, matches_in


@nexlint.rule(
    code="NXL306",
    name="template-spacing",
    severity="info",
    summary="a placeholder not written in the canonical <% NAME %> form",
    fixable=True,
)
def template_spacing(doc: DocumentView, report: Report) -> None:
    """
    Why: `<%URL%>` and `<% URL %>` both deploy, but the documentation writes `<% URL %>`;
    one spelling keeps files easy to search and review. Fix: rewrite it as `<% URL %>`.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                APP_URL: <%URL%>

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                APP_URL: <% URL %>
    """
    for at, value in all_scalars(doc):
        for match, span in matches_in(doc, at, PLACEHOLDER, value):
            name = match.group("name")
            if name not in KNOWN_PLACEHOLDERS:
                continue
            if match.group("before") == " " and match.group("after") == " ":
                continue
            canonical = f"<% {name} %>"
            report(
                at,
                f"placeholder {match.group(0)} is not in the canonical form {canonical}",
                fix=Fix(f"rewrite as {canonical}", (Edit(span[0], span[1], canonical),)),
                span=span,
            )
