"""NXL211 subdomain-without-url."""

from __future__ import annotations

import nexlint
from nexlint import DocumentView, Report


@nexlint.rule(
    code="NXL211",
    name="subdomain-without-url",
    severity="error",
    summary="a subdomain without application.url (a custom domain)",
)
def subdomain_without_url(doc: DocumentView, report: Report) -> None:
    """
    Why: a pod's `subdomain` is served under the application's custom domain
    (`<subdomain>.<url>`). Without `application.url` there is no domain to put it under,
    and the validator rejects the file.

    Bad:

        application:
          name: shop
          version: 2.0
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              subdomain: www

    Good:

        application:
          name: shop
          version: 2.0
          url: shop.example.com
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              subdomain: www
    """

    if doc.application.get("url"):
        return
    for pod in doc.pods():
        subdomain = pod.get("subdomain")
        if subdomain is not None:
            report(
                subdomain,
                "subdomain needs application.url, the custom domain it is served under",
                help="add `url: your.domain` under `application:`",
            )
