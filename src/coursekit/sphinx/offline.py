"""Serve every script the book needs from the book itself: no CDN at build or run time.

Jupyter Book 1 (through myst-nb and Sphinx) points three things at CDNs by default:

* require.js and ``@jupyter-widgets/html-manager`` (``embed-amd.js``), which render the
  saved ipywidgets state on pages that contain widgets (``nb_ipywidgets_js``);
* the Font Awesome fonts that ``embed-amd.js`` loads relative to its webpack public path
  (``window.__jupyter_widgets_assets_path__``, set by ``coursekit-widgets.js``);
* MathJax (``mathjax_path``) on pages that contain maths.

The vendored copies live in ``vendor/static/coursekit-vendor/`` (see ``vendor/README.md``
for versions, licences and how to refresh them). Their folder is added to
``html_static_path`` in ``config-inited``, i.e. *after* Jupyter Book has turned
``_config.yml`` into Sphinx configuration, so Jupyter Book's "add every ``.js`` under a
static folder to every page" rule never sees them: require.js is loaded only on pages
that hold widget state, and MathJax only on pages with maths.

A value the book sets explicitly in ``_config.yml`` (``sphinx: config:``) is respected;
only the CDN defaults are replaced.

>>> sorted(widget_scripts())[0]
'coursekit-vendor/coursekit-widgets.js'
>>> MATHJAX_PATH
'coursekit-vendor/mathjax-3.2.2/tex-svg-full.js'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError

__all__ = [
    "HTML_MANAGER_VERSION",
    "MATHJAX_PATH",
    "REQUIREJS_VERSION",
    "STATIC_DIR",
    "VENDOR_DIR",
    "configure_offline",
    "dedupe_scripts",
    "is_remote",
    "setup",
    "widget_scripts",
]

#: Folder added to ``html_static_path``; its contents land in ``_build/html/_static/``.
STATIC_DIR = Path(__file__).parent / "vendor" / "static"
#: The vendored files, as they appear under ``_static/``.
VENDOR_DIR = "coursekit-vendor"
HTML_MANAGER_VERSION = "1.0.15"  # @jupyter-widgets/html-manager matching ipywidgets 8.1
REQUIREJS_VERSION = "2.3.8"
MATHJAX_VERSION = "3.2.2"
#: MathJax 3 with every TeX extension and SVG output: one file, no fonts, no autoload.
MATHJAX_PATH = f"{VENDOR_DIR}/mathjax-{MATHJAX_VERSION}/tex-svg-full.js"


def widget_scripts() -> dict[str, dict[str, str]]:
    """The ``nb_ipywidgets_js`` value: local require.js, asset-path shim, embed manager.

    Order matters: require.js first, then the shim (which configures require.js and
    the font path), then ``embed-amd.js``, which reads ``data-jupyter-widgets-cdn``
    (resolved by require.js against ``_static/``) for widget modules it lacks.
    """
    return {
        f"{VENDOR_DIR}/requirejs-{REQUIREJS_VERSION}/require.js": {},
        f"{VENDOR_DIR}/coursekit-widgets.js": {},
        f"{VENDOR_DIR}/html-manager-{HTML_MANAGER_VERSION}/embed-amd.js": {
            "data-jupyter-widgets-cdn": f"{VENDOR_DIR}/npm/",
        },
    }


def is_remote(uri: str) -> bool:
    """True for a URL that would make the browser leave the site.

    >>> is_remote("https://cdn.jsdelivr.net/npm/x.js"), is_remote("//cdn.x/y.js")
    (True, True)
    >>> is_remote("coursekit-vendor/requirejs-2.3.8/require.js")
    False
    """
    return "://" in uri or uri.startswith("//")


def _check_vendored(paths: list[str]) -> None:
    missing = [p for p in paths if not (STATIC_DIR / p).is_file()]
    if missing:
        raise ExtensionError(
            f"coursekit.sphinx: vendored asset(s) missing under {STATIC_DIR}: {', '.join(missing)}. "
            "Restore them from git or run `make vendor` (see src/coursekit/sphinx/vendor/README.md)."
        )


def configure_offline(app: Sphinx, config: Config) -> None:
    """``config-inited`` handler: swap the CDN defaults for the vendored copies."""
    static = [str(p) for p in config.html_static_path]
    if str(STATIC_DIR) not in static:
        config.html_static_path = [*static, str(STATIC_DIR)]
    widgets: dict[str, Any] = dict(getattr(config, "nb_ipywidgets_js", {}) or {})
    if not widgets or any(is_remote(uri) for uri in widgets):
        config.nb_ipywidgets_js = widget_scripts()
    if is_remote(str(getattr(config, "mathjax_path", "") or "https://")):
        config.mathjax_path = MATHJAX_PATH
    _check_vendored([p for p in [*config.nb_ipywidgets_js, config.mathjax_path] if not is_remote(p)])


def dedupe_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context`` handler: drop repeated ``<script>`` entries.

    Under Jupyter Book 1 some extensions register their inline configuration twice;
    sphinx-thebe's ``const THEBE_JS_URL = ...`` then throws "Identifier has already
    been declared" in the browser console on every page.

    >>> from sphinx.builders.html._assets import _JavaScript
    >>> ctx = {"script_files": [_JavaScript(None, body="const a = 1"), _JavaScript("", body="const a = 1")]}
    >>> dedupe_scripts(None, "index", "page.html", ctx, None)
    >>> len(ctx["script_files"])
    1
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[str, str]] = set()
    unique = []
    for js in scripts:
        # the same inline script arrives once with filename None and once with ''
        filename = str(getattr(js, "filename", js) or "")
        key = (filename, repr(sorted((getattr(js, "attributes", {}) or {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique  # in place: later handlers append to this same list


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the offline-assets handlers (before other ``config-inited`` hooks)."""
    app.setup_extension("myst_nb")
    app.setup_extension("sphinx.ext.mathjax")
    app.connect("config-inited", configure_offline, priority=100)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
