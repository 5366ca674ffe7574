"""What a var's name says about the value it holds."""

from __future__ import annotations

import re
from typing import Any

# Vars compiled into the JavaScript every visitor downloads.
BROWSER_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "PUBLIC_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
)
# What a name asks for, by the last word that says: a host (no scheme) or a URL (with one).
# `COOKIE_DOMAIN` and `ALLOWED_HOSTS` ask for a host, `NEXTAUTH_URL` and `CORS_ORIGINS` for
# a URL, and `DOMAIN_URL` for a URL too: its last word says. A single `…_HOST`, or a bare
# `DOMAIN`, says nothing: real apps read a URL from both (the FastAPI template's
# `FRONTEND_HOST=http://localhost:5173`, Vaultwarden's `DOMAIN=https://vw.example.com`).
_ASKS = re.compile(
    r"(?P<host>(?<=.)DOMAIN|DOMAIN(?=.)|HOSTNAME|(?<![^_])HOSTS$)|(?P<url>(?<![^_])UR[LI]S?$|ORIGIN)",
    re.IGNORECASE,
)


def is_browser_var(name: str) -> bool:
    return name.upper().startswith(BROWSER_PREFIXES)


def asks_for(name: str) -> str | None:
    """`host`, `url`, or None when the name says neither."""
    words = list(_ASKS.finditer(name))
    if not words:
        return None
    return "host" if words[-1].group("host") else "url"


# Keys other platforms hold environment variables under, which Nexlayer ignores (NXL102
# reports them and offers the rename to `vars`).
BORROWED_VARS_KEYS = ("env", "environment", "envs", "variables", "envvars")


def borrowed_var_names(pod: dict[str, Any]) -> set[str]:
    """The names a pod sets under a borrowed key: `env: {A: b}`, `env: [{name: A, value: b}]`
    (Kubernetes), `environment: ["A=b"]` (docker-compose), `env: [{A: b}]`."""
    names: set[str] = set()
    for key in BORROWED_VARS_KEYS:
        held = pod.get(key)
        items = list(held) if isinstance(held, dict) else held if isinstance(held, list) else []
        for item in items:
            if isinstance(item, str):
                names.add(item.split("=", 1)[0])
            elif isinstance(item, dict):
                named = item.get("name", item.get("key"))
                names.update([named] if isinstance(named, str) else map(str, item))
    return names
