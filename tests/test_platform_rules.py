"""The second rule set (issue 13): one mistake gives one diagnostic, placeholders are not
called secrets, each fix writes what its help says, and the Postgres layout follows image
and tag. Per-rule positions live in rules/testdata/<code>.yaml; these are the behaviours
that cross rules."""

from __future__ import annotations

import pytest

import nexlint

from .helpers import VALID, found, yaml


def with_vars(*lines: str) -> str:
    return VALID + "      vars:\n" + "".join(f"        {line}\n" for line in lines)


TWO_PODS = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: acme/web:1.0
          path: /
          servicePorts: [3000]
          vars:
            {var}
        - name: db
          image: acme/db:1.0
          path: /db
          servicePorts: [5432]
    """)


# -- one mistake, one diagnostic ------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "where"),
    [
        ('"# filled by pipeline"', (5, 14, 5, 36)),
        ("<your-image>", (5, 14, 5, 26)),
        ('""', (5, 14, 5, 16)),
        ("", (5, 7, 5, 12)),  # empty: at the key
        ("TODO", (5, 14, 5, 18)),
    ],
)
def test_a_placeholder_image_is_nxl307_only(image: str, where: tuple[int, ...]) -> None:
    text = VALID.replace("image: nginx:1.27", f"image: {image}".rstrip())
    assert found(text) == [("NXL307", *where)]


def test_a_foreign_pod_port_is_nxl212_with_the_pod_hint_not_nxl213() -> None:
    [d] = nexlint.lint(TWO_PODS.replace("{var}", "DB: postgres://${db:5432}/app"))
    assert (d.code, d.line, d.column, d.end_column) == ("NXL212", 9, 24, 34)
    assert d.help == "write db.pod:5432"


def test_a_bare_pod_host_in_a_browser_var_is_nxl208_only_with_the_pods_path() -> None:
    [d] = nexlint.lint(TWO_PODS.replace("{var}", "VITE_DB: http://db:5432"))
    assert (d.code, d.line, d.column, d.end_column) == ("NXL208", 9, 25, 27)
    assert d.help == "use <% URL %>/db (the path of pod db)"


def test_a_secret_in_a_browser_var_is_nxl504_not_also_nxl502() -> None:
    text = with_vars("VITE_STRIPE_SECRET_KEY: sk_live_abc123", "STRIPE_SECRET_KEY: sk_live_abc123")
    assert [d.code for d in nexlint.lint(text)] == ["NXL504", "NXL502"]


def test_a_replaced_code_still_reports_where_the_precise_rule_did_not() -> None:
    # NXL307 speaks for NXL304 on its own image only: another pod's untagged image stays.
    text = VALID.replace("image: nginx:1.27", "image: TODO") + yaml("""
        - name: api
          image: nginx
          servicePorts: [81]
    """).replace("- name", "    - name").replace("\n  ", "\n      ")
    assert [d.code for d in nexlint.lint(text)] == ["NXL307", "NXL304"]


# -- placeholders are missing values, not leaked ones ------------------------------------


def test_a_ghp_placeholder_token_is_nxl503_not_nxl501() -> None:
    text = yaml("""
        application:
          name: shop
          registryLogin:
            registry: ghcr.io
            username: acme
            personalAccessToken: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
          pods:
            - name: web
              image: <% REGISTRY %>/acme/web:1.0
              path: /
              servicePorts: [80]
        """)
    [d] = nexlint.lint(text)
    assert (d.code, d.line, d.column, d.end_column) == ("NXL503", 6, 26, 66)
    assert "xxxx" not in d.message  # a secret's value, placeholder or not, is never shown


@pytest.mark.parametrize(
    "line",
    [
        "API_KEY: your-api-key",
        'JWT_SECRET: "<generate one>"',
        "DB_PASSWORD: changeme",
        "DATABASE_URL: postgres://app:<password>@db.pod/app",
    ],
)
def test_a_placeholder_secret_is_not_nxl502(line: str) -> None:
    codes = [d.code for d in nexlint.lint(with_vars(line)) if d.code != "NXL204"]
    assert codes == ["NXL503"]


@pytest.mark.parametrize(
    "line",
    [
        "POSTGRES_PASSWORD_FILE: /run/secrets/db/password",
        "NEXT_PUBLIC_SUPABASE_ANON_KEY: eyJhbGciOiJIUzI1NiJ9.e30.abc",
        "STRIPE_PUBLISHABLE_KEY: pk_live_abc123",
    ],
)
def test_a_path_to_a_secret_or_a_public_key_is_no_secret(line: str) -> None:
    assert nexlint.lint(with_vars(line)) == []


# -- fixes do what their help says ----------------------------------------------------------


def test_bare_pod_host_fix_adds_pod_and_is_unsafe() -> None:
    text = TWO_PODS.replace("{var}", "DATABASE_URL: postgres://app@db:5432/app  # the db")
    assert nexlint.fix(text)[0] == text
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert fixed == text.replace("@db:5432", "@db.pod:5432")
    assert remaining == []


def test_url_in_a_host_var_fix_writes_domain() -> None:
    text = with_vars('COOKIE_DOMAIN: "<% URL %>"')
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert fixed == text.replace("<% URL %>", "<% DOMAIN %>")
    assert remaining == []


POSTGRES = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: acme/web:1.0
          path: /
          servicePorts: [3000]
        - name: db
          image: {image}
          servicePorts: [5432]
          vars: {{POSTGRES_PASSWORD_FILE: /run/pw}}
          volumes:
            - name: pgdata
              size: 1Gi
              mountPath: {mount}  # the volume
    """)


@pytest.mark.parametrize(
    ("image", "mount", "fixed_mount"),
    [
        ("postgres:18", "/var/lib/postgresql/data", "/var/lib/postgresql"),
        ("postgres:alpine", '"/var/lib/postgresql/data"', '"/var/lib/postgresql"'),
        ("postgres:18-alpine", "/var/lib/postgresql/18/docker", "/var/lib/postgresql"),
        ("bitnami/postgresql:16.4.0", "/bitnami/postgresql/data", "/bitnami/postgresql"),
    ],
)
def test_postgres_fix_moves_the_mount_where_the_image_wants_it(
    image: str, mount: str, fixed_mount: str
) -> None:
    text = POSTGRES.format(image=image, mount=mount)
    if image.startswith("bitnami"):
        text = text.replace("POSTGRES_PASSWORD_FILE", "POSTGRESQL_PASSWORD_FILE")
    [d] = nexlint.lint(text)
    assert (d.code, d.line, d.column) == ("NXL401", 15, 22)
    assert d.fix is not None and not d.fix.safe
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert fixed == text.replace(f"mountPath: {mount}", f"mountPath: {fixed_mount}")
    assert remaining == []


def test_postgres_up_to_17_fix_sets_pgdata_below_the_mount() -> None:
    text = POSTGRES.format(image="postgres:17.2", mount="/var/lib/postgresql/data")
    [d] = nexlint.lint(text)
    assert (
        d.help
        == "mount /var/lib/postgresql instead, or set PGDATA: /var/lib/postgresql/data/pgdata"
    )
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert "PGDATA: /var/lib/postgresql/data/pgdata" in fixed
    assert remaining == []


def test_postgres_18_mount_is_not_moved_onto_another_volume() -> None:
    text = POSTGRES.format(image="postgres:18", mount="/var/lib/postgresql/data") + (
        "        - name: other\n          size: 1Gi\n          mountPath: /var/lib/postgresql\n"
    )
    [d] = nexlint.lint(text)
    assert (d.code, d.fix) == ("NXL401", None)


# -- the Postgres layout by image and tag ---------------------------------------------------


@pytest.mark.parametrize(
    ("image", "mount", "codes"),
    [
        ("postgres:16", "/var/lib/postgresql", []),
        ("postgres:16", "/var/lib/postgresql/data", ["NXL401"]),
        ("postgres:18", "/var/lib/postgresql", []),
        ("postgres:18", "/var/lib/postgresql/data", ["NXL401"]),  # not NXL404 besides
        ("postgres", "/var/lib/postgresql/data", ["NXL304", "NXL401"]),  # 18 today
        ("library/postgres:9.6", "/var/lib/postgresql", []),
        ("pgvector/pgvector:pg18", "/var/lib/postgresql/data", ["NXL401"]),
        ("bitnami/postgresql:16.4.0", "/bitnami/postgresql", []),
        ("bitnami/postgresql:16.4.0", "/var/lib/postgresql", ["NXL404"]),
        ("ghcr.io/acme/my-postgres:2.1", "/data", ["NXL404"]),  # a *postgres* image
        ("prometheuscommunity/postgres-exporter:v0.15.0", "/data", []),
        ("postgrest/postgrest:v12.2.0", "/data", []),
        ("acme/postgres-backup:1.0", "/data", []),
    ],
)
def test_postgres_layout_by_image_and_tag(image: str, mount: str, codes: list[str]) -> None:
    text = POSTGRES.format(image=image, mount=mount)
    if image.startswith("bitnami"):
        text = text.replace("POSTGRES_PASSWORD_FILE", "POSTGRESQL_PASSWORD_FILE")
    assert [d.code for d in nexlint.lint(text)] == codes


def test_pgdata_decides_the_data_directory() -> None:
    text = POSTGRES.format(image="postgres:18", mount="/srv/pg").replace(
        "{POSTGRES_PASSWORD_FILE: /run/pw}",
        "{POSTGRES_PASSWORD_FILE: /run/pw, PGDATA: /srv/pg/data}",
    )
    assert nexlint.lint(text) == []
    moved = text.replace("PGDATA: /srv/pg/data", "PGDATA: /var/lib/pg")
    [d] = nexlint.lint(moved)
    assert d.code == "NXL404"
    assert d.message == (
        'no volume of pod "db" holds its data directory /var/lib/pg (PGDATA): the database is '
        "lost on restart"
    )
    assert d.help == "mount the volume on /var/lib"


def test_a_deployment_host_with_a_custom_domain_set_is_not_reported() -> None:
    text = with_vars("CORS_ORIGIN: https://relaxed-weasel-shop.cloud.nexlayer.ai")
    assert [d.code for d in nexlint.lint(text)] == ["NXL310"]
    custom = text.replace("  name: shop\n", "  name: shop\n  url: shop.example.com\n")
    assert nexlint.lint(custom) == []


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("POSTGRES_DB: todo", []),  # a to-do app's database, not a TODO
        ("NOTE: TODO", ["NXL503"]),
        ("DATABASE_URL: postgresql://web:${PW}@db.pod:5432/app", ["NXL212", "NXL204"]),
    ],
)
def test_look_alikes(line: str, codes: list[str]) -> None:
    assert [d.code for d in nexlint.lint(with_vars(line))] == codes
