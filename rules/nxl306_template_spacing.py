"""NXL306 template-spacing."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix, Report

from ._placeholders import KNOWN_PLACEHOLDERS, PLACEHOLDER, placeholder_parts


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

    for value in doc.strings():
        for found in value.find(PLACEHOLDER):
            before, name, after = placeholder_parts(found)
            if name not in KNOWN_PLACEHOLDERS:
                continue
            if before == " " and after == " ":
                continue
            canonical = f"<% {name} %>"
            report(
                found,
                f"placeholder {found.text} is not in the canonical form {canonical}",
                fix=Fix(f"rewrite as {canonical}", (Edit.replace(found.location, canonical),)),
            )
