"""The codes the engine itself reports: YAML well-formedness, document shape and the schema.

They are rules like any other for selection, severity, suppression and docs; only their
findings come from the parser and the schema step instead of a check function.
"""

from __future__ import annotations

from nexlint.diagnostics import Severity
from nexlint.rule_api import Rule


def _engine_rule(
    code: str,
    name: str,
    summary: str,
    doc: str,
    severity: Severity = Severity.ERROR,
    fixable: bool = False,
) -> Rule:
    return Rule(code, name, severity, summary, doc.strip("\n"), None, fixable, "nexlint")


CORE_RULES: tuple[Rule, ...] = (
    _engine_rule(
        "NXL001",
        "yaml-syntax",
        "the file is not well-formed YAML",
        """
Why: nothing can be checked, and nothing deploys, until the file parses. The diagnostic
points at the position where the parser gave up. Invalid UTF-8, UTF-16 files and control
characters are reported here too.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: "nginx:1.27
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: "nginx:1.27"
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL002",
        "duplicate-key",
        "a mapping repeats a key",
        """
Why: YAML readers disagree about a repeated key: some keep the first value, some the last,
some refuse the file. Every repetition is reported, at the later key.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
          servicePorts: [8080]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [8080]
""",
    ),
    _engine_rule(
        "NXL003",
        "document-shape",
        "empty file, several documents, root not a mapping, or a legacy layout",
        """
Why: a file that is empty, holds several YAML documents, is not a mapping, or follows a
legacy or foreign layout (`application.template`, pods keyed by name, `pods:` at the top
level, a docker-compose `services:` map) would otherwise produce a flood of schema errors.
It gets one diagnostic that names the layout instead. Files too large to be a deployment
file, nesting deeper than any nexlayer.yaml needs, and alias bombs are refused here too.

Bad:

    application:
      name: shop
      pods:
        web:
          image: nginx:1.27
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL004",
        "yaml-tag",
        "an explicit YAML tag (never constructed)",
        """
Why: tags like `!!python/object` ask a YAML reader to build objects, which can run code.
nexlint never constructs them: the value is read as plain text and the tag is reported.
The standard tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq`
are plain data and allowed.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: !!python/object/apply:os.system ["echo hi"]
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL006",
        "yaml-version",
        "a %YAML directive names a later 1.x version than 1.2",
        """
Why: YAML readers know versions 1.1 and 1.2. The spec asks that a document naming a later
minor version (`%YAML 1.3`) be read with a warning, as the latest version the reader knows:
nexlint reads it as YAML 1.2 and says so, so you know the file may mean something else to
a reader of that version. A later major version (`%YAML 2.0`) is not YAML 1 and is a syntax
error (NXL001).

Bad:

    %YAML 1.3
    ---
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]

Good:

    %YAML 1.2
    ---
    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
        Severity.WARNING,
    ),
    _engine_rule(
        "NXL101",
        "schema-required",
        "a required key is missing",
        """
Why: the platform needs `application.name`, `application.pods`, and for every pod its
`name`, `image` and `servicePorts` (unless `resourceType: job`); volumes need `name`,
`size` and `mountPath`. The diagnostic points at the first key of the mapping that lacks it.

Bad:

    application:
      name: shop
      pods:
        - name: web
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL102",
        "schema-unknown-key",
        "a key the schema does not allow",
        """
Why: the hosted validator silently ignores keys it does not know, so a misspelled or
borrowed key (`env`, `ports`, `serviceports`) deploys as if it were not there. The help
line suggests the key you probably meant when the guess is confident.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          serviceports: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
        fixable=True,
    ),
    _engine_rule(
        "NXL103",
        "schema-type",
        "a value of the wrong type",
        """
Why: a value of the wrong type (a string where a list of ports is expected, a list where
a mapping is expected) is rejected or misread at deploy time.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: 80

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL104",
        "schema-format",
        "a value that breaks a required format (name, volume size, ...)",
        """
Why: some values have a fixed format: the application name is lowercase letters, digits,
`.` and `-`; a volume size is a whole number of `Mi` or `Gi`; a subdomain is a DNS label.
The platform rejects anything else.

Bad:

    application:
      name: Shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [80]
""",
    ),
    _engine_rule(
        "NXL105",
        "schema-value",
        "a value out of range or not allowed",
        """
Why: ports are 1 to 65535, lists such as `servicePorts` and `pods` must not be empty, and
some keys take one of a few values (`resourceType`). Anything else fails at deploy time,
although the hosted validator accepts an empty `servicePorts`.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [70000]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27
          path: /
          servicePorts: [8080]
""",
    ),
    _engine_rule(
        "NXL901",
        "unused-suppression",
        "a nexlint directive that suppressed nothing",
        """
Why: a `# nexlint: disable...` comment that no longer suppresses anything hides nothing
today but will silently hide a real finding tomorrow. Remove it, or the code in it that
suppressed nothing. Codes the configuration does not check are not counted.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx:1.27  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]
""",
        Severity.WARNING,
    ),
    _engine_rule(
        "NXL902",
        "bad-directive",
        "a nexlint directive with bad syntax or an unknown code",
        """
Why: a directive that cannot be read suppresses nothing, so the finding it was meant to
silence stays, or, worse, a typo in a code silences nothing while looking as if it did.
Directives are `disable`, `disable-next-line` and `disable-file`, optionally followed by
`=CODE,CODE`.

Bad:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL34
          path: /
          servicePorts: [80]

Good:

    application:
      name: shop
      pods:
        - name: web
          image: nginx  # nexlint: disable=NXL304
          path: /
          servicePorts: [80]
""",
    ),
)
