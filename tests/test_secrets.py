"""Secret values never appear in any output: messages, every format, code frames, fix texts,
--diff, the cache on disk and plugin messages. One definition of a secret serves the rules
and the masking."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import FORMAT_NAMES, cli
from nexlint.secrets import is_secret_name, url_password_spans

from .helpers import yaml

SECRET_FILE = yaml("""
    application:
      name: shop
      registryLogin:
        registry: ghcr.io
        username: acme
        personalAccessToken: 1234567890123
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          vars:
            DB_PASSWORD: [hunter2, hunter3]
            api_key: {value: s3cr3tvalue}
            - key: nope
        - name: api
          image: nginx:1.27
          servicePorts: [81]
          vars:
            - key: SERVICE_TOKEN
              value: [tok-987654]
          secrets:
            - name: creds
              data: {raw: topsecretdata}
              mountPath: /etc/creds
              fileName: creds.json
    """).replace("        - key: nope\n", "")

SECRETS = ("1234567890123", "hunter2", "s3cr3tvalue", "tok-987654", "topsecretdata")

# Every kind of secret of the one definition, each a value some rule reports or frames.
EVERY_KIND = yaml("""
    application:
      name: shop
      registryLogin:
        registry: ghcr.io
        username: acme
        personalAccessToken: ghp_Zq1aaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          vars:
            DB_PASSWORD: 84739201
            DB_PASSWD: "Zq2quoted"
            ADMIN_PWD: 'Zq3single'
            SMTP_PASS: Zq4plain
            GPG_PRIVATE: Zq5private
            AWS_CREDENTIAL: Zq6cred
            STRIPE_KEY: Zq7key
            JWT_SECRET: Zq8secret
            DATABASE_URL: postgresql://app:Zq9urlpass@db.pod:5432/app
            NOTES: "ping redis://:Zq10redis@cache.pod:6379 daily"
            CERT_PRIVATE: |
              Zq11block
          secrets:
            - name: creds
              data: Zq12data
              mountPath: /etc/creds
              fileName: creds.json
        - name: db
          image: postgres:16.4
          servicePorts: [5432]
          vars:
            - key: API_TOKEN
              value: Zq13listform
    """)
EVERY_SECRET = ("84739201", *(f"Zq{n}" for n in range(1, 14)))


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, ["check", "--no-cache", *args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def assert_no_secret(out: str, secrets: tuple[str, ...] = EVERY_SECRET) -> None:
    leaked = [s for s in secrets if s in out]
    assert not leaked, (leaked, out)


@pytest.fixture
def every_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "nexlayer.yaml"
    target.write_text(EVERY_KIND)
    return target


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("db_passwd", True),
        ("JWT_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("STRIPE_API_KEY", True),
        ("GCP_CREDENTIALS", True),
        ("SSH_PRIVATE", True),
        ("SMTP_PASS", True),
        ("ADMIN_PWD", True),
        ("PWD", False),  # the shell's working directory
        ("PASSPHRASE_HINT", False),
        ("HOSTNAME", False),
        ("PORT", False),
        # §3: words split at _ - . and lower-to-upper case changes
        ("dbPassword", True),
        ("mongoPass", True),
        ("db.pwd", True),
        ("api-key", True),
        ("APIKEY", True),
        ("DBPASSWORD", True),
        ("SECRET_KEY_BASE", True),
        ("MONGO_PASS", True),
        ("SECRETS_SYSTEM", True),  # a plural says secret too
        ("API_KEYS", True),
        # ... unless the next word names a property of the secret
        ("ACCESS_TOKEN_EXPIRETIME", False),
        ("REFRESH_TOKEN_EXPIRES_IN", False),
        ("AWS_ACCESS_KEY_ID", False),
        ("JWT_SECRET_ALGORITHM", False),
        ("POSTGRES_PASSWORD_FILE", False),
        ("PASSWORD_MIN_LENGTH", False),
        ("KEYCLOAK_ADMIN", False),  # a word that starts with KEY is no key
        ("PASS_THROUGH", False),  # PASS says secret only as the last word
    ],
)
def test_one_definition_of_a_secret_name(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_url_passwords_are_found_whole() -> None:
    text = "a postgres://u:p@ss/w@h:5/db b@c redis://:pw@h http://h/x?e=a@b mysql://u@h"
    found = [text[a:b] for a, b in url_password_spans(text)]
    assert found == ["p@ss/w", "pw"]


def test_every_kind_is_reported_where_it_is(every_kind: Path) -> None:
    found = {(d.code, d.line, d.column, d.end_column) for d in nexlint.lint(EVERY_KIND)}
    assert ("NXL501", 6, 26, 62) in found  # the token
    assert ("NXL005", 13, 22, 30) in found  # 84739201, an integer
    for line, column, end in [(13, 22, 30), (14, 20, 31), (15, 20, 31), (16, 20, 28)]:
        assert ("NXL502", line, column, end) in found
    assert ("NXL502", 21, 40, 50) in found  # the URL's password, and only it
    assert ("NXL502", 22, 31, 40) in found  # a password in a URL inside any var
    assert ("NXL502", 35, 18, 30) in found  # the list form
    assert not any(line == 12 for _, line, _, _ in found)  # servicePorts, not a secret


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_no_format_prints_a_secret(fmt: str, every_kind: Path) -> None:
    out = invoke("--format", fmt, "--fail-on", "info", "nexlayer.yaml")
    assert "NXL502" in out
    assert_no_secret(out)


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_no_format_prints_a_secret_of_any_type(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(SECRET_FILE)
    out = invoke("--format", fmt, "nexlayer.yaml")
    assert out.count("[NXL103]") + out.count('"NXL103"') >= 4 or fmt == "text"
    assert_no_secret(out, SECRETS)


def test_code_frames_show_stars_for_secrets(every_kind: Path) -> None:
    out = invoke("nexlayer.yaml")
    assert "13 |         DB_PASSWORD: ****\n" in out
    assert '14 |         DB_PASSWD: "****"\n' in out
    assert (
        "21 |         DATABASE_URL: postgresql://app:****@db.pod:5432/app\n   | "
        + (" " * 39 + "^^^^\n")
        in out
    )


def test_fix_texts_are_masked_in_json_and_to_dict(every_kind: Path) -> None:
    [quote] = [d for d in nexlint.lint(EVERY_KIND) if d.code == "NXL005"]
    assert quote.fix is not None
    assert quote.fix.to_dict()["edits"] == [
        {
            "start": quote.fix.edits[0].start,
            "end": quote.fix.edits[0].end,
            "text": '"****"',
            "masked": True,
        }
    ]
    assert_no_secret(json.dumps([d.to_dict() for d in nexlint.lint(EVERY_KIND)]))
    fixed, _ = nexlint.fix(EVERY_KIND)  # the fix itself still writes the real value
    assert 'DB_PASSWORD: "84739201"' in fixed


def test_diff_masks_secret_lines_and_says_so(every_kind: Path) -> None:
    out = invoke("--diff", "nexlayer.yaml")
    assert out.startswith("# nexlint: secret values are shown as ****")
    assert '-        DB_PASSWORD: ****\n+        DB_PASSWORD: "****"\n' in out
    assert_no_secret(out)
    assert every_kind.read_text() == EVERY_KIND  # --diff writes nothing


def test_the_cache_on_disk_holds_no_secret(
    every_kind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(tmp_path / "cache"))
    first = CliRunner().invoke(cli, ["check", "--format", "json", "nexlayer.yaml"]).stdout
    stored = "".join(p.read_text() for p in (tmp_path / "cache").rglob("*.json"))
    assert "NXL502" in stored
    assert_no_secret(stored)
    again = CliRunner().invoke(cli, ["check", "--format", "json", "nexlayer.yaml"]).stdout
    assert again == first
    fixed = CliRunner().invoke(cli, ["check", "--fix", "nexlayer.yaml"])
    assert fixed.exit_code == 1
    assert 'DB_PASSWORD: "84739201"' in every_kind.read_text()  # never a masked edit


PLUGIN = textwrap.dedent('''
    import nexlint

    @nexlint.rule(code="LEAK001", name="leaky", summary="quotes values in its message")
    def leaky(doc, report):
        """Why: a careless plugin."""
        for pod in doc.pods():
            variables = pod.data.get("vars")
            for name, value in (variables if isinstance(variables, dict) else {}).items():
                report(f"/application/pods/0/name", f"{name} is {value!r} or \\"{value}\\"")

    @nexlint.rule(code="LEAK002", name="crashy", summary="crashes with a value")
    def crashy(doc, report):
        """Why: a careless plugin."""
        raise ValueError(str(doc.data["application"]["pods"][0]["vars"]))
''')


def test_plugin_and_crash_messages_are_masked(every_kind: Path, tmp_path: Path) -> None:
    (tmp_path / "leaky_rules.py").write_text(PLUGIN)
    (tmp_path / "nexlint.toml").write_text('plugins = ["leaky_rules"]\n')
    out = invoke("--format", "concise", "nexlayer.yaml")
    assert "LEAK001" in out and "LEAK002" in out
    assert "DB_PASSWD is '****' or \"****\"" in out
    assert_no_secret(out)


BROKEN = {
    # a syntax error on the secret's own line: the tree is not whole
    "syntax": "application:\n  pods:\n    - vars:\n        DB_PASSWORD: Zq1open: here\n",
    # a bad directive on a secret's line
    "directive": yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              vars:
                API_TOKEN: Zq2tok  # nexlint: disable=NXL999
        """),
    # a legacy layout: pods keyed by name
    "legacy": yaml("""
        application:
          name: shop
          pods:
            web:
              vars: {DB_PASSWORD: Zq3legacy}  # nexlint: disable=NXL999
              env:
                - key: GITHUB_TOKEN
                  value: Zq4value  # nexlint: disable=NXL998
        """),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_frames_are_masked_from_the_text_when_the_tree_is_not_whole(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(BROKEN[case])
    out = invoke("nexlayer.yaml")
    assert "****" in out
    assert "Zq" not in out


def test_a_secret_under_a_borrowed_key_is_masked_in_the_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`env:` is not a Nexlayer key, but its secrets are secrets: the rename's diff shows
    them masked on both sides."""
    monkeypatch.chdir(tmp_path)
    text = yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
              env:
                - name: SESSION_SECRET
                  value: Zq1session
                - {name: API_TOKEN, value: Zq2flow}
        """)
    (tmp_path / "nexlayer.yaml").write_text(text)
    out = invoke("--diff", "--unsafe-fixes", "nexlayer.yaml")
    assert "-          value: ****\n" in out
    assert "+        SESSION_SECRET: ****\n" in out
    assert "Zq" not in out


REFERENCES = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: acme/web:1.0
          path: /
          servicePorts: [3000]
          vars:
            API_KEY: "${API_KEY}"
            DB_PASSWORD: <% DB_PASSWORD %>
            DATABASE_URL: postgres://app:${PG_PASSWORD}@db.pod:5432/app
            WITH_DEFAULT_TOKEN: "${TOKEN:-Zq1default}"
            OTHER_SECRET: Zq2literal
            OTHER_URL: postgres://app:Zq3literal@db.pod:5432/app
        - name: db
          image: postgres:16
          servicePorts: [5432]
          vars:
            POSTGRES_PASSWORD: <% DB_PASSWORD %>
""")


def test_a_value_that_only_names_a_secret_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`${API_KEY}` and `<% DB_PASSWORD %>` hold no secret: masking them hid the text a
    finding is about. A default (`${TOKEN:-...}`) and literal values stay masked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(REFERENCES)
    out = invoke("nexlayer.yaml")
    assert_no_secret(out, ("Zq1default", "Zq2literal", "Zq3literal"))
    assert '9 |         API_KEY: "${API_KEY}"\n' in out
    assert "10 |         DB_PASSWORD: <% DB_PASSWORD %>\n" in out
    assert "API_KEY holds ${API_KEY}, which Nexlayer does not fill in" in out
    # the advice for a secret-named var is still where secrets belong
    assert "= help: put the secret in `secrets`, or fill the file in before deploying" in out
    assert "11 |         DATABASE_URL: postgres://app:${PG_PASSWORD}@db.pod:5432/app\n" in out
    assert '12 |         WITH_DEFAULT_TOKEN: "****"\n' in out
    for fmt in FORMAT_NAMES:
        assert_no_secret(invoke("--format", fmt, "nexlayer.yaml"), ("Zq1", "Zq2", "Zq3"))
