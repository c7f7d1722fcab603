"""Which nerve supplies which muscle: a muscles × nerves chart read from ``muscles.csv``.

:func:`nerves_of` sorts the innervation text of each muscle into the nerves the course
names (femoral, obturator, superior and inferior gluteal, the two divisions of the
sciatic nerve, the small sacral-plexus branches and the lumbar anterior rami). The
first nerve the text names is the main supply; a nerve named after "sometimes",
"also" or "often" is an additional supply in some people. The chart is drawn from that
sorting, so it changes when the data do.

>>> nerves_of("semitendinosus")
{'sciatic nerve, tibial division': 'main'}
>>> nerves_of("pectineus")["obturator nerve"]
'some people'
"""

from __future__ import annotations

import re

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from coursekit import anatomy
from coursekit.diagrams.style import PALETTE, new_figure, set_alt_text

__all__ = ["NERVES", "innervation_figure", "nerves_of"]

#: Nerve → the words that name it in ``muscles.csv`` (case-insensitive regular expressions).
NERVES: dict[str, str] = {
    "lumbar plexus (anterior rami)": r"anterior (\(ventral\) )?rami",
    "femoral nerve": r"femoral nerve",
    "obturator nerve": r"obturator nerve",
    "superior gluteal nerve": r"superior gluteal nerve",
    "inferior gluteal nerve": r"inferior gluteal nerve",
    "sciatic nerve, tibial division": r"tibial division",
    "sciatic nerve, common fibular division": r"common fibular",
    "sacral plexus branches": r"nerve to (piriformis|obturator internus|quadratus femoris)",
}
_EXTRA = re.compile(r"\b(sometimes|also|often)\b", re.I)


def nerves_of(name: str) -> dict[str, str]:
    """Nerve → ``'main'`` or ``'some people'`` for one muscle, from its innervation text."""
    text = anatomy.muscle(name).innervation
    found: dict[str, tuple[int, str]] = {}
    for nerve, pattern in NERVES.items():
        match = re.search(pattern, text, re.I)
        if match:
            extra = _EXTRA.search(text[: match.start()])
            found[nerve] = (match.start(), "some people" if extra else "main")
    if not found:
        raise ValueError(f"{name}: the innervation {text!r} names none of the course's nerves")
    return {nerve: how for nerve, (_, how) in sorted(found.items(), key=lambda item: item[1][0])}


def innervation_figure(muscles: list[str] | None = None) -> Figure:
    """A dot chart: one row per muscle, one column per nerve (filled = main supply)."""
    muscles = muscles or anatomy.muscle_names()
    nerves = [n for n in NERVES if any(n in nerves_of(m) for m in muscles)]
    fig = new_figure(8.4, 0.32 * len(muscles) + 2.4)
    ax = fig.subplots()
    for y, name in enumerate(muscles):
        for nerve, how in nerves_of(name).items():
            x = nerves.index(nerve)
            if how == "main":
                ax.plot(x, y, "o", ms=9, color=PALETTE["blue"])
            else:
                ax.plot(x, y, "o", ms=8, mfc="white", mec=PALETTE["orange"], mew=2)
    ax.set_yticks(range(len(muscles)), muscles, fontsize=8)
    ax.set_xticks(range(len(nerves)), [n.replace(", ", ",\n").replace(" (", "\n(") for n in nerves],
                  fontsize=7.5, rotation=35, ha="right")
    ax.invert_yaxis()
    ax.grid(True, color=PALETTE["grey"], alpha=0.3)
    ax.set_xlim(-0.5, len(nerves) - 0.5)
    ax.legend(handles=[Line2D([], [], marker="o", ls="", ms=9, color=PALETTE["blue"], label="main supply"),
                       Line2D([], [], marker="o", ls="", ms=8, mfc="white", mec=PALETTE["orange"], mew=2,
                              label="also, in some people")],
              loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    ax.set_title("Nerve supply of the muscles in the course", fontsize=10)
    groups = {n: [m for m in muscles if nerves_of(m).get(n) == "main"] for n in nerves}
    text = "; ".join(f"{n}: {', '.join(ms)}" for n, ms in groups.items() if ms)
    set_alt_text(fig, f"Dot chart of which nerve supplies each of {len(muscles)} muscles of the course, one row per "
                      f"muscle and one column per nerve. Main supply: {text}. Open dots mark an extra supply found "
                      "in some people.")
    return fig
