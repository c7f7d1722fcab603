"""Typed reads of parsed HTML for tests: an element that must be there, an attribute or a text that must be one string.

Each fails the test with what was missing, where ``select_one(...)["x"]`` would fail with
``'NoneType' object is not subscriptable``.
"""

from __future__ import annotations

from bs4 import Tag


def one(node: Tag, selector: str) -> Tag:
    """The first element under ``node`` that the CSS ``selector`` matches."""
    found = node.select_one(selector)
    assert found is not None, f"no element matches {selector!r}"
    return found


def attr(tag: Tag, name: str, default: str | None = None) -> str:
    """The value of the single-valued attribute ``name`` (``default`` when ``tag`` has none)."""
    value = tag.get(name, default)
    assert isinstance(value, str), f"<{tag.name}> has no single-valued attribute {name!r} (got {value!r})"
    return value


def string(tag: Tag) -> str:
    """The one text child of ``tag``, e.g. the JSON of a ``<script>``."""
    text = tag.string
    assert text is not None, f"<{tag.name}> has no single text child"
    return str(text)
