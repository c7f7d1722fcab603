"""The redraw internals that keep widgets fast draw exactly what matplotlib draws.

``GlyphCachingRendererAgg`` reuses rasterised glyphs; ``png_rgb`` writes the PNG with
zlib. Both are checked against matplotlib's own Agg drawing and Pillow's decoder.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from coursekit.diagrams.finder import finder_figure
from coursekit.diagrams.pelvis import flexor_figure, pelvis_figure
from coursekit.diagrams.rotation import rotation_figure
from coursekit.widgets import ActionFinder, FlexorLength, RotationBalance, TiltExplorer, flipbook
from coursekit.widgets._render import GlyphCachingCanvasAgg, png_rgb
from coursekit.widgets.rotation import PRESETS as ROTATION_PRESETS


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


def _frames(box: object) -> list[np.ndarray]:
    """The pictures of a kernel-free flipbook, as RGB arrays."""
    stack = box.children[2]
    out = []
    for image in stack.children:
        data = image.value.split("base64,", 1)[1].split('"', 1)[0]
        out.append(np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")).astype(int))
    return out


def _differing_share(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape
    return float((np.abs(a - b).sum(axis=2) > 30).mean())


@pytest.mark.parametrize("case", ["tilt", "flexors", "rotation", "finder"])
def test_kernel_free_frames_drawn_in_place_look_like_fresh_figures(case):
    """One view redrawn per frame (fast) gives the pictures a fresh figure per setting gives."""
    fresh_frames: dict[str, list[tuple[str, Callable[[], Figure]]]] = {
        "tilt": [(f"{t}", lambda t=t: pelvis_figure(t, t)) for t in range(-20, 31, 5)],
        "flexors": [(f"{a}", lambda a=a: flexor_figure(20, a)) for a in range(25, -11, -5)],
        "rotation": [(name, lambda a=acts: rotation_figure(a)) for name, acts in ROTATION_PRESETS.items()],
        "finder": [(name, lambda a=acts: finder_figure(list(a))) for name, acts in
                   [("extension", ("extension",)), ("external rotation", ("external_rotation",)),
                    ("extension + external rotation", ("extension", "external_rotation"))]],
    }
    exercise = {"tilt": TiltExplorer, "flexors": FlexorLength, "rotation": RotationBalance, "finder": ActionFinder}
    in_place = _frames(exercise[case]().kernel_free())
    fresh = _frames(flipbook(case, fresh_frames[case]))
    if case == "finder":        # the finder's frames 0, 4 and 6 are these three settings
        in_place = [in_place[0], in_place[4], in_place[6]]
    assert len(in_place) == len(fresh)
    shares = [_differing_share(a, b) for a, b in zip(in_place, fresh)]
    # blitting draws the moving artists over every static one: a few edge pixels differ
    assert max(shares) < 0.005, shares
    assert len({frame.tobytes() for frame in in_place}) == len(in_place)     # every frame its own picture


def test_blitted_artists_overlap_as_in_a_full_drawing():
    """A highlighted row and a highlighted column cross the way matplotlib draws them."""
    finder = ActionFinder()
    finder.set(extension=True, external_rotation=True)
    blitted = np.asarray(Image.open(io.BytesIO(finder.renderer.png)).convert("RGB")).astype(int)
    view = finder.view
    full = FigureCanvasAgg(view.fig)
    for artist in view.dynamic_artists():
        artist.set_animated(False)
    full.draw()
    drawn = np.asarray(full.buffer_rgba())[:, :, :3].astype(int)
    assert _differing_share(blitted, drawn) == 0.0
