"""The platform's placeholders: `<% URL %>`, `<% DOMAIN %>`, `<% REGISTRY %>`."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<%(?P<before>\s*)(?P<name>[^%<>]*?)(?P<after>\s*)%>")
KNOWN_PLACEHOLDERS = ("URL", "DOMAIN", "REGISTRY")
REGISTRY_PLACEHOLDER = re.compile(r"<%\s*REGISTRY\s*%>")
