"""The rule-facing view: values that know where they are, in each form YAML writes them."""

from __future__ import annotations

import re

import pytest

import nexlint
from nexlint.document import parse
from nexlint.view import DocumentView

from .helpers import yaml

TEXT = yaml("""
    application:
      name: shop
      pods:
        - name: web
          image: "nginx:1.27"
          path: /
          servicePorts: [80, 443]
          vars:
            PLAIN: http://api.pod:8000
            QUOTED: 'x api.pod y'
            EMPTY:
            BLOCK: |
              connect to api.pod:9000
          command: [serve, "--peer=api.pod"]
        - name: api
          image: acme/api:1.0
          servicePorts: [8000]
          vars:
            - key: URL
              value: http://web.pod:80
    """)
POD_REFERENCE = re.compile(r"(?P<name>[a-z]+)\.pod")


@pytest.fixture
def doc() -> DocumentView:
    return DocumentView(parse(TEXT))


def where(text: str, location: nexlint.Location) -> str:
    return text[location.start : location.end]


def test_pods_vars_in_both_forms_and_their_places(doc: DocumentView) -> None:
    web, api = doc.pods()
    assert (web.index, web.name, web.label, api.label) == (0, "web", 'pod "web"', 'pod "api"')
    assert web.service_ports == [80, 443]
    assert [v.name for v in web.vars()] == ["PLAIN", "QUOTED", "EMPTY", "BLOCK"]
    [url] = api.vars()
    assert (url.name, url.data) == ("URL", "http://web.pod:80")
    assert where(TEXT, url.name_location) == "URL"  # the `key:` value names it
    plain = web.var("PLAIN")
    assert plain is not None and where(TEXT, plain.name_location) == "PLAIN"
    assert web.var("MISSING") is None


def test_locations_of_values_keys_and_content(doc: DocumentView) -> None:
    web = next(doc.pods())
    image = web.image
    assert image is not None
    assert where(TEXT, image.location) == '"nginx:1.27"'
    assert where(TEXT, image.content_location) == "nginx:1.27"
    assert where(TEXT, image.key_location) == "image"
    assert (image.pointer, image.key, image.string, image.style) == (
        "/application/pods/0/image",
        "image",
        "nginx:1.27",
        '"',
    )
    empty = web.var("EMPTY")
    assert empty is not None and empty.value is not None
    assert where(TEXT, empty.value.location) == "EMPTY"  # an empty value shows at its key
    assert doc.at("/application/pods/1/vars/0/value") is not None
    assert doc.at("/application/pods/9") is None


def test_find_is_exact_in_plain_quoted_block_and_list_scalars(doc: DocumentView) -> None:
    web = next(doc.pods())
    found = [
        (label, where(TEXT, match.location_of("name")), match.location.pointer)
        for label, value in web.texts()
        for match in value.find(POD_REFERENCE)
    ]
    assert found == [
        ("PLAIN", "api", "/application/pods/0/vars/PLAIN"),
        ("QUOTED", "api", "/application/pods/0/vars/QUOTED"),
        ("BLOCK", "api", "/application/pods/0/vars/BLOCK"),
        ("command", "api", "/application/pods/0/command/1"),
    ]


def test_values_are_read_only_and_shown_safely() -> None:
    view = DocumentView(parse(TEXT.replace("PLAIN:", "DB_PASSWORD:")))
    web = next(view.pods())
    secret = web.var("DB_PASSWORD")
    assert secret is not None and secret.value is not None
    assert secret.value.is_secret
    assert secret.value.shown() == "****"
    assert secret.value.written == "****"
    with pytest.raises(TypeError):
        web.data["name"] = "other"  # type: ignore[index]
    assert [v.string for v in view.strings()][:3] == ["shop", "web", "nginx:1.27"]


def test_owner_names_what_a_value_belongs_to(doc: DocumentView) -> None:
    web, api = doc.pods()
    url = api.var("URL")
    assert url is not None and url.value is not None
    assert url.value.owner == "URL"  # the name beside a `value`
    command = [v for label, v in web.texts() if label == "command"][1]
    assert command.owner == "command"  # a list item: its list's key
