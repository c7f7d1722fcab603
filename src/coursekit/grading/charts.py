"""The class report's two charts, drawn as inline SVG.

A score histogram and a difficulty/discrimination bar chart are a few dozen rectangles
and labels. Drawn here as SVG they cost a millisecond; matplotlib's import alone costs
longer than grading ten submissions, and ``coursekit grade`` draws the report at the end
of every run. Inline SVG also keeps the report one self-contained file whose text
(labels, ticks, legend) stays text: it scales, zooms and can be searched, and the
chart's description reaches a screen reader through ``role="img"`` and ``aria-label``.
The colours are the course's palette (:mod:`coursekit.palette`). Every label is escaped.

>>> svg = histogram([0, 1, 1, 3], top=3, title="t", xlabel="score", ylabel="students", alt="Histogram.")
>>> svg.count("<rect class=\\"bar\\""), 'aria-label="Histogram."' in svg
(3, True)
>>> bin_counts([0, 1, 1, 3, 3], top=3, bins=4)
[1, 2, 0, 2]
>>> nice_ticks(7), nice_ticks(13), nice_ticks(0)
([0, 1, 2, 3, 4, 5, 6, 7], [0, 2, 4, 6, 8, 10, 12], [0, 1])
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from coursekit.palette import PALETTE

__all__ = ["bar_pairs", "bin_counts", "histogram", "nice_ticks"]

FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
INK = "#222222"
GRID = "#DDDDDD"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, so the same data always gives the same file."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _label(value: float) -> str:
    return f"{value:g}"


def bin_counts(values: Sequence[float], top: float, bins: int) -> list[int]:
    """How many ``values`` fall in each of ``bins`` equal bins over ``0..top`` (the last includes ``top``).

    The bins are numpy's (half-open, the last closed); values outside ``0..top`` are left out.
    """
    counts = [0] * bins
    for value in values:
        if top <= 0:
            if value == 0:
                counts[0] += 1
            continue
        if 0 <= value <= top:
            counts[min(bins - 1, int(value / top * bins))] += 1
    return counts


def nice_ticks(top: float, most: int = 8) -> list[float]:
    """Round tick values from 0 to at least ``top``: steps of 1, 2 or 5 times a power of ten, at most ``most``."""
    if top <= 0:
        return [0, 1]
    raw = top / max(1, most - 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1) if top >= 1 else step
    count = int(math.floor(top / step + 1e-9))
    return [round(i * step, 10) for i in range(count + 1)]


def _svg(width: float, height: float, alt: str, body: list[str]) -> str:
    return (f'<figure class="coursekit-figure"><svg role="img" '
            f'aria-label="{_esc(alt)}" viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" '
            f'height="{_num(height)}" style="max-width:100%;height:auto" font-family="{_esc(FONT)}" '
            f'font-size="12" fill="{INK}"><title>{_esc(alt)}</title>\n' + "\n".join(body) + "\n</svg></figure>")


def histogram(scores: Sequence[float], top: float, *, title: str, xlabel: str, ylabel: str, alt: str,
              bins: int | None = None, color: str = PALETTE["blue"]) -> str:
    """A histogram of ``scores`` over ``0..top``: one bar per bin, whole-number counts on the y axis."""
    bins = bins or max(1, min(20, int(top) + 1))
    counts = bin_counts(scores, top, bins)
    width, height = 640.0, 320.0
    left, right, top_y, bottom = 56.0, width - 18.0, 40.0, height - 52.0
    most = max(counts, default=0) or 1
    yticks = nice_ticks(most, most=6)
    if yticks[-1] < most:  # one more step, so the tallest bar ends at or under the top tick
        yticks.append(yticks[-1] + yticks[1] - yticks[0])
    ymax = yticks[-1]
    span = top if top > 0 else 1.0

    def x(value: float) -> float:
        return left + (right - left) * value / span

    def y(value: float) -> float:
        return bottom - (bottom - top_y) * value / ymax

    body = [f'<text x="{_num((left + right) / 2)}" y="22" text-anchor="middle" font-size="15" '
            f'font-weight="600">{_esc(title)}</text>']
    for tick in yticks:
        body.append(f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{_num(left - 8)}" y="{_num(y(tick) + 4)}" text-anchor="end">{_label(tick)}</text>')
    step = span / bins
    for i, count in enumerate(counts):
        if count:
            x0, x1 = x(i * step), x((i + 1) * step)
            body.append(f'<rect class="bar" x="{_num(x0)}" y="{_num(y(count))}" width="{_num(x1 - x0)}" '
                        f'height="{_num(bottom - y(count))}" fill="{color}" stroke="#FFFFFF" stroke-width="1">'
                        f'<title>{_esc(f"{_label(round(i * step, 2))} to {_label(round((i + 1) * step, 2))}: {count}")}</title></rect>')
    body.append(f'<line x1="{_num(left)}" x2="{_num(right)}" y1="{_num(bottom)}" y2="{_num(bottom)}" '
                f'stroke="{INK}" stroke-width="1"/>')
    for tick in nice_ticks(span, most=10):
        body.append(f'<line x1="{_num(x(tick))}" x2="{_num(x(tick))}" y1="{_num(bottom)}" y2="{_num(bottom + 5)}" '
                    f'stroke="{INK}" stroke-width="1"/>')
        body.append(f'<text x="{_num(x(tick))}" y="{_num(bottom + 18)}" text-anchor="middle">{_label(tick)}</text>')
    body.append(f'<text x="{_num((left + right) / 2)}" y="{_num(height - 10)}" text-anchor="middle">'
                f'{_esc(xlabel)}</text>')
    body.append(f'<text transform="translate(16 {_num((top_y + bottom) / 2)}) rotate(-90)" text-anchor="middle">'
                f'{_esc(ylabel)}</text>')
    return _svg(width, height, alt, body)


def bar_pairs(labels: Sequence[str], first: Sequence[float], second: Sequence[float], *,
              names: tuple[str, str], alt: str, low: float = -1.0, high: float = 1.0,
              colors: tuple[str, str] = (PALETTE["green"], PALETTE["orange"])) -> str:
    """Two horizontal bars per label (``first`` above ``second``) on one ``low..high`` axis, a legend below."""
    row, label_px = 34.0, 6.6  # a row's height; a label character's width at 12 px, roughly
    left = 24.0 + label_px * max((len(str(label)) for label in labels), default=4)
    width = max(640.0, left + 420.0)
    right, top_y = width - 24.0, 14.0
    bottom = top_y + row * max(1, len(labels))
    height = bottom + 78.0

    def x(value: float) -> float:
        value = min(high, max(low, value))
        return left + (right - left) * (value - low) / (high - low)

    body = []
    for tick in (low, low / 2, 0.0, high / 2, high):
        stroke = "#999999" if tick == 0 else GRID
        body.append(f'<line x1="{_num(x(tick))}" x2="{_num(x(tick))}" y1="{_num(top_y)}" y2="{_num(bottom)}" '
                    f'stroke="{stroke}" stroke-width="1"/>')
        body.append(f'<text x="{_num(x(tick))}" y="{_num(bottom + 16)}" text-anchor="middle">{_label(tick)}</text>')
    for i, label in enumerate(labels):
        middle = top_y + row * (i + 0.5)
        body.append(f'<text x="{_num(left - 8)}" y="{_num(middle + 4)}" text-anchor="end">{_esc(label)}</text>')
        for value, offset, color, name in ((first[i], -7.5, colors[0], names[0]),
                                           (second[i], 7.5, colors[1], names[1])):
            x0, x1 = sorted((x(0.0), x(value)))
            body.append(f'<rect class="bar" x="{_num(x0)}" y="{_num(middle + offset - 6.5)}" '
                        f'width="{_num(max(x1 - x0, 0.0))}" height="13" fill="{color}">'
                        f'<title>{_esc(f"{label}: {name} {value:.2f}")}</title></rect>')
    legend_y = bottom + 38.0
    for j, (name, color) in enumerate(zip(names, colors, strict=True)):
        y0 = legend_y + 20.0 * j
        body.append(f'<rect x="{_num(left)}" y="{_num(y0 - 10)}" width="14" height="12" fill="{color}"/>')
        body.append(f'<text x="{_num(left + 20)}" y="{_num(y0)}">{_esc(name)}</text>')
    return _svg(width, height, alt, body)
