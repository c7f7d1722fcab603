"""Shared look of every coursekit figure, alt text, and display in notebooks and the book.

>>> fig = new_figure(3, 2)
>>> _ = set_alt_text(fig, "An empty test figure.")
>>> alt_text(fig)
'An empty test figure.'
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib.figure import Figure  # noqa: E402

from coursekit.errors import CourseKitError  # noqa: E402
from coursekit.palette import PALETTE  # noqa: E402 - re-exported: the figures' colours

__all__ = [
    "PALETTE",
    "FigureDisplay",
    "alt_text",
    "new_figure",
    "png_bytes",
    "set_alt_text",
    "show",
]


_ALT_ATTR = "_coursekit_alt_text"
DPI = 110


def new_figure(width: float = 6.4, height: float = 4.8) -> Figure:
    """A fresh figure with the course's default look (no pyplot, no auto display)."""
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    fig.set_facecolor("white")
    return fig


def set_alt_text(fig: Figure, text: str) -> Figure:
    """Attach the alt text that notebooks and the book show for ``fig``."""
    text = " ".join(str(text).split())
    if not text:
        raise CourseKitError("Alt text must describe the figure; it was empty.")
    setattr(fig, _ALT_ATTR, text)
    return fig


def alt_text(fig: Figure) -> str:
    """The alt text of ``fig``; raises when a diagram forgot to set one."""
    text = getattr(fig, _ALT_ATTR, "")
    if not text:
        raise CourseKitError(
            "This figure has no alt text: call coursekit.diagrams.style.set_alt_text(fig, ...)."
        )
    return text


def png_bytes(fig: Figure, dpi: int | None = None) -> bytes:
    """Render ``fig`` to PNG bytes (deterministic: no timestamp metadata)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, metadata={"Software": None})
    return buf.getvalue()


@dataclass(frozen=True)
class FigureDisplay:
    """What :func:`show` displays: HTML with alt text, plus a PNG for other front ends."""

    png: bytes
    alt: str
    caption: str | None = None

    def to_html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        img = (
            f'<img class="coursekit-figure" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}" style="max-width:100%;height:auto"/>'
        )
        cap = f"<figcaption>{html.escape(self.caption)}</figcaption>" if self.caption else ""
        return f'<figure class="coursekit-figure">{img}{cap}</figure>'

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001 - IPython protocol
        return (
            {"text/html": self.to_html(), "image/png": base64.b64encode(self.png).decode("ascii"),
             "text/plain": f"<figure: {self.alt}>"},
            {"image/png": {"alt": self.alt}},
        )


def show(fig: Figure, caption: str | None = None) -> FigureDisplay:
    """Display ``fig`` in a notebook or book page as an image with its alt text.

    Returns the display object (the last expression of a cell displays it).
    """
    return FigureDisplay(png=png_bytes(fig), alt=alt_text(fig), caption=caption)
