"""benchmarks/widgets.py runs (a few iterations; no timing assertions: the machine may be busy)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "widgets.py"


def _load():
    spec = importlib.util.spec_from_file_location("coursekit_bench_widgets", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_widget_benchmark_times_every_exercise_both_ways():
    bench = _load()
    rows = bench.run(iterations=2)
    assert [r.exercise for r in rows] == ["pelvic tilt explorer", "hip flexor length", "rotation balance",
                                          "muscle-action finder"]
    assert all(r.in_place_ms > 0 and r.fresh_ms > 0 for r in rows)
    text = bench.table(rows)
    assert "in place (ms)" in text and "fresh/in place" in text and text.count("\n") == 5
