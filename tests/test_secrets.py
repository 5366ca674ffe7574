"""Secret values never appear in any output: messages, JSON, code frames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import nexlint
from nexlint.cli import cli

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


@pytest.mark.parametrize("fmt", ["text", "concise", "json"])
def test_no_format_prints_a_secret(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(SECRET_FILE)
    result = CliRunner().invoke(cli, ["check", "--format", fmt, "nexlayer.yaml"])
    assert result.exit_code == 1
    assert result.stdout.count("[NXL103]") + result.stdout.count('"NXL103"') >= 4 or fmt == "text"
    for secret in SECRETS:
        assert secret not in result.stdout, (fmt, secret)


def test_messages_mask_secret_values() -> None:
    diags = {d.pointer: d for d in nexlint.lint(SECRET_FILE)}
    token = diags["/application/registryLogin/personalAccessToken"]
    assert token.message == '"personalAccessToken" must be a string, not an integer (****)'
    assert (token.line, token.column) == (6, 26)
    assert "/application/pods/0/vars/DB_PASSWORD" in diags
    assert "/application/pods/1/vars/0/value" in diags


def test_code_frames_show_stars_for_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(SECRET_FILE)
    out = CliRunner().invoke(cli, ["check", "nexlayer.yaml"]).stdout
    assert "6 |     personalAccessToken: ****\n" in out
    assert "  |                          ^^^^\n" in out
    assert "13 |         DB_PASSWORD: ****\n" in out


def test_json_diagnostics_carry_no_secret() -> None:
    dumped = json.dumps([d.to_dict() for d in nexlint.lint(SECRET_FILE)])
    for secret in SECRETS:
        assert secret not in dumped
