"""The redraw internals that keep widgets fast draw exactly what matplotlib draws.

``GlyphCachingRendererAgg`` reuses rasterised glyphs; ``png_rgb`` writes the PNG with
zlib. Both are checked against matplotlib's own Agg drawing and Pillow's decoder.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from coursekit.widgets import FlexorLength, TiltExplorer
from coursekit.widgets._render import GlyphCachingCanvasAgg, png_rgb


def _labelled_figure(shift: float = 0.0) -> Figure:
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.text(1.013 + shift, 2.37, "psoas major", fontsize=9)
    ax.text(4.5 + shift, 5.11, "anterior tilt 12°", rotation=30, color="#D55E00")
    ax.text(2.2, 8.8 + shift, "ASIS → pubic symphysis", fontsize=11, fontweight="bold")
    ax.set_title("Pelvis, side view")
    return fig


def _pixels(canvas: FigureCanvasAgg) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_cached_glyphs_give_the_pixels_matplotlib_draws():
    stock = _pixels(FigureCanvasAgg(_labelled_figure()))
    fig = _labelled_figure()
    canvas = GlyphCachingCanvasAgg(fig)
    first = _pixels(canvas)
    cached = len(canvas.get_renderer()._glyphs)
    second = _pixels(canvas)                       # every text now comes from the cache
    assert cached >= 4 and len(canvas.get_renderer()._glyphs) == cached
    assert np.array_equal(first, stock) and np.array_equal(second, stock)


def test_moved_text_is_drawn_where_matplotlib_draws_it():
    canvas = GlyphCachingCanvasAgg(_labelled_figure())
    _pixels(canvas)
    fig = canvas.figure
    for text in fig.axes[0].texts:                 # move the labels, keep the cache
        x, y = text.get_position()
        text.set_position((x + 0.731, y - 0.412))
    moved = _pixels(canvas)
    reference = _labelled_figure()
    for text in reference.axes[0].texts:
        x, y = text.get_position()
        text.set_position((x + 0.731, y - 0.412))
    stock = _pixels(FigureCanvasAgg(reference))
    # FreeType positions are in 1/64 px; the cache rounds once where matplotlib rounds per glyph
    assert np.abs(moved.astype(int) - stock.astype(int)).max() <= 8


def test_png_rgb_is_a_png_of_the_pixels_without_alpha():
    rng = np.random.default_rng(3)
    rgba = rng.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    image = Image.open(io.BytesIO(png_rgb(rgba)))
    assert image.format == "PNG" and image.mode == "RGB" and image.size == (53, 37)
    assert np.array_equal(np.asarray(image), rgba[:, :, :3])


def test_widget_redraws_reuse_glyphs_and_keep_alt_text():
    ex = FlexorLength()
    renderer = ex.renderer.canvas.get_renderer()
    ex.set(available=5)
    ex.set(available=15)
    size = len(renderer._glyphs)
    ex.set(available=5)                            # a setting seen before: nothing new to rasterise
    assert size > 0 and len(renderer._glyphs) == size
    assert 'alt="' in ex.image.value and "pelvis" in ex.image.value


def test_a_redrawn_frame_matches_a_fresh_drawing_of_the_same_setting():
    live = TiltExplorer()
    live.set(tilt=20)
    frame = np.asarray(Image.open(io.BytesIO(live.renderer.png)).convert("RGB")).astype(int)
    fresh = TiltExplorer()
    fresh.set(tilt=20)
    again = np.asarray(Image.open(io.BytesIO(fresh.renderer.png)).convert("RGB")).astype(int)
    assert frame.shape == again.shape and np.array_equal(frame, again)
