"""Clinical kinesiology facts: hip ligaments, pelvic force couples, clinical tests, palpation.

Four sourced data files sit beside ``muscles.csv`` in ``coursekit/data``:

* ``ligaments.csv``: the hip capsule and the iliofemoral, pubofemoral and ischiofemoral
  ligaments, where each runs and which hip movements make it taut;
* ``force_couples.csv``: the muscle groups that tilt the pelvis, which side of the
  pelvis each pulls on and which way;
* ``clinical_tests.csv``: length, strength and movement tests, each with how it is done,
  what a positive result means and its limits;
* ``palpation.csv``: how to find the landmarks and muscles on a body.

Every row carries a source. Muscle names are checked against ``muscles.csv`` and
movements against the action vocabulary of :mod:`coursekit.anatomy`, so a typo is a
:class:`~coursekit.errors.DataError` naming the file, row and column.

>>> [lig.name for lig in ligaments() if "extension" in lig.taut_in][:2]
['hip joint capsule', 'iliofemoral ligament']
>>> couple("posterior_tilt")[1].hip_muscles[0]
'gluteus maximus'
>>> clinical_test("ely").targets
('rectus femoris',)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pandas as pd

from coursekit.anatomy import Action, Joint, Row, data_path, muscle_names, read_rows
from coursekit.errors import DataError, NameMatchError

__all__ = [
    "ClinicalTest",
    "ForceCouple",
    "Ligament",
    "Palpation",
    "TestKind",
    "ThomasReading",
    "clinical_test",
    "clinical_tests",
    "couple",
    "force_couples",
    "ligament",
    "ligaments",
    "load_clinical_tests",
    "load_force_couples",
    "load_ligaments",
    "load_palpation",
    "palpation",
    "tests_table",
    "thomas_reading",
]


class TestKind(StrEnum):
    """What a clinical test examines."""

    __test__ = False  # not a pytest class

    LENGTH = "length"
    STRENGTH = "strength"
    MOTOR_CONTROL = "motor_control"


@dataclass(frozen=True)
class Ligament:
    """The hip capsule or one of its ligaments."""

    name: str
    aliases: tuple[str, ...]
    position: str
    proximal: str
    distal: str
    taut_in: tuple[Action, ...]
    cross_section_mm2: float | None
    role: str
    source: str


@dataclass(frozen=True)
class ForceCouple:
    """One muscle group of a force couple that tilts the pelvis."""

    tilt: str
    group: str
    side: str
    pull: str
    hip_muscles: tuple[str, ...]
    trunk_muscles: tuple[str, ...]
    where: str
    source: str

    @property
    def muscles(self) -> tuple[str, ...]:
        """Every muscle of the group: those of ``muscles.csv`` first, then trunk muscles."""
        return self.hip_muscles + self.trunk_muscles


@dataclass(frozen=True)
class ClinicalTest:
    """A clinical test of muscle length, strength or movement control."""

    __test__ = False  # not a pytest class

    id: str
    name: str
    kind: TestKind
    targets: tuple[str, ...]
    position: str
    procedure: str
    positive: str
    meaning: str
    limits: str
    source: str


@dataclass(frozen=True)
class Palpation:
    """How to find one landmark or muscle on a body."""

    structure: str
    kind: str
    landmark: str
    position: str
    find: str
    confirm: str
    try_it: str
    source: str


TILTS = ("anterior_tilt", "posterior_tilt")
_SIDES = ("front", "back")
_PULLS = ("up", "down")


def _muscles(row: Row, column: str, known: set[str]) -> tuple[str, ...]:
    names = row.items(column)
    for name in names:
        if name not in known:
            raise row.error(column, f"unknown muscle {name!r}; use names from muscles.csv")
    return names


def _choice(row: Row, column: str, allowed: tuple[str, ...]) -> str:
    value = row.text(column)
    if value not in allowed:
        raise row.error(column, f"unknown value {value!r}; use one of: {', '.join(allowed)}")
    return value


def load_ligaments(path: Path | str | None = None) -> tuple[Ligament, ...]:
    """Read and validate ``ligaments.csv`` (movements in the action vocabulary)."""
    path = Path(path) if path else data_path("ligaments.csv")
    cols = ("name", "aliases", "position", "proximal", "distal", "taut_in", "cross_section_mm2", "role", "source")
    out = []
    for row in read_rows(path, cols):
        taut = row.actions("taut_in", Joint.HIP)
        if not taut:
            raise row.error("taut_in", "is empty; name the hip movements that make the structure taut")
        area = row.number("cross_section_mm2") if row.text("cross_section_mm2", required=False) else None
        out.append(Ligament(
            name=row.text("name"), aliases=row.items("aliases"), position=row.text("position"),
            proximal=row.text("proximal"), distal=row.text("distal"),
            taut_in=tuple(a for a in Action if a in taut), cross_section_mm2=area,
            role=row.text("role"), source=row.text("source"),
        ))
    return tuple(out)


def load_force_couples(path: Path | str | None = None) -> tuple[ForceCouple, ...]:
    """Read and validate ``force_couples.csv``; each tilt needs a front and a back group."""
    path = Path(path) if path else data_path("force_couples.csv")
    cols = ("tilt", "group", "side", "pull", "hip_muscles", "trunk_muscles", "where", "source")
    known = set(muscle_names())
    out = []
    for row in read_rows(path, cols):
        found = ForceCouple(
            tilt=_choice(row, "tilt", TILTS), group=row.text("group"), side=_choice(row, "side", _SIDES),
            pull=_choice(row, "pull", _PULLS), hip_muscles=_muscles(row, "hip_muscles", known),
            trunk_muscles=row.items("trunk_muscles"), where=row.text("where"), source=row.text("source"),
        )
        if not found.muscles:
            raise row.error("hip_muscles", "the group names no muscle (hip_muscles and trunk_muscles are empty)")
        out.append(found)
    for tilt in TILTS:
        sides = sorted(c.side for c in out if c.tilt == tilt)
        if sides != sorted(_SIDES):
            raise DataError(path.name, f"{tilt} needs exactly one 'front' and one 'back' group, found {sides or 'none'}")
    return tuple(out)


def load_clinical_tests(path: Path | str | None = None) -> tuple[ClinicalTest, ...]:
    """Read and validate ``clinical_tests.csv`` (unique ids, known target muscles)."""
    path = Path(path) if path else data_path("clinical_tests.csv")
    cols = ("id", "name", "kind", "targets", "position", "procedure", "positive", "meaning", "limits", "source")
    known = set(muscle_names())
    out: list[ClinicalTest] = []
    for row in read_rows(path, cols):
        tid = row.text("id")
        if any(t.id == tid for t in out):
            raise row.error("id", f"duplicate test id {tid!r}")
        targets = _muscles(row, "targets", known)
        if not targets:
            raise row.error("targets", "is empty; name the muscles the test examines")
        out.append(ClinicalTest(
            id=tid, name=row.text("name"), kind=TestKind(row.enum("kind", TestKind)), targets=targets,
            position=row.text("position"), procedure=row.text("procedure"), positive=row.text("positive"),
            meaning=row.text("meaning"), limits=row.text("limits"), source=row.text("source"),
        ))
    return tuple(out)


def load_palpation(path: Path | str | None = None) -> tuple[Palpation, ...]:
    """Read and validate ``palpation.csv`` (a named landmark must be in ``landmarks.csv``)."""
    from coursekit.anatomy import landmarks

    path = Path(path) if path else data_path("palpation.csv")
    cols = ("structure", "kind", "landmark", "position", "find", "confirm", "try_it", "source")
    known = set(landmarks()["name"])
    out = []
    for row in read_rows(path, cols):
        mark = row.text("landmark", required=False)
        if mark and mark not in known:
            raise row.error("landmark", f"unknown landmark {mark!r}; use a name from landmarks.csv or leave it empty")
        out.append(Palpation(
            structure=row.text("structure"), kind=_choice(row, "kind", ("bone", "tendon", "muscle")), landmark=mark,
            position=row.text("position"), find=row.text("find"), confirm=row.text("confirm"),
            try_it=row.text("try_it"), source=row.text("source"),
        ))
    return tuple(out)


@functools.cache
def ligaments() -> tuple[Ligament, ...]:
    """The hip capsule and ligaments, in data-file order."""
    return load_ligaments()


def ligament(name: str) -> Ligament:
    """One ligament by name or alias (case-insensitive)."""
    key = name.strip().lower()
    for lig in ligaments():
        if key in {lig.name.lower(), *(a.lower() for a in lig.aliases)}:
            return lig
    raise NameMatchError(f"No ligament called {name!r}; the ligaments are: {', '.join(lig.name for lig in ligaments())}.")


@functools.cache
def force_couples() -> tuple[ForceCouple, ...]:
    """The muscle groups of the two pelvic force couples."""
    return load_force_couples()


def couple(tilt: str) -> tuple[ForceCouple, ForceCouple]:
    """The (front, back) groups that together produce ``tilt`` (``anterior_tilt`` or ``posterior_tilt``)."""
    if tilt not in TILTS:
        raise NameMatchError(f"No force couple for {tilt!r}; use one of: {', '.join(TILTS)}.")
    groups = {c.side: c for c in force_couples() if c.tilt == tilt}
    return groups["front"], groups["back"]


@functools.cache
def clinical_tests() -> tuple[ClinicalTest, ...]:
    """Every clinical test, in data-file order."""
    return load_clinical_tests()


def clinical_test(test_id: str) -> ClinicalTest:
    """One clinical test by id (e.g. ``thomas-rectus``)."""
    for test in clinical_tests():
        if test.id == test_id:
            return test
    raise NameMatchError(f"No clinical test {test_id!r}; the tests are: {', '.join(t.id for t in clinical_tests())}.")


@functools.cache
def palpation() -> tuple[Palpation, ...]:
    """The palpation guide, in data-file order."""
    return load_palpation()


def tests_table(columns: tuple[str, ...] = ("name", "procedure", "positive", "meaning", "limits")) -> pd.DataFrame:
    """The clinical tests as a DataFrame indexed by id, with the chosen text columns."""
    rows = [{"id": t.id, **{c: getattr(t, c) for c in columns}} for t in clinical_tests()]
    return pd.DataFrame(rows).set_index("id")


# --------------------------------------------------------------------------- reading a Thomas test


@dataclass(frozen=True)
class ThomasReading:
    """Angles read from a side photograph of the modified Thomas test.

    ``thigh_deg``: angle of the thigh line (greater trochanter to lateral femoral
    epicondyle) against the table line, **positive above the table** (the hip has not
    reached 0°) and negative below it. It is a thigh-to-table angle, an *apparent* hip
    angle: it equals the hip angle only while the other knee holds the pelvis still.
    ``knee_deg``: knee flexion, 0° with the leg straight.
    """

    thigh_deg: float
    knee_deg: float


def _angle(v: tuple[float, float]) -> float:
    import math

    return math.degrees(math.atan2(v[1], v[0]))


def thomas_reading(
    table_head: tuple[float, float], table_end: tuple[float, float], trochanter: tuple[float, float],
    knee: tuple[float, float], ankle: tuple[float, float],
) -> ThomasReading:
    """Thigh-to-table angle and knee flexion from landmarks of a side photograph.

    The person lies with the head towards ``table_head``; the tested leg hangs over
    ``table_end``. Any unit of length works; the photograph may be tilted, since the
    thigh is measured against the table line, not the image's horizontal.

    >>> r = thomas_reading((-80, 0), (0, 0), (0, 10), (40, 10), (40, -30))
    >>> round(r.thigh_deg, 1), round(r.knee_deg, 1)
    (0.0, 90.0)
    """
    table = _angle((table_end[0] - table_head[0], table_end[1] - table_head[1]))
    thigh = _angle((knee[0] - trochanter[0], knee[1] - trochanter[1]))
    shank = _angle((ankle[0] - knee[0], ankle[1] - knee[1]))
    wrap = lambda a: (a + 180.0) % 360.0 - 180.0  # noqa: E731
    return ThomasReading(thigh_deg=wrap(thigh - table), knee_deg=wrap(thigh - shank))
