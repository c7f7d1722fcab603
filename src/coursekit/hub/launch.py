"""The book's launch button: open a lesson as a notebook on the course hub.

A Sphinx extension (listed in ``_config.yml``, ``sphinx.extra_extensions``). The hub's
address is ``launch_buttons.jupyterhub_url`` in ``_config.yml``, or, at build time, the
environment variable ``COURSEKIT_HUB_URL`` (``make book HUB_URL=...``), which wins.

sphinx-book-theme's own JupyterHub button pulls the book's *repository* from GitHub into
the user's server with nbgitpuller: it needs a public GitHub repository, the internet on
the hub, and it would hand every student the whole repository, answer keys included. The
course hub needs none of that: ``coursekit hub setup`` copies the lessons into every
user's home (``~/lessons``, see :func:`coursekit.hub.provision.install_lessons`), so the
button opens ``~/lessons/<page>.md`` there, through the hub's ``user-redirect`` (log in,
start the server, open the file). jupytext, in the users' environment, opens the MyST
markdown lesson as a notebook.

>>> lesson_url("https://hub.example.edu/", "book/hip-movements", ".md")
'https://hub.example.edu/hub/user-redirect/lab/tree/lessons/book/hip-movements.md'
>>> hub_url("http://127.0.0.1:8010", {"COURSEKIT_HUB_URL": "https://hub.example.edu"})
'https://hub.example.edu'
>>> hub_url(" http://127.0.0.1:8010/ ", {})
'http://127.0.0.1:8010'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from coursekit.errors import CourseKitError

__all__ = ["ENV_VAR", "LESSONS_DIR", "hub_url", "lesson_url", "setup"]

ENV_VAR = "COURSEKIT_HUB_URL"
#: The folder in every user's home on the hub that mirrors the book's root (its pages).
LESSONS_DIR = "lessons"


def hub_url(configured: str, env: Mapping[str, str] | None = None) -> str:
    """The hub the book points at: ``COURSEKIT_HUB_URL`` if set, else the configured one ('' = none)."""
    env = os.environ if env is None else env
    url = (env.get(ENV_VAR) or configured or "").strip().rstrip("/")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        where = ENV_VAR if env.get(ENV_VAR) else "_config.yml, launch_buttons.jupyterhub_url"
        raise CourseKitError(f"{where} = {url!r}: the hub's address must be an http(s) URL, "
                             "e.g. https://jupyterhub.your-university.edu")
    return url


def lesson_url(hub: str, pagename: str, suffix: str) -> str:
    """The address that opens page ``pagename`` (its source ends in ``suffix``) on ``hub``."""
    return f"{hub.rstrip('/')}/hub/user-redirect/lab/tree/{LESSONS_DIR}/{quote(pagename)}{suffix}"


def _launch_options(app: Any) -> dict[str, Any]:
    options = app.config.html_theme_options
    launch = options.get("launch_buttons") if isinstance(options, dict) else None
    return launch if isinstance(launch, dict) else {}


def _take_over_hub_button(app: Any, config: Any) -> None:
    """Read the hub's address, and keep the theme from making its nbgitpuller link to it."""
    launch = _launch_options(app)
    config.coursekit_hub_url = hub_url(str(launch.get("jupyterhub_url") or ""))
    if launch.get("jupyterhub_url"):
        launch["jupyterhub_url"] = ""


def _add_hub_button(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    hub = app.config.coursekit_hub_url
    if not hub or doctree is None or "kernelspec" not in app.env.metadata.get(pagename, {}):
        return  # only pages that are notebooks (MyST markdown with a kernel) open on the hub
    button = {"type": "link", "text": "JupyterHub", "tooltip": "Open this lesson as a notebook on the course hub",
              "icon": "_static/images/logo_jupyterhub.svg", "label": "launch-coursekit-hub",
              "url": lesson_url(hub, pagename, Path(app.env.doc2path(pagename)).suffix)}
    buttons = context.setdefault("header_buttons", [])
    group = next((b for b in buttons if b.get("label") == "launch-buttons"), None)
    if group is None:  # the theme made no launch group (no other launch service): one of our own
        group = {"type": "group", "tooltip": "Launch interactive content", "icon": "fas fa-rocket",
                 "buttons": [], "label": "launch-buttons"}
        buttons.append(group)
    group["buttons"].append(button)


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("coursekit_hub_url", "", "html")
    app.connect("config-inited", _take_over_hub_button)
    # after sphinx-book-theme's own launch buttons (priority 501), before the page is written
    app.connect("html-page-context", _add_hub_button, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
