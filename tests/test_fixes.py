"""Fixes: exact output, idempotence, --diff writes nothing, atomic writes, and every byte a
fix does not touch stays as it was."""

from __future__ import annotations

import difflib
import os
import re
import stat
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nexlint
from nexlint.cli import cli
from nexlint.diagnostics import Diagnostic, Severity
from nexlint.fixes import fix_file, fix_text
from nexlint.registry import registry

from .helpers import VALID, corpus_files, yaml

SAFE = {
    "NXL005": ("        DEBUG: yes\n", '        DEBUG: "yes"\n'),
    "NXL306": ("        APP_URL: <%URL%>\n", "        APP_URL: <% URL %>\n"),
    "NXL102": ("      serviceports: [80]\n", "      servicePorts: [80]\n"),
    "NXL207": ("      path: api\n", "      path: /api\n"),
}


def with_vars(line: str) -> str:
    return VALID + "      vars:\n" + line


def test_each_safe_fix_exact_output() -> None:
    cases = {
        "NXL005": with_vars(SAFE["NXL005"][0]),
        "NXL306": with_vars(SAFE["NXL306"][0]),
        "NXL102": VALID.replace("      servicePorts: [80]\n", SAFE["NXL102"][0]),
        "NXL207": VALID.replace("      path: /\n", SAFE["NXL207"][0]),
    }
    for code, text in cases.items():
        before, after = SAFE[code]
        fixed, remaining = nexlint.fix(text)
        assert fixed == text.replace(before, after), code
        assert remaining == [], code


def test_quoting_keeps_the_comment_and_escapes() -> None:
    text = with_vars('        A: on   # keep me\n        B: 12:30\n        C: yes"no\n')
    fixed, _ = nexlint.fix(text)
    # `yes"no` is a plain string to every reader: left alone
    assert fixed.endswith('        A: "on"   # keep me\n        B: "12:30"\n        C: yes"no\n')


def test_quoted_key_rename_keeps_the_quotes() -> None:
    text = VALID.replace("      servicePorts: [80]\n", '      "serviceports": [80]\n')
    assert nexlint.fix(text)[0] == VALID.replace("      servicePorts", '      "servicePorts"')


def test_borrowed_key_rename_is_unsafe() -> None:
    text = VALID + "      env:\n        A: b\n"
    assert nexlint.fix(text)[0] == text
    assert nexlint.fix(text, unsafe=True)[0] == VALID + "      vars:\n        A: b\n"


def test_two_keys_that_would_become_one_are_not_both_renamed() -> None:
    text = VALID.replace(
        "      servicePorts: [80]\n", "      servicePort: [80]\n      ports: [81]\n"
    )
    offered = {d.message: d.fix for d in nexlint.lint(text) if d.code == "NXL102"}
    assert offered['unknown key "servicePort" in pod "web"'] is not None
    assert offered['unknown key "ports" in pod "web"'] is None
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert fixed == VALID.replace(
        "      servicePorts: [80]\n", "      servicePorts: [80]\n      ports: [81]\n"
    )
    assert [d.code for d in remaining] == ["NXL102"]  # ports is left for a person to merge


# A borrowed key is renamed only when its content converts exactly to the Nexlayer shape.
BORROWED = {
    "kubernetes env": (
        "      env:\n        - name: A\n          value: b  # kept\n        - name: PORT\n"
        '          value: "8080"\n',
        '      vars:\n        A: b  # kept\n        PORT: "8080"\n',
    ),
    "indentless env": (
        "      env:\n      - name: A\n        value: b\n",
        "      vars:\n        A: b\n",
    ),
    "flow env": (
        '      env: [{name: A, value: b}, "C=d=e", {F: g}]\n',
        '      vars: {A: b, C: "d=e", F: g}\n',
    ),
    "compose environment": (
        "      environment:\n        - DEBUG=true\n        - EMPTY=\n",
        '      vars:\n        DEBUG: "true"\n        EMPTY: ""\n',
    ),
    "list of one-key mappings": (
        "      env:\n        - A: b\n        # between\n        - C: d\n",
        "      vars:\n        A: b\n        # between\n        C: d\n",
    ),
}
PORTS = {
    "compose ports": (
        '      ports: ["8080:80", "127.0.0.1:9443:443/tcp", 3000]\n',
        "[80, 443, 3000]",
    ),
    "kubernetes ports": (
        "      ports:\n        - containerPort: 80\n          protocol: TCP\n"
        "        - containerPort: 81\n",
        "\n        - 80\n        - 81",
    ),
    "one port": ("      port: 8000\n", "[8000]"),
}
NOT_EXACT = {
    "env from a secret": (
        "      env:\n        - name: A\n          valueFrom: {secretKeyRef: {name: x}}\n"
    ),
    "env with a comment inside an item": "      env:\n        - name: A  # a\n          value: b\n",
    "compose env passed through": "      environment: [DEBUG]\n",
    "a multi-line value": "      env:\n        - name: A\n          value: |\n            b\n",
    "a udp port": '      ports: ["53:53/udp"]\n',
    "a port range": '      ports: ["3000-3005:3000-3005"]\n',
    "two ports that become one": '      ports: ["8080:80", "8081:80"]\n',
    "a named kubernetes port": "      ports:\n        - containerPort: 80\n          name: http\n",
}


@pytest.mark.parametrize("case", sorted(BORROWED))
def test_a_borrowed_env_is_converted_exactly(case: str) -> None:
    before, after = BORROWED[case]
    fixed, remaining = nexlint.fix(VALID + before, unsafe=True)
    assert fixed == VALID + after
    assert [d.code for d in remaining] == []


@pytest.mark.parametrize("case", sorted(PORTS))
def test_borrowed_ports_are_converted_exactly(case: str) -> None:
    before, ports = PORTS[case]
    text = VALID.replace("      servicePorts: [80]\n", "") + before
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert fixed == VALID.replace(
        "      servicePorts: [80]\n", ""
    ) + f"      servicePorts: {ports}\n".replace(": \n", ":\n")
    assert [d.code for d in remaining] == []


@pytest.mark.parametrize("case", sorted(NOT_EXACT))
def test_a_borrowed_key_that_does_not_convert_exactly_is_not_renamed(case: str) -> None:
    text = VALID.replace("      servicePorts: [80]\n", "") + NOT_EXACT[case]
    [unknown] = [d for d in nexlint.lint(text) if d.code == "NXL102"]
    assert unknown.help is not None and unknown.help.startswith("did you mean")
    assert unknown.fix is None
    assert nexlint.fix(text, unsafe=True)[0] == text


UNRULY = textwrap.dedent('''
    import nexlint
    from nexlint import Edit, Fix

    @nexlint.rule(code="UNR001", name="port-zero", summary="offers a fix that breaks the file")
    def port_zero(doc, report):
        """Why: to show a fix that adds an error is never applied."""
        port = doc.at("/application/pods/0/servicePorts/0").location
        zero = Fix("port 0", (Edit(port.start, port.end, "0"),))
        report("/application/name", "try port 0", fix=zero)
''')


def test_a_fix_that_would_add_an_error_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "unruly_rules.py").write_text(UNRULY)
    (tmp_path / "nexlint.toml").write_text('plugins = ["unruly_rules"]\n')
    config = nexlint.load_config(tmp_path / "nexlint.toml")
    text = with_vars(SAFE["NXL005"][0])
    [offered] = [d for d in nexlint.lint(text, config=config) if d.code == "UNR001"]
    assert offered.message == "try port 0" and offered.fix is not None  # the plugin ran
    fixed, remaining = nexlint.fix(text, config=config)
    assert fixed == with_vars(SAFE["NXL005"][1])  # the good fix of the same round is kept
    assert [d.code for d in remaining] == ["UNR001"]


EVERY_PORT_ZERO = textwrap.dedent('''
    import nexlint
    from nexlint import Edit, Fix

    @nexlint.rule(code="UNR002", name="every-port-zero", summary="fixes that break the file")
    def every_port_zero(doc, report):
        """Why: to show fixes that add errors are left out, and the good ones kept."""
        for pod in doc.pods():
            port = next(pod.get("servicePorts").elements()).location
            report(port, "try port 0", fix=Fix("port 0", (Edit(port.start, port.end, "0"),)))
''')


def test_good_fixes_before_between_and_after_bad_ones_are_all_applied(tmp_path: Path) -> None:
    """Each pod's port fix (first in the pod) adds an error; its ten vars' fixes do not."""
    (tmp_path / "every_port_zero.py").write_text(EVERY_PORT_ZERO)
    (tmp_path / "nexlint.toml").write_text('plugins = ["every_port_zero"]\n')
    config = nexlint.load_config(tmp_path / "nexlint.toml")
    pod = "    - name: p{0}\n      image: nginx:1.27\n      path: /{0}\n      servicePorts: [80]\n"
    text = "application:\n  name: shop\n  pods:\n" + "".join(
        pod.format(i) + "      vars:\n" + "".join(f"        V{j}: yes\n" for j in range(10))
        for i in range(3)
    )
    offered = nexlint.lint(text, config=config)
    assert sorted({d.code for d in offered}) == ["NXL005", "UNR002"]
    fixed, remaining = nexlint.fix(text, config=config)
    assert fixed == text.replace(": yes\n", ': "yes"\n')  # all 30 quoted, no port is 0
    assert [d.code for d in remaining] == ["UNR002"] * 3


def test_image_without_tag_is_not_fixable() -> None:
    text = VALID.replace("nginx:1.27", "nginx")
    [d] = nexlint.lint(text)
    assert (d.code, d.fix) == ("NXL304", None)
    assert nexlint.fix(text, unsafe=True)[0] == text


POSTGRES = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: acme/web:1.0
          path: /
          servicePorts: [3000]
        - name: db
          image: postgres:16
          servicePorts: [5432]
    {vars}      volumes:
            - name: pgdata
              size: 1Gi
              mountPath: /var/lib/postgresql/data   # the volume
    """)


@pytest.mark.parametrize(
    ("vars_block", "expected"),
    [
        (
            "",
            "      volumes:\n        - name: pgdata\n          size: 1Gi\n"
            "          mountPath: /var/lib/postgresql/data   # the volume\n"
            "      vars:\n        PGDATA: /var/lib/postgresql/data/pgdata\n",
        ),
        (
            "      vars:\n        POSTGRES_DB: app  # db\n",
            "      vars:\n        POSTGRES_DB: app  # db\n"
            "        PGDATA: /var/lib/postgresql/data/pgdata\n",
        ),
        (
            "      vars: {POSTGRES_DB: app}\n",
            "      vars: {POSTGRES_DB: app, PGDATA: /var/lib/postgresql/data/pgdata}\n",
        ),
        (
            "      vars:\n        - key: POSTGRES_DB\n          value: app\n",
            "      vars:\n        - key: POSTGRES_DB\n          value: app\n"
            "        - key: PGDATA\n          value: /var/lib/postgresql/data/pgdata\n",
        ),
    ],
    ids=["no-vars", "mapping", "flow", "list"],
)
def test_postgres_fix_is_unsafe_and_adds_pgdata(vars_block: str, expected: str) -> None:
    text = POSTGRES.replace("{vars}", vars_block)
    assert nexlint.fix(text)[0] == text  # not without --unsafe-fixes
    fixed, remaining = nexlint.fix(text, unsafe=True)
    assert expected in fixed
    assert [d.code for d in remaining] == ["NXL405"]  # no password set: no fix for that
    if "{" not in vars_block:  # block layouts: only whole lines are added
        added = [line for line in fixed.splitlines() if line not in text.splitlines()]
        assert "\n".join(line for line in fixed.splitlines() if line not in added) == text.rstrip(
            "\n"
        )


def test_crlf_file_gets_crlf_lines() -> None:
    text = POSTGRES.replace("{vars}", "").replace("\n", "\r\n")
    fixed, _ = nexlint.fix(text, unsafe=True)
    assert "\r\n      vars:\r\n        PGDATA: /var/lib/postgresql/data/pgdata" in fixed
    assert "\n" not in fixed.replace("\r\n", "")


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file alone in its folder; the result cache (which --fix uses) lives elsewhere."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("NEXLINT_CACHE_DIR", str(tmp_path / "cache"))
    target = work / "nexlayer.yaml"
    target.write_bytes(
        b"\xef\xbb\xbf"
        + with_vars(SAFE["NXL005"][0]).replace("servicePorts", "serviceports").encode()
    )
    os.chmod(target, 0o640)
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_diff_prints_and_writes_nothing(broken: Path) -> None:
    before = broken.read_bytes()
    code, out, _ = run("--diff", "nexlayer.yaml")
    assert code == 1
    assert out.startswith("--- a/nexlayer.yaml\n+++ b/nexlayer.yaml\n")
    assert '-        DEBUG: yes\n+        DEBUG: "yes"\n' in out
    assert broken.read_bytes() == before


def test_fix_writes_atomically_keeps_mode_and_bom_and_is_idempotent(broken: Path) -> None:
    code, out, err = run("--fix", "--format", "concise", "nexlayer.yaml")
    assert (code, out) == (0, "")
    assert err == "Fixed 2 problems (1 NXL005, 1 NXL102).\n"
    data = broken.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert stat.S_IMODE(broken.stat().st_mode) == 0o640
    assert data.decode("utf-8-sig") == with_vars(SAFE["NXL005"][1])
    assert list(broken.parent.iterdir()) == [broken]  # no temporary file left behind
    code, out, err = run("--fix", "nexlayer.yaml")
    assert (code, err) == (0, "")
    assert broken.read_bytes() == data


def test_text_output_marks_fixable_findings(broken: Path) -> None:
    _, out, _ = run("nexlayer.yaml")
    assert 'warning[NXL005] [*] "yes" is true' in out
    assert "[*] 2 fixable with `nexlint check --fix`.\n" in out


def test_a_file_that_cannot_be_written_is_exit_two_and_unchanged(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename that would replace the file is refused (as on a read-only mount; root
    ignores directory modes, so the refusal is simulated at os.replace)."""
    before = broken.read_bytes()

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("nexlint.fixes.os.replace", refuse)
    code, out, err = run("--fix", "nexlayer.yaml")
    assert (code, out) == (2, "")
    assert err == "nexlint: error: cannot fix nexlayer.yaml: Permission denied\n"
    assert broken.read_bytes() == before
    assert list(broken.parent.iterdir()) == [broken]


def test_fix_does_not_write_through_a_symlink_named_on_the_command_line(broken: Path) -> None:
    """The link is followed to lint (the user named it), but --fix never writes through
    it: the target may lie outside the repository. Its findings are still reported."""
    real = broken.parent / "real.yaml"
    broken.rename(real)
    broken.symlink_to(real.name)
    before = real.read_bytes()
    code, out, err = run("--fix", "--format", "concise", "nexlayer.yaml")
    assert code == 1
    assert err == (
        "nexlint: warning: not fixed nexlayer.yaml: a symbolic link; --fix does not write "
        "through links (name the file it leads to)\n"
    )
    assert "[NXL005]" in out and "[NXL102]" in out
    assert broken.is_symlink() and os.readlink(broken) == "real.yaml"
    assert real.read_bytes() == before
    assert sorted(p.name for p in broken.parent.iterdir()) == ["nexlayer.yaml", "real.yaml"]


def test_a_read_only_file_is_not_rewritten(broken: Path) -> None:
    before = broken.read_bytes()
    os.chmod(broken, 0o444)
    code, out, err = run("--fix", "nexlayer.yaml")
    assert (code, out) == (2, "")
    assert err == "nexlint: error: cannot fix nexlayer.yaml: the file is read-only\n"
    assert broken.read_bytes() == before
    assert stat.S_IMODE(broken.stat().st_mode) == 0o444
    assert list(broken.parent.iterdir()) == [broken]


def test_fix_keeps_owner_and_group(broken: Path) -> None:
    """Root may give the file away, so the test does where it can; otherwise the file keeps
    the process's own owner and group, which is all a non-root process may set."""
    if os.geteuid() == 0:
        os.chown(broken, 4321, 4322)
    owner = (broken.stat().st_uid, broken.stat().st_gid)
    code, _, _ = run("--fix", "nexlayer.yaml")
    assert code == 0
    assert (broken.stat().st_uid, broken.stat().st_gid) == owner
    assert broken.read_bytes().decode("utf-8-sig") == with_vars(SAFE["NXL005"][1])


def test_fix_keeps_hard_links(broken: Path) -> None:
    """A rename would leave the other name with the old text: the file is rewritten in
    place, so every name sees the fix."""
    other = broken.parent / "nexlayer.copy.yaml"
    os.link(broken, other)
    inode = broken.stat().st_ino
    code, _, err = run("--fix", "nexlayer.yaml")
    assert code == 0, err
    assert other.read_bytes().decode("utf-8-sig") == with_vars(SAFE["NXL005"][1])
    assert broken.stat().st_ino == other.stat().st_ino == inode
    assert broken.stat().st_nlink == 2
    assert stat.S_IMODE(broken.stat().st_mode) == 0o640
    assert sorted(p.name for p in broken.parent.iterdir()) == [other.name, broken.name]


def test_fix_keeps_extended_attributes(broken: Path) -> None:
    """ACLs, SELinux labels and user attributes are xattrs on Linux; a `user.` one stands
    for them all."""
    if not hasattr(os, "setxattr"):
        pytest.skip("this platform gives Python no access to extended attributes")
    try:
        os.setxattr(broken, "user.nexlint.origin", b"kept")
    except OSError as exc:
        pytest.skip(f"the temporary folder's filesystem takes no user xattrs: {exc.strerror}")
    inode = broken.stat().st_ino
    code, _, err = run("--fix", "nexlayer.yaml")
    assert code == 0, err
    assert broken.read_bytes().decode("utf-8-sig") == with_vars(SAFE["NXL005"][1])
    assert broken.stat().st_ino != inode  # renamed over: the attribute was copied, not kept
    assert os.getxattr(broken, "user.nexlint.origin") == b"kept"
    assert stat.S_IMODE(broken.stat().st_mode) == 0o640


@pytest.mark.parametrize("hard_linked", [False, True], ids=["renamed", "in place"])
def test_fix_file_leaves_a_file_that_changed_after_it_was_read(
    broken: Path, hard_linked: bool
) -> None:
    read = broken.read_bytes()
    saved = read + b"# saved meanwhile\n"
    broken.write_bytes(saved)
    if hard_linked:
        os.link(broken, broken.with_name("other.yaml"))
    result = fix_file(str(broken), read)
    assert result.skipped == "it changed after nexlint read it; run --fix again"
    assert (result.written, result.applied, result.diff) == (None, {}, "")
    assert {d.code for d in result.result.diagnostics} >= {"NXL005", "NXL102"}
    assert broken.read_bytes() == saved
    assert sorted(p.name for p in broken.parent.iterdir()) == sorted(
        ["nexlayer.yaml", *(["other.yaml"] if hard_linked else [])]
    )


def test_stdin_fix_prints_the_fixed_text() -> None:
    text = with_vars(SAFE["NXL005"][0])
    result = CliRunner().invoke(cli, ["check", "--fix", "-"], input=text)
    assert result.exit_code == 0
    assert result.stdout == with_vars(SAFE["NXL005"][1])


def test_fixable_rules_are_marked_in_the_registry() -> None:
    fixable = {r.code for r in registry().values() if r.fixable}
    assert {"NXL005", "NXL207", "NXL306", "NXL401"} <= fixable


# -- properties -----------------------------------------------------------------------------------

COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*")


def comments(text: str) -> list[str]:
    return [m.group(0) for m in COMMENT.finditer(text)]


@st.composite
def fixable_documents(draw: st.DrawFn) -> str:
    lines = ["# head comment", "application:", "  name: shop  # the app", "  pods:"]
    for i in range(draw(st.integers(1, 3))):
        lines += [f"    - name: pod{i}  # pod {i}", f"      image: acme/p{i}:1.0"]
        path = draw(st.sampled_from(["/", "api", "'/x'", '"y"']))
        if i == 0:
            lines.append(f"      path: {path}")
        key = draw(st.sampled_from(["servicePorts", "serviceports", "ServicePorts"]))
        lines.append(f"      {key}: [{3000 + i}]")
        lines.append("      vars:")
        for j in range(draw(st.integers(1, 4))):
            value = draw(
                st.sampled_from(
                    [
                        "yes",
                        "Off",
                        "'quoted'",
                        "<%URL%>/a",
                        "<% URL %>",
                        "0755",
                        "x <%DOMAIN%> y",
                        "plain",
                        "12:30",
                    ]
                )
            )
            note = draw(st.sampled_from(["", "  # c", "   #   spaced"]))
            lines.append(f"        V{j}: {value}{note}")
        if draw(st.booleans()):
            lines.append("      # trailing comment")
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixable_documents())
def test_fixes_keep_comments_and_untouched_lines_and_are_idempotent(text: str) -> None:
    result = fix_text(text, unsafe=True)
    assert comments(result.text) == comments(text)
    assert not any(d.code == "NXL001" for d in result.remaining)
    # a line no fix touched is still there, in order
    changed = {d.line for d in nexlint.lint(text) if d.fix is not None}
    kept = [line for n, line in enumerate(text.splitlines(), 1) if n not in changed]
    new_lines = iter(result.text.splitlines())
    assert all(any(line == candidate for candidate in new_lines) for line in kept)
    again = fix_text(result.text, unsafe=True)
    assert again.text == result.text
    assert not again.changed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixable_documents(), st.booleans())
def test_the_diff_is_the_one_diff_u_finds(text: str, crlf: bool) -> None:
    """--diff works from the fixes' own edits (a general diff is quadratic at worst), and
    shows what difflib, comparing the whole texts, shows (each line ending in a line feed)."""
    text = text.replace("\n", "\r\n") if crlf else text
    result = fix_text(text, unsafe=True)
    before, after = text.splitlines(keepends=True), result.text.splitlines(keepends=True)
    expected = difflib.unified_diff(before, after, "a/nexlayer.yaml", "b/nexlayer.yaml")
    assert result.diff("nexlayer.yaml") == "".join(expected).replace("\r\n", "\n")


# -- the corpus ----------------------------------------------------------------------------------


def test_fixing_the_corpus_keeps_comments_never_breaks_and_is_idempotent() -> None:
    total = 0
    for path in corpus_files():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        before = nexlint.lint(text)
        result = fix_text(text, path.name, unsafe=True)
        total += sum(result.applied.values())
        assert comments(result.text) == comments(text), path.name
        if not any(d.code == "NXL001" for d in before):
            assert not any(d.code == "NXL001" for d in result.remaining), path.name
        # never worse: never more errors, and no code that was not there -- except a
        # warning a rename brings to light (`env:` renamed `vars:` is read by the var rules)
        # about text the file already held, untouched by any fix
        assert errors(result.remaining) <= errors(before), path.name
        old_codes = {d.code for d in before}
        for d in result.remaining:
            if d.code not in old_codes:
                assert d.severity is not Severity.ERROR, (path.name, d.code)
                assert written(result.text, d) in text, (path.name, d.code)
        assert fix_text(result.text, path.name, unsafe=True).text == result.text, path.name
    assert total > 0


def written(text: str, d: Diagnostic) -> str:
    """The characters a diagnostic points at, with the rest of their line."""
    return text.splitlines()[d.line - 1][d.column - 1 :]


def errors(diagnostics: list[Diagnostic]) -> int:
    return sum(1 for d in diagnostics if d.severity is Severity.ERROR)


def test_pgdata_is_not_added_twice() -> None:
    """A pod that names PGDATA without a value gets no second PGDATA (found by the fuzzer:
    the fix was appended on every run)."""
    text = VALID.replace("nginx:1.27", "postgres:16") + (
        "      vars:\n        - key: PGDATA\n"
        "      volumes:\n        - {name: d, size: 1Gi, mountPath: /var/lib/postgresql/data}\n"
    )
    [mount] = [d for d in nexlint.lint(text) if d.code == "NXL401"]
    assert mount.fix is None
    assert nexlint.fix(text, unsafe=True)[0] == text
