"""Fast, in-place rendering of a figure into an ``ipywidgets.HTML`` ``<img alt=...>``.

The first render lays the figure out (constrained layout) and then freezes the layout.
When the view names its *dynamic* artists, the static rest is drawn once into a cached
background and every later render restores that background and draws only the dynamic
artists (blitting, in z-order); otherwise the whole frozen figure is redrawn. The pixels
are encoded as PNG with fast compression and put into the HTML widget with the
figure's alt text, so every image in the notebook and in the static book has alt text.

Two things keep a redraw short (``benchmarks/widgets.py``): the canvas's renderer keeps
the rasterised glyphs of every text it drew, by string, font, angle and sub-pixel
offset, so a label that is drawn again (moved by whole pixels, or recoloured) costs one
bitmap copy per glyph instead of a text layout and a FreeType rendering; and the PNG is
written with the standard library's zlib (no per-row filter search, fastest level),
which is about twice as fast as Pillow's encoder for these flat-colour diagrams and no
larger.
"""

from __future__ import annotations

import base64
import html
import io
import math
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from PIL import Image

from coursekit.diagrams.style import alt_text

__all__ = ["Renderer", "draw_order", "img_html", "figure_html"]


def img_html(png: bytes, alt: str) -> str:
    """An ``<img>`` tag with a PNG data URI and escaped alt text."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="coursekit-figure" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(alt, quote=True)}" style="max-width:100%;height:auto"/>')


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def png_rgb(rgba: Any) -> bytes:
    """An RGB PNG of an ``(height, width, 4)`` uint8 array (alpha dropped; filter 0, zlib level 1)."""
    pixels = np.asarray(rgba)
    height, width = pixels.shape[:2]
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0                                  # PNG filter type 0 (None) on every row
    np.copyto(rows[:, 1:].reshape(height, width, 3), pixels[:, :, :3])   # a view: one strided copy
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _png_chunk(b"IEND", b""))


def _encode(canvas: FigureCanvasAgg) -> bytes:
    return png_rgb(canvas.buffer_rgba())


def _encode_with_pillow(canvas: FigureCanvasAgg) -> bytes:
    """The previous encoder (Pillow, compress_level=1); kept for comparison in the tests."""
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue()


class GlyphCachingRendererAgg(RendererAgg):
    """Agg renderer that keeps the rasterised glyphs of the texts it draws.

    The key is the string, the font properties, the angle, the dpi and the position's
    sub-pixel offset (in FreeType's 1/64 px units); the whole-pixel part of the position
    only shifts the bitmaps. Mathtext and non-antialiased text take matplotlib's own path.
    """

    LIMIT = 4096

    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self._glyphs: dict[tuple, list[tuple[Any, int, int]]] = {}
        self._caching = True

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float, ismath: Any = False,
                  mtext: Any = None) -> None:
        if ismath or not self._caching or not gc.get_antialiased():
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        qx, qy = round(x * 64), round((self.height - y) * 64)      # FreeType's y is upwards
        key = (s, hash(prop), prop.get_size_in_points(), angle, qx & 63, qy & 63, self.dpi,
               tuple(features) if features is not None else None, language)
        glyphs = self._glyphs.get(key)
        if glyphs is None:
            try:
                glyphs = self._rasterise(s, prop, angle, (qx & 63) / 64, (qy & 63) / 64, features, language)
            except (AttributeError, TypeError):     # matplotlib's private text API changed: stop caching
                self._caching = False
                return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            if len(self._glyphs) >= self.LIMIT:
                self._glyphs.clear()
            self._glyphs[key] = glyphs
        dx, dy = qx >> 6, qy >> 6
        height = int(self.height)
        for buffer, left, top in glyphs:
            self._renderer.draw_text_image(buffer, left + dx, height - (top + dy) + buffer.shape[0], 0, gc)

    def _rasterise(self, s: str, prop: Any, angle: float, fx: float, fy: float, features: Any,
                   language: Any) -> list[tuple[Any, int, int]]:
        """Glyph bitmaps of ``s`` drawn at the sub-pixel offset (fx, fy), as matplotlib's Agg draws them."""
        from matplotlib.ft2font import RenderMode

        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        items = font._layout(s, flags=flags, features=features, language=language)
        size = prop.get_size_in_points()
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        out = []
        for item in items:
            glyph_font = item.ft_object
            glyph_font.set_size(size, self.dpi)
            glyph_font._set_transform(matrix, [round(0x40 * (fx + item.x * cos - item.y * sin)),
                                               round(0x40 * (fy + item.x * sin + item.y * cos))])
            bitmap = glyph_font._render_glyph(item.glyph_index, flags, RenderMode.NORMAL)
            out.append((np.array(bitmap.buffer, copy=True), bitmap.left, bitmap.top))
        return out


class GlyphCachingCanvasAgg(FigureCanvasAgg):
    """An Agg canvas whose renderer is a :class:`GlyphCachingRendererAgg` (kept while the size is)."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = GlyphCachingRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def figure_html(fig: Figure, dpi: float | None = None) -> str:
    """Render a whole figure once (no caching) and return its ``<img alt>`` tag."""
    if dpi is not None:
        fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return img_html(_encode(canvas), alt_text(fig))


def draw_order(fig: Figure) -> dict[int, int]:
    """Where each artist comes when matplotlib draws *fig* (by ``id``): by z-order, ties by position.

    The figure draws its children (axes, texts...) sorted by z-order, and each axes its
    own children likewise; a stable sort keeps the order they were added in. Blitting
    the dynamic artists in this order puts overlapping ones (a highlighted row over a
    highlighted column) the way a full draw of the figure does.
    """
    order: dict[int, int] = {}
    for child in sorted(fig.get_children(), key=lambda a: a.get_zorder()):
        order.setdefault(id(child), len(order))
        if isinstance(child, Axes):
            for grandchild in sorted(child.get_children(), key=lambda a: a.get_zorder()):
                order.setdefault(id(grandchild), len(order))
    return order


class Renderer:
    """Keeps a canvas (and a background) for one figure and refreshes an HTML widget.

    ``dynamic`` returns the artists that change between renders; ``None`` redraws all.
    """

    def __init__(self, fig: Figure, dynamic: Callable[[], Sequence[Artist]] | None = None,
                 target: widgets.HTML | None = None, dpi: float | None = None) -> None:
        self.fig = fig
        if dpi is not None:
            fig.set_dpi(dpi)
        self.canvas = GlyphCachingCanvasAgg(fig)
        self.dynamic = dynamic
        self.target = target if target is not None else widgets.HTML()
        self._background = None
        self._prepared = False
        self._order: dict[int, int] = {}
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
        self._order = draw_order(self.fig)

    def render(self) -> str:
        """Draw the current state, update the widget, and return the HTML."""
        if not self._prepared:
            self._prepare()
        if self._background is None:
            self.canvas.draw()
        else:
            self.canvas.restore_region(self._background)
            for artist in sorted(self.dynamic(), key=lambda a: self._order.get(id(a), len(self._order))):
                if artist.get_visible():
                    self.fig.draw_artist(artist)
        self.png = _encode(self.canvas)
        value = img_html(self.png, alt_text(self.fig))
        self.target.value = value
        return value
