"""The document model: syntax errors, duplicates, shapes, tags, and exact positions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import nexlint
from nexlint.document import parse

from .helpers import VALID, found, only, yaml


def test_valid_file_has_no_findings() -> None:
    assert nexlint.lint(VALID) == []


# -- NXL001 ----------------------------------------------------------------------------------


def test_unclosed_quote_points_where_the_parser_gave_up() -> None:
    diags = only('application:\n  name: "shop\n  pods: []\n', "NXL001")
    assert [(d.line, d.column) for d in diags] == [(4, 1)]
    assert "while scanning a quoted scalar on line 2" in diags[0].message


def test_bad_indentation_points_at_the_offending_key() -> None:
    assert found("application:\n  name: shop\n pods: x\n") == [("NXL001", 3, 2, 3, 3)]


def test_tab_indentation_is_a_syntax_error_at_the_tab() -> None:
    diags = only("application:\n\tname: shop\n", "NXL001")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(2, 1, 2)]
    assert "'\\t'" in diags[0].message


def test_syntax_error_stops_the_checks() -> None:
    codes = {d.code for d in nexlint.lint("application:\n  name: [shop\n")}
    assert codes == {"NXL001"}


def test_undefined_alias_is_a_syntax_error_at_the_alias() -> None:
    diags = only("application: *nope\n", "NXL001")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(1, 14, 19)]
    assert '"*nope"' in diags[0].message


def test_control_character_is_reported_at_its_position() -> None:
    diags = only('application:\n  name: "sh\x07op"\n', "NXL001")
    assert [(d.line, d.column) for d in diags] == [(2, 12)]
    assert "U+0007" in diags[0].message


# -- NXL002 ----------------------------------------------------------------------------------


def test_every_duplicate_key_is_reported_at_the_later_key() -> None:
    text = yaml("""
        application:
          name: shop
          name: shop2
          pods:
            - name: web
              image: nginx:1.27
              image: nginx:1.28
              image: nginx:1.29
              path: /
              servicePorts: [80]
        """)
    diags = only(text, "NXL002")
    assert [(d.line, d.column, d.end_line, d.end_column) for d in diags] == [
        (3, 3, 3, 7),
        (7, 7, 7, 12),
        (8, 7, 8, 12),
    ]
    assert diags[0].message == 'duplicate key "name": it is already defined on line 2'
    assert diags[2].message == 'duplicate key "image": it is already defined on line 6'


def test_duplicate_keys_in_flow_mappings() -> None:
    text = 'application: {name: shop, name: x, pods: [{name: w, image: "a:1", servicePorts: [1]}]}'
    assert ("NXL002", 1, 27, 1, 31) in found(text)


def test_a_merged_key_overridden_explicitly_is_not_a_duplicate() -> None:
    text = yaml("""
        application:
          name: shop
          pods:
            - &web
              name: web
              image: nginx:1.27
              path: /
              servicePorts: [80]
            - <<: *web
              name: api
              path: /api
        """)
    assert nexlint.lint(text) == []


# -- NXL003 ----------------------------------------------------------------------------------


def test_empty_file() -> None:
    diags = nexlint.lint("")
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL003", 1, 1)]
    assert "empty" in diags[0].message


def test_file_with_only_comments_is_empty() -> None:
    assert [d.code for d in nexlint.lint("# nothing yet\n")] == ["NXL003"]


def test_several_documents_point_at_the_second_and_check_the_first() -> None:
    text = VALID.replace("nginx:1.27", "nginx:1.27") + "---\nextra: 1\n"
    text = text.replace("name: shop", "name: Shop")
    assert found(text) == [("NXL104", 2, 9, 2, 13), ("NXL003", 8, 1, 8, 4)]


def test_root_that_is_a_list() -> None:
    diags = nexlint.lint("- a\n- b\n")
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL003", 1, 1)]
    assert "the top level is a list" in diags[0].message


def test_legacy_template_layout_gives_one_diagnostic_at_template() -> None:
    text = yaml("""
        application:
          template:
            name: mern
            deploymentName: My App
            pods:
            - type: database
              exposeHttp: false
              name: mongoDB
              tag: mongo:7
        """)
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL003", 2, 3, 11)]
    assert "legacy template format" in diags[0].message


def test_pods_keyed_by_name() -> None:
    text = "application:\n  name: shop\n  pods:\n    web:\n      image: nginx:1.27\n"
    assert found(text) == [("NXL003", 3, 3, 3, 7)]


def test_pods_at_the_top_level() -> None:
    text = "application:\n  name: shop\npods:\n  - name: web\n    image: nginx:1.27\n"
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL003", 3, 1)]
    assert "under `application:`" in diags[0].message


def test_docker_compose_services() -> None:
    text = "application:\n  name: shop\nservices:\n  web:\n    image: nginx\n"
    assert found(text) == [("NXL003", 3, 1, 3, 9)]


def test_foreign_file_without_application() -> None:
    text = "name: shop\ncontainer:\n  image: nginx\n"
    diags = nexlint.lint(text)
    assert [(d.code, d.line, d.column) for d in diags] == [("NXL003", 1, 1)]
    assert "no `application:` key (its keys: name, container)" in diags[0].message


# -- NXL004 ----------------------------------------------------------------------------------


def test_python_tag_is_reported_at_the_tag_and_never_constructed() -> None:
    text = VALID.replace("nginx:1.27", "!!python/object/apply:os.system ['touch /tmp/x']")
    diags = only(text, "NXL004")
    assert [(d.line, d.column, d.end_column) for d in diags] == [(5, 14, 45)]
    assert '"!!python/object/apply:os.system"' in diags[0].message


def test_custom_tag_on_a_scalar_keeps_its_text() -> None:
    doc = parse("application: !Ref foo\n")
    assert [f.code for f in doc.findings] == ["NXL004"]
    assert doc.data == {"application": "foo"}


def test_standard_tags_are_plain_data() -> None:
    text = VALID.replace("name: shop", "name: !!str shop")
    assert nexlint.lint(text) == []
    assert parse("a: !!str 12\n").data == {"a": "12"}


# -- positions ---------------------------------------------------------------------------------


def test_crlf_lines_and_columns() -> None:
    text = VALID.replace("name: shop", "name: Shop").replace("\n", "\r\n")
    assert found(text) == [("NXL104", 2, 9, 2, 13)]


def test_utf8_bom_does_not_shift_columns() -> None:
    data = b"\xef\xbb\xbf" + VALID.replace("name: shop", "name: Shop").encode()
    diags = nexlint.lint_bytes(data)
    assert [(d.code, d.line, d.column, d.end_column) for d in diags] == [("NXL104", 2, 9, 13)]
    text = "\ufeff" + VALID.replace("name: shop", "name: Shop")
    assert found(text) == [("NXL104", 2, 9, 2, 13)]


def test_columns_count_characters_not_bytes() -> None:
    text = yaml("""
        application:
          name: shop # é ü
          pods:
            - name: wéb-ü
              image: "🚀🚀:1"
              path: /
              servicePorts: ["🚀"]
        """)
    assert only(text, "NXL103")[0].column == 22
    assert only(text, "NXL103")[0].end_column == 25


def test_tabs_inside_values_count_as_one_column() -> None:
    text = VALID.replace("servicePorts: [80]", "servicePorts: [\t80,\t'x']")
    assert found(text) == [("NXL103", 7, 27, 7, 30)]


def test_block_scalar_range_ends_at_its_last_character() -> None:
    text = "application:\n  name: |\n    Shop\n    more\n\n  pods: []\n"
    diags = only(text, "NXL104")
    assert [(d.line, d.column, d.end_line, d.end_column) for d in diags] == [(2, 9, 4, 9)]
    assert '"Shop\\nmore"' in diags[0].message


def test_folded_scalar_with_keep_indicator() -> None:
    text = "application:\n  name: >+\n    Shop\n\n  pods: []\n"
    assert only(text, "NXL104")[0].end_line == 3


def test_pointer_lookup_gives_key_and_value_ranges() -> None:
    doc = parse(VALID)
    pair = doc.node("/application/pods/0/servicePorts")
    assert pair is not None
    key, value = pair
    assert key is not None
    assert doc.text[key.start : key.end] == "servicePorts"
    assert doc.text[value.start : value.end] == "[80]"
    assert doc.node("/application/pods/7") is None


def test_pointer_escapes() -> None:
    doc = parse("a/b: 1\nc~d: 2\n")
    assert doc.node("/a~1b") is not None
    assert doc.node("/c~0d") is not None


def test_alias_values_resolve_to_the_anchor() -> None:
    text = yaml("""
        application:
          name: shop
          pods:
            - name: web
              image: nginx:1.27
              path: /
              servicePorts: &ports [80, 443]
            - name: api
              image: nginx:1.27
              servicePorts: *ports
        """)
    doc = parse(text)
    assert doc.data["application"]["pods"][1]["servicePorts"] == [80, 443]
    assert nexlint.lint(text) == []


def test_scalar_types_follow_yaml_1_2() -> None:
    doc = parse("a: yes\nb: 1.10\nc: 0755\nd: 0x1F\ne: true\nf: ~\ng: 2024-01-02\nh: .inf\n")
    assert doc.data == {
        "a": "yes",
        "b": 1.1,
        "c": 755,
        "d": 31,
        "e": True,
        "f": None,
        "g": "2024-01-02",
        "h": float("inf"),
    }


def test_complex_key_is_reported() -> None:
    text = "? [a, b]\n: 1\napplication: x\n"
    assert ("NXL103", 1, 3, 1, 9) in found(text)


def test_syntax_errors_carry_a_hint_in_plain_words() -> None:
    cases = {
        "application:\n\tname: x\n": "YAML indents with spaces, never with tabs",
        'application:\n  name: "x\n': "a quote is not closed",
        "a:\n  b: 1\n c: 2\n": "this line's indentation does not match the lines above it",
        "a: b: c\n": "a ':' where a value was expected: quote a value that contains ': '",
        "a: [1, 2\n": "a flow list [ ... ] is not closed",
    }
    for text, hint in cases.items():
        [d] = nexlint.lint(text)
        assert (d.code, d.help) == ("NXL001", hint), text


def test_a_later_minor_yaml_version_is_read_as_1_2_with_a_warning() -> None:
    text = "%YAML 1.3\n---\n" + VALID.replace("nginx:1.27", "nginx")
    assert found(text) == [("NXL006", 1, 7, 1, 10), ("NXL304", 7, 14, 7, 19)]
    [warning] = only(text, "NXL006")
    assert warning.severity is nexlint.Severity.WARNING
    assert warning.message == (
        "%YAML 1.3 is a YAML version nexlint does not know; the file is read as YAML 1.2"
    )
    assert found("%YAML 1.10\n---\n" + VALID) == [("NXL006", 1, 7, 1, 11)]


def test_a_later_major_yaml_version_is_a_syntax_error() -> None:
    [d] = nexlint.lint("%YAML 2.0\n---\n" + VALID)
    assert (d.code, d.line, d.column) == ("NXL001", 1, 1)
    assert "version 1.* is required" in d.message


def test_a_comment_the_round_trip_parser_trips_on_is_read_all_the_same() -> None:
    """The round-trip parser's comment machinery raises on this valid file (the YAML test
    suite's P94K); nexlint reads no comment, so it reads the file with the plain parser."""
    text = "key:    # Comment\n        # lines\n  value\n\n\n"
    assert parse(text).data == {"key": "value"}
    assert [d.code for d in nexlint.lint(text)] == ["NXL003"]  # not a nexlayer.yaml, but read


def test_a_parser_that_fails_on_its_own_is_one_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __init__(self, **kwargs: object) -> None:
            pass

        def parse(self, text: str) -> Iterator[object]:
            raise RecursionError("deep inside the parser")
            yield  # a generator, as the real one

    def broken_c(text: str) -> Iterator[object]:
        raise RecursionError("deep inside the C parser")
        yield

    monkeypatch.setattr("ruamel.yaml.YAML", Broken)
    monkeypatch.setattr("nexlint.document.c_events", broken_c)
    [d] = nexlint.lint(VALID)
    assert (d.code, d.line, d.column, d.end_column) == ("NXL001", 1, 1, 13)
    assert d.message.startswith("the YAML parser could not read this file")


def test_folded_scalars_carry_no_fold_marks() -> None:
    text = VALID + "      command: >\n        npm\n        start\n"
    assert parse(text).data["application"]["pods"][0]["command"] == "npm start\n"


def test_an_alias_to_its_own_ancestor_says_so() -> None:
    [d] = nexlint.lint("application: &app\n  name: shop\n  pods: *app\n")
    assert (d.code, d.line, d.column) == ("NXL001", 3, 9)
    assert d.message == (
        'the alias "*app" refers to the collection that contains it: data cannot contain itself'
    )


@pytest.mark.parametrize("parser", ["c", "pure"])
def test_a_version_directive_does_not_reach_the_next_file(
    parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser == "pure":
        monkeypatch.setattr("nexlint.document.c_events", lambda text: None)
    texts = [
        VALID,
        VALID + "      vars:\n        A: yes\n        B: 0755\n        C: 12:30\n",
        'application:\n  name: "a\\tb\\x85"\n  pods: []\n',
        "application:\n  name: x\n  pods:\n    - name: web\n"
        "      command: >\n        a\n\n        b\n",
    ]
    fresh = [nexlint.lint(text) for text in texts]
    after_1_1 = []
    for text in texts:
        nexlint.lint("%YAML 1.1\n---\napplication:\n  name: old\n")
        after_1_1.append(nexlint.lint(text))
    assert after_1_1 == fresh
    assert [parse(text).data for text in texts] == [
        parse(f"%YAML 1.2\n---\n{text}").data for text in texts
    ]
