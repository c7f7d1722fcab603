"""HTML that instructors and students see, from jinja2 templates that escape every value.

Templates live in ``templates/``; values are escaped as ``html.escape`` does (quotes become
``&quot;``) unless they are :class:`markupsafe.Markup` built by coursekit itself (figures).

>>> render("feedback.html.j2", questions=[{"question": "q<1>", "earned": "1", "points": "2", "feedback": ['"a"']}])
'<div class="coursekit-feedback"><p><strong>q&lt;1&gt;</strong>: 1 / 2 points</p><ul><li>&quot;a&quot;</li></ul></div>'
"""

from __future__ import annotations

import functools
import html
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = ["render", "Markup"]


def _escape(value: Any) -> Markup:
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=PackageLoader("coursekit.grading", "templates"), autoescape=True, finalize=_escape,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)


def render(template: str, **values: Any) -> str:
    """Render ``templates/<template>`` with ``values`` (every value escaped)."""
    return _environment().get_template(template).render(**values)
