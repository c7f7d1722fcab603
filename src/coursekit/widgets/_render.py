"""Fast, in-place rendering of a figure into an ``ipywidgets.HTML`` ``<img alt=...>``.

The first render lays the figure out (constrained layout) and then freezes the layout.
When the view names its *dynamic* artists, the static rest is drawn once into a cached
background and every later render restores that background and draws only the dynamic
artists (blitting, in z-order); otherwise the whole frozen figure is redrawn. The pixels
are encoded as PNG with fast compression and put into the HTML widget with the
figure's alt text, so every image in the notebook and in the static book has alt text.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from coursekit.diagrams.style import alt_text

__all__ = ["Renderer", "img_html", "figure_html"]


def img_html(png: bytes, alt: str) -> str:
    """An ``<img>`` tag with a PNG data URI and escaped alt text."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="coursekit-figure" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}" style="max-width:100%;height:auto"/>')


def _encode(canvas: FigureCanvasAgg) -> bytes:
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


def figure_html(fig: Figure, dpi: float | None = None) -> str:
    """Render a whole figure once (no caching) and return its ``<img alt>`` tag."""
    if dpi is not None:
        fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return img_html(_encode(canvas), alt_text(fig))


class Renderer:
    """Keeps a canvas (and a background) for one figure and refreshes an HTML widget.

    ``dynamic`` returns the artists that change between renders; ``None`` redraws all.
    """

    def __init__(self, fig: Figure, dynamic: Callable[[], Sequence[Artist]] | None = None,
                 target: widgets.HTML | None = None, dpi: float | None = None) -> None:
        self.fig = fig
        if dpi is not None:
            fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic = dynamic
        self.target = target if target is not None else widgets.HTML()
        self._background = None
        self._prepared = False
        self.png = b""

    def _prepare(self) -> None:
        self._prepared = True
        self.canvas.draw()                      # lays out with the figure's layout engine
        self.fig.set_layout_engine("none")      # then keeps that layout for every update
        if self.dynamic is None:
            return
        artists = list(self.dynamic())
        for a in artists:
            a.set_animated(True)
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.fig.bbox)

    def render(self) -> str:
        """Draw the current state, update the widget, and return the HTML."""
        if not self._prepared:
            self._prepare()
        if self._background is None:
            self.canvas.draw()
        else:
            self.canvas.restore_region(self._background)
            for artist in sorted(self.dynamic(), key=lambda a: a.get_zorder()):
                if artist.get_visible():
                    self.fig.draw_artist(artist)
        self.png = _encode(self.canvas)
        value = img_html(self.png, alt_text(self.fig))
        self.target.value = value
        return value
