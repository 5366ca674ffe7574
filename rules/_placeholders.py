"""The platform's placeholders: `<% URL %>`, `<% DOMAIN %>`, `<% REGISTRY %>`."""

from __future__ import annotations

import re

from nexlint import Found

# `<% NAME %>`: one run of what may stand between the marks, read once (`placeholder_parts`
# splits it). Spaces and the name as three repeats of their own made a `<%` followed by
# spaces with no `%>` cubic: 2 KB took 30 s.
PLACEHOLDER = re.compile(r"<%(?P<body>[^%<>]*+)%>")
KNOWN_PLACEHOLDERS = ("URL", "DOMAIN", "REGISTRY")
REGISTRY_PLACEHOLDER = re.compile(r"<%\s*REGISTRY\s*%>")


def placeholder_parts(found: Found | re.Match[str]) -> tuple[str, str, str]:
    """(spaces after `<%`, name, spaces before `%>`) of a PLACEHOLDER match."""
    body = found.group("body") or ""
    name = body.strip()
    before = body[: len(body) - len(body.lstrip())]
    return before, name, body[len(before) + len(name) :]


def encloses(text: str, opening: str, closing: str) -> bool:
    """Whether a line of ``text`` holds ``opening`` and, after it, ``closing``: what
    `<%.*%>` finds, without trying every `<%` against the rest of the line."""
    for line in text.split("\n"):
        at = line.find(opening)
        if at >= 0 and line.find(closing, at + len(opening)) >= 0:
            return True
    return False


def is_indirect(text: str) -> bool:
    """Whether a value is blank or holds a placeholder filled in elsewhere (`<% ... %>`,
    `${...}`), and so is not the secret itself."""
    return not text.strip() or encloses(text, "<%", "%>") or encloses(text, "${", "}")


# What a value that was never filled in looks like (NXL503), and so is not a secret, a token
# or a literal to report elsewhere. `TODO` only in capitals: `todo` is a fine database name.
_FILL_IN = re.compile(
    r"^(?:(?i:your[-_]\S*|changeme|change[-_]me|replace[-_]me)|<[^%<>][^<>]*>|TODO\b.*|#\s.*)$",
    re.DOTALL,
)
# A known token prefix followed by nothing but x: `ghp_xxxxxxxx`, `sk-xxxx`.
_TOKEN_X = re.compile(
    r"^(?:ghp_|gho_|ghs_|ghu_|ghr_|github_pat_|glpat-|dckr_pat_|sk-|sk_live_|sk_test_|pk_live_|"
    r"pk_test_|xoxb-|xoxp-|AKIA)x{4,}$",
    re.IGNORECASE,
)


def is_unfilled(value: str) -> bool:
    """Whether a value is a placeholder someone meant to replace: `your-api-key`, `<token>`,
    `changeme`, `TODO`, `# filled by CI`, `ghp_xxxx…`."""
    text = value.strip()
    return bool(text) and bool(_FILL_IN.match(text) or _TOKEN_X.match(text))
