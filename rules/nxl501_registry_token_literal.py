"""NXL501 registry-token-literal."""

from __future__ import annotations

import re

import nexlint
from nexlint import DocumentView, Report

from ._placeholders import is_unfilled

TOKEN_KINDS = (
    (re.compile(r"^ghp_[A-Za-z0-9]{20,}$"), "a GitHub personal access token"),
    (re.compile(r"^github_pat_[A-Za-z0-9_]{20,}$"), "a GitHub fine-grained token"),
    (re.compile(r"^gh[osur]_[A-Za-z0-9]{20,}$"), "a GitHub token"),
    (re.compile(r"^glpat-[A-Za-z0-9_\-]{20,}$"), "a GitLab personal access token"),
    (re.compile(r"^dckr_pat_[A-Za-z0-9_\-]{20,}$"), "a Docker Hub access token"),
    (re.compile(r"^(AKIA|ASIA)[A-Z0-9]{16}$"), "an AWS access key"),
    (re.compile(r"^ya29\.[A-Za-z0-9_\-]{20,}$"), "a Google OAuth token"),
)


@nexlint.rule(
    code="NXL501",
    name="registry-token-literal",
    severity="warning",
    summary="personalAccessToken holds what looks like a real token",
)
def registry_token_literal(doc: DocumentView, report: Report) -> None:
    """
    Why: a real token committed in nexlayer.yaml is readable by everyone who can read the
    repository, and its history keeps it after you remove it. Keep the token out of the
    file (fill it in at deploy time) and revoke the one that was committed. The value is
    never printed.

    Bad:

        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: ghp_EXAMPLEexampleEXAMPLEexample000000
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]

    Good:

        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: ${GHCR_READ_TOKEN}  # envsubst at deploy time
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [3000]
    """

    app = doc.app
    login = app.get("registryLogin") if app is not None else None
    token = login.get("personalAccessToken") if login is not None else None
    if token is None or token.string is None or is_unfilled(token.string):
        return  # `ghp_xxxx…` is a placeholder: NXL503 says so
    for pattern, kind in TOKEN_KINDS:
        if pattern.match(token.string.strip()):
            report(
                token,
                f"personalAccessToken holds what looks like {kind}, committed in the file",
                help="revoke it, and fill the token in at deploy time instead",
            )
            return
