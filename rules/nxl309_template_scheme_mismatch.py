"""NXL309 template-scheme-mismatch."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Edit, Fix, Report

from ._placeholders import PLACEHOLDER, placeholder_parts
from ._vars import asks_for


@nexlint.rule(
    code="NXL309",
    name="template-scheme-mismatch",
    severity="warning",
    summary="<% URL %> where a host is asked for, or <% DOMAIN %> where a URL is",
    fixable=True,
)
def template_scheme_mismatch(doc: DocumentView, report: Report) -> None:
    """
    Why: `<% URL %>` is the deployment's URL with its scheme (`https://app.example.com`);
    `<% DOMAIN %>` is the host alone. A var whose name asks for a host (`COOKIE_DOMAIN`,
    `…HOSTNAME…`, `ALLOWED_HOSTS`) given `<% URL %>` gets `https://` in its host; a var whose
    name asks for a URL (`…_URL`, `…_URI`, `…ORIGIN…`) given `<% DOMAIN %>` with no scheme
    before it gets a bare host. The name's last such word decides (`DOMAIN_URL` asks for a
    URL). A single `…_HOST` and a bare `DOMAIN` are left alone: real apps read a URL from
    them (`FRONTEND_HOST=http://localhost:5173`). Reported at the placeholder; the unsafe fix
    for the first is `<% DOMAIN %>`.

    Bad:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                COOKIE_DOMAIN: <% URL %>

    Good:

        application:
          name: shop
          pods:
            - name: web
              image: acme/web:1.0
              path: /
              servicePorts: [3000]
              vars:
                COOKIE_DOMAIN: <% DOMAIN %>
    """
    for pod in doc.pods():
        for var in pod.vars():
            if var.value is None or var.value.string is None:
                continue
            wants = asks_for(var.name)
            if wants is None:
                continue
            founds = list(var.value.find(PLACEHOLDER))
            # Where the first `://` of the value is, found once: a scheme before a placeholder
            # (`https://<% DOMAIN %>`). Reading all that comes before each of many
            # placeholders made a long value quadratic.
            scheme = founds[0].match.string.find("://") if founds else -1
            for found in founds:
                _, name, _ = placeholder_parts(found)
                at = found.match.start()
                if wants == "host" and name == "URL":
                    fix = Fix(
                        "write <% DOMAIN %>",
                        (Edit.replace(found.location, "<% DOMAIN %>"),),
                        safe=False,
                    )
                    report(
                        found,
                        f"{var.name} asks for a host, but <% URL %> gives a URL with its "
                        "scheme (https://...)",
                        help="use <% DOMAIN %>, the host alone",
                        fix=fix,
                    )
                elif wants == "url" and name == "DOMAIN" and not 0 <= scheme <= at - 3:
                    report(
                        found,
                        f"{var.name} asks for a URL, but <% DOMAIN %> gives a host with no scheme",
                        help="use <% URL %>, or write https://<% DOMAIN %>",
                    )
