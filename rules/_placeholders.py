"""The platform's placeholders: `<% URL %>`, `<% DOMAIN %>`, `<% REGISTRY %>`."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>")
KNOWN_PLACEHOLDERS = ("URL", "DOMAIN", "REGISTRY")
REGISTRY_PLACEHOLDER = re.compile(r"<%\s*REGISTRY\s*%>")

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
