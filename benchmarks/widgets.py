"""Benchmark: control change → finished in-place redraw, vs drawing a fresh figure each time.

Run: ``uv run python benchmarks/widgets.py [--iterations N]``. For each exercise, a
control is changed as a student would (``control.value = ...``); the clock stops when
the widget's image and readout are updated (rendering is synchronous). The "fresh"
column builds a new figure for the same setting and renders it to the same HTML
``<img>``. Target: in-place median under 50 ms on a 2-core machine. The CPU column
(this process's CPU time) shows the cost when other work competes for the cores.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from coursekit.diagrams.finder import finder_figure
from coursekit.diagrams.pelvis import flexor_figure, pelvis_figure
from coursekit.diagrams.rotation import rotation_figure
from coursekit.widgets import ActionFinder, FlexorLength, RotationBalance, TiltExplorer
from coursekit.widgets._render import figure_html

TARGET_MS = 50.0


@dataclass(frozen=True)
class Row:
    exercise: str
    in_place_ms: float
    fresh_ms: float
    in_place_cpu_ms: float = 0.0

    @property
    def ratio(self) -> float:
        return self.fresh_ms / self.in_place_ms if self.in_place_ms else float("inf")


def _median_ms(step: Callable[[int], object], n: int) -> tuple[float, float]:
    """Median wall-clock and CPU (this process) milliseconds per step."""
    wall, cpu = [], []
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        step(i)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _cases() -> list[tuple[str, Callable[[int], object], Callable[[int], object]]]:
    tilt, flex, rot, find = TiltExplorer(), FlexorLength(), RotationBalance(), ActionFinder()
    tilts = [-15, -5, 0, 5, 10, 20, 25]
    avail = [25, 15, 5, 0, -5, 10]
    acts = [0.0, 0.25, 0.5, 0.75, 1.0]
    actions = ["extension", "flexion", "abduction", "adduction", "external_rotation", "internal_rotation"]

    def tilt_step(i: int) -> None:
        tilt.controls["tilt"].value = tilts[i % len(tilts)]

    def flex_step(i: int) -> None:
        flex.controls["available"].value = avail[i % len(avail)]

    def rot_step(i: int) -> None:
        rot.controls["gluteus_maximus"].value = acts[i % len(acts)]

    def find_step(i: int) -> None:
        a = actions[i % len(actions)]
        find.controls[a].value = not find.controls[a].value

    return [
        ("pelvic tilt explorer", tilt_step,
         lambda i: figure_html(pelvis_figure(tilts[i % len(tilts)], 0.0))),
        ("hip flexor length", flex_step,
         lambda i: figure_html(flexor_figure(15.0, avail[i % len(avail)]))),
        ("rotation balance", rot_step,
         lambda i: figure_html(rotation_figure({"gluteus_maximus": acts[i % len(acts)]}))),
        ("muscle-action finder", find_step,
         lambda i: figure_html(finder_figure([actions[i % len(actions)]]))),
    ]


def run(iterations: int = 30) -> list[Row]:
    """Time every exercise; returns one row per exercise."""
    rows = []
    for name, in_place, fresh in _cases():
        in_place(0)  # warm up (first layout, cached background)
        fresh(0)
        wall, cpu = _median_ms(in_place, iterations)
        rows.append(Row(name, wall, _median_ms(fresh, max(3, iterations // 3))[0], cpu))
    return rows


def table(rows: list[Row]) -> str:
    """A plain-text table of the results."""
    head = f"{'exercise':<22} {'in place (ms)':>14} {'(cpu ms)':>9} {'fresh (ms)':>11} {'fresh/in place':>15}"
    lines = [f"{head}  target < {TARGET_MS:.0f} ms",
             "-" * 90]
    for r in rows:
        ok = "ok" if r.in_place_ms < TARGET_MS else "SLOW"
        lines.append(f"{r.exercise:<22} {r.in_place_ms:>14.1f} {r.in_place_cpu_ms:>9.1f} {r.fresh_ms:>11.1f} "
                     f"{r.ratio:>14.1f}x  {ok}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30, help="control changes per exercise (default 30)")
    args = parser.parse_args(argv)
    rows = run(args.iterations)
    print(table(rows))
    return 0 if all(r.in_place_ms < TARGET_MS for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
