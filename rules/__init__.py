"""The built-in rules, one module per rule. Each module's rule docstring is its documentation.

They are loaded by the same mechanism as third-party rules (``nexlint.registry.rules_in``).
"""
