"""The course's anatomical facts: muscles, their actions, bony landmarks and poses.

Every fact lives in a CSV file under ``coursekit/data`` with a source on each row.
This module validates those files once, exposes them as pandas DataFrames and small
frozen records, and answers the questions the lessons, widgets and checks ask.

Actions in ``muscles.csv`` (``hip_actions``, ``knee_actions``) are the ones reference
texts give in the anatomical position. Secondary, fibre-specific, position-dependent
and disputed actions live in ``conditional_actions.csv`` and are kept, not dropped.

>>> muscles_with(hip=["extension", "external_rotation"])
['gluteus maximus', 'biceps femoris (long head)']
>>> [m for m in group("hamstrings") if muscle(m).crosses_hip]
['biceps femoris (long head)', 'semitendinosus', 'semimembranosus']
>>> [c.status.value for c in muscle("iliopsoas").conditional if c.action is Action.EXTERNAL_ROTATION]
['disputed']
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path

import pandas as pd

from coursekit import names
from coursekit.errors import DataError, NameMatchError

__all__ = [
    "Action",
    "ConditionalAction",
    "Joint",
    "Landmark",
    "Muscle",
    "Pose",
    "Status",
    "actions_of",
    "conditional_actions",
    "data_path",
    "disputed",
    "group",
    "groups",
    "landmarks",
    "load_muscles",
    "match_muscle",
    "match_muscle_detail",
    "muscle",
    "muscle_names",
    "muscles",
    "muscles_with",
    "name_index",
    "pose",
    "poses",
    "position_dependent",
    "read_rows",
]


class Joint(StrEnum):
    """The joints whose actions the course tracks."""

    HIP = "hip"
    KNEE = "knee"


class Action(StrEnum):
    """A movement at a joint (the vocabulary of every data file and check)."""

    FLEXION = "flexion"
    EXTENSION = "extension"
    ABDUCTION = "abduction"
    ADDUCTION = "adduction"
    EXTERNAL_ROTATION = "external_rotation"
    INTERNAL_ROTATION = "internal_rotation"

    @property
    def label(self) -> str:
        """Human wording, e.g. ``external rotation``."""
        return self.value.replace("_", " ")


#: Actions that are possible at each joint.
JOINT_ACTIONS: dict[Joint, frozenset[Action]] = {
    Joint.HIP: frozenset(Action),
    Joint.KNEE: frozenset(
        {Action.FLEXION, Action.EXTENSION, Action.EXTERNAL_ROTATION, Action.INTERNAL_ROTATION}
    ),
}


class Status(StrEnum):
    """How firmly an action belongs to a muscle."""

    PRIMARY = "primary"
    SECONDARY = "secondary"
    FIBRE_SPECIFIC = "fibre_specific"
    POSITION_DEPENDENT = "position_dependent"
    DISPUTED = "disputed"


@dataclass(frozen=True)
class ConditionalAction:
    """An action that holds only for some fibres, some positions, or some sources."""

    muscle: str
    joint: Joint
    action: Action
    status: Status
    condition: str
    note: str
    source: str


@dataclass(frozen=True)
class Muscle:
    """One muscle (or one part of a muscle) as the course teaches it."""

    name: str
    aliases: tuple[str, ...]
    groups: tuple[str, ...]
    origin: str
    insertion: str
    innervation: str
    crosses_hip: bool
    crosses_knee: bool
    hip_actions: frozenset[Action]
    knee_actions: frozenset[Action]
    summary: str
    source: str
    conditional: tuple[ConditionalAction, ...] = field(default=())

    def actions(self, joint: Joint | str = Joint.HIP, *, statuses: Iterable[Status | str] = (Status.PRIMARY,)) -> list[Action]:
        """Actions at ``joint`` with one of ``statuses`` (primary = the reference-text actions)."""
        joint = Joint(joint)
        wanted = {Status(s) for s in statuses}
        base = self.hip_actions if joint is Joint.HIP else self.knee_actions
        found = set(base) if Status.PRIMARY in wanted else set()
        found |= {c.action for c in self.conditional if c.joint is joint and c.status in wanted}
        return [a for a in Action if a in found]


@dataclass(frozen=True)
class Landmark:
    """A bony landmark used to describe the pelvis and hip."""

    name: str
    abbreviation: str
    bone: str
    description: str
    attachments: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Pose:
    """A yoga pose with its approximate hip angle (flexion positive, extension negative)."""

    name: str
    english_name: str
    kind: str
    hip_angle_deg: float
    hip_angle_low: float
    hip_angle_high: float
    knee_flexion_deg: float
    estimated: bool
    evidence: str
    hip_position: str
    note: str
    source: str


# --------------------------------------------------------------------------- parsing


def data_path(filename: str) -> Path:
    """Path of a packaged data file, e.g. ``data_path("muscles.csv")``."""
    return Path(str(resources.files("coursekit").joinpath("data", filename)))


class Row:
    """One CSV row with typed accessors that raise :class:`DataError` naming the cell."""

    def __init__(self, path: Path, line: int, values: dict[str, str]) -> None:
        self.path, self.line, self.values = path, line, values

    def error(self, column: str, problem: str) -> DataError:
        return DataError(self.path.name, problem, row=self.line, column=column)

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.values.get(column) or "").strip()
        if required and not value:
            raise self.error(column, "is empty; every row needs a value here")
        return value

    def items(self, column: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in self.text(column, required=False).split(";") if v.strip())

    def flag(self, column: str) -> bool:
        value = self.text(column).lower()
        if value not in {"yes", "no"}:
            raise self.error(column, f"must be 'yes' or 'no', not {value!r}")
        return value == "yes"

    def number(self, column: str) -> float:
        value = self.text(column)
        try:
            return float(value)
        except ValueError:
            raise self.error(column, f"must be a number, not {value!r}") from None

    def enum(self, column: str, kind: type[StrEnum]) -> StrEnum:
        value = self.text(column)
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(m.value for m in kind)  # type: ignore[attr-defined]
            raise self.error(column, f"unknown value {value!r}; use one of: {choices}") from None

    def actions(self, column: str, joint: Joint) -> frozenset[Action]:
        found = set()
        for item in self.items(column):
            try:
                action = Action(item)
            except ValueError:
                choices = ", ".join(a.value for a in Action if a in JOINT_ACTIONS[joint])
                raise self.error(column, f"unknown action {item!r}; use one of: {choices}") from None
            if action not in JOINT_ACTIONS[joint]:
                raise self.error(column, f"{action.value!r} is not an action of the {joint.value}")
            found.add(action)
        return frozenset(found)


def read_rows(path: Path, columns: Iterable[str]) -> list[Row]:
    """Read ``path`` and check its header; rows are numbered by file line (header = 1)."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise DataError(path.name, f"missing column(s) {', '.join(missing)}; the header has {', '.join(header)}", row=1)
            rows = []
            for values in reader:
                if None in values:
                    raise DataError(path.name, "has more fields than the header; quote a value that holds commas", row=reader.line_num)
                rows.append(Row(path, reader.line_num, values))
            return rows
    except FileNotFoundError:
        raise DataError(str(path), "file not found") from None
    except UnicodeDecodeError as err:
        raise DataError(path.name, f"is not UTF-8 text ({err.reason})") from None


_MUSCLE_COLUMNS = (
    "name", "aliases", "groups", "origin", "insertion", "innervation", "crosses_hip",
    "crosses_knee", "hip_actions", "knee_actions", "summary", "source",
)
_CONDITIONAL_COLUMNS = ("muscle", "joint", "action", "status", "condition", "note", "source")


def _conditional(path: Path, known: set[str]) -> dict[str, list[ConditionalAction]]:
    found: dict[str, list[ConditionalAction]] = {}
    for row in read_rows(path, _CONDITIONAL_COLUMNS):
        name = row.text("muscle")
        if name not in known:
            raise row.error("muscle", f"unknown muscle {name!r}; it must be a name in muscles.csv")
        joint = Joint(row.enum("joint", Joint))
        action = Action(row.enum("action", Action))
        if action not in JOINT_ACTIONS[joint]:
            raise row.error("action", f"{action.value!r} is not an action of the {joint.value}")
        found.setdefault(name, []).append(
            ConditionalAction(
                muscle=name, joint=joint, action=action, status=Status(row.enum("status", Status)),
                condition=row.text("condition", required=False), note=row.text("note"),
                source=row.text("source"),
            )
        )
    return found


def load_muscles(path: Path | str | None = None, conditional_path: Path | str | None = None) -> tuple[Muscle, ...]:
    """Read and validate the muscle files; a malformed row raises :class:`DataError`."""
    path = Path(path) if path else data_path("muscles.csv")
    rows = read_rows(path, _MUSCLE_COLUMNS)
    names: list[str] = []
    for row in rows:
        name = row.text("name")
        if name in names:
            raise row.error("name", f"duplicate muscle {name!r}")
        names.append(name)
    cond = _conditional(Path(conditional_path) if conditional_path else data_path("conditional_actions.csv"), set(names))
    records = []
    for row, name in zip(rows, names):
        crosses_hip, crosses_knee = row.flag("crosses_hip"), row.flag("crosses_knee")
        hip, knee = row.actions("hip_actions", Joint.HIP), row.actions("knee_actions", Joint.KNEE)
        if hip and not crosses_hip:
            raise row.error("hip_actions", f"{name} does not cross the hip, so it can have no hip action")
        if knee and not crosses_knee:
            raise row.error("knee_actions", f"{name} does not cross the knee, so it can have no knee action")
        if not row.items("groups"):
            raise row.error("groups", "is empty; name at least one group")
        records.append(
            Muscle(
                name=name, aliases=row.items("aliases"), groups=row.items("groups"),
                origin=row.text("origin"), insertion=row.text("insertion"),
                innervation=row.text("innervation"), crosses_hip=crosses_hip,
                crosses_knee=crosses_knee, hip_actions=hip, knee_actions=knee,
                summary=row.text("summary"), source=row.text("source"),
                conditional=tuple(cond.get(name, ())),
            )
        )
    return tuple(records)


@functools.cache
def _muscles() -> tuple[Muscle, ...]:
    return load_muscles()


@functools.cache
def _by_name() -> dict[str, Muscle]:
    return {m.name: m for m in _muscles()}


# --------------------------------------------------------------------------- queries


def muscle_names() -> list[str]:
    """Canonical muscle names, in data-file order."""
    return [m.name for m in _muscles()]


def muscle(name: str) -> Muscle:
    """The record of one muscle; accepts canonical names and what :mod:`coursekit.names` understands."""
    found = _by_name().get(name) or _by_name().get(name.strip().lower())
    if found:
        return found
    detail = match_muscle_detail(name)
    if detail.canonical:
        return _by_name()[detail.canonical]
    hint = f" Did you mean {detail.suggestion!r}?" if detail.suggestion else ""
    raise NameMatchError(f"No muscle called {name!r} in the course data.{hint} See coursekit.anatomy.muscle_names().")


@functools.cache
def name_index() -> names.MuscleIndex:
    """The course's muscles as name-matching data (names, aliases, groups) for :mod:`coursekit.names`."""
    records = _muscles()
    groups: dict[str, list[str]] = {}
    for m in records:
        for g in m.groups:
            groups.setdefault(g, []).append(m.name)
    return names.build_index(((m.name, m.aliases) for m in records), groups)


def match_muscle_detail(text: str) -> names.NameMatch:
    """:func:`coursekit.names.match_muscle_detail` against the course's muscles.

    >>> d = match_muscle_detail("glute medius")
    >>> (d.canonical, d.how)
    ('gluteus medius', 'fuzzy')
    """
    return names.match_muscle_detail(text, name_index())


def match_muscle(text: str) -> str | None:
    """The course name for what a student typed, or None.

    >>> match_muscle("Semitendinosis"), match_muscle("TFL"), match_muscle("biceps brachii")
    ('semitendinosus', 'tensor fasciae latae', None)
    """
    return names.match_muscle(text, name_index())


def muscles() -> pd.DataFrame:
    """All muscles as a DataFrame, one row each, with one boolean column per joint action.

    Columns: ``name, groups, origin, insertion, innervation, crosses_hip, crosses_knee,
    hip_actions, knee_actions`` (semicolon-joined text), ``hip_<action>`` and
    ``knee_<action>`` booleans (primary actions only), ``summary, source``.
    """
    rows = []
    for m in _muscles():
        row: dict[str, object] = {
            "name": m.name, "groups": ";".join(m.groups), "origin": m.origin,
            "insertion": m.insertion, "innervation": m.innervation,
            "crosses_hip": m.crosses_hip, "crosses_knee": m.crosses_knee,
            "hip_actions": ";".join(a.value for a in Action if a in m.hip_actions),
            "knee_actions": ";".join(a.value for a in Action if a in m.knee_actions),
        }
        for joint in Joint:
            for action in sorted(JOINT_ACTIONS[joint], key=list(Action).index):
                row[f"{joint.value}_{action.value}"] = action in m.actions(joint)
        row["summary"], row["source"] = m.summary, m.source
        rows.append(row)
    return pd.DataFrame(rows)


def _actions(values: Iterable[Action | str], joint: Joint) -> list[Action]:
    out = []
    for value in values:
        try:
            action = Action(value)
        except ValueError:
            matched = names.match_action(str(value))
            if matched is None:
                choices = ", ".join(a.value for a in Action if a in JOINT_ACTIONS[joint])
                raise NameMatchError(f"Unknown {joint.value} action {value!r}; use one of: {choices}.") from None
            action = Action(matched)
        out.append(action)
    return out


def muscles_with(
    hip: Iterable[Action | str] = (),
    knee: Iterable[Action | str] = (),
    *,
    statuses: Iterable[Status | str] = (Status.PRIMARY,),
) -> list[str]:
    """Muscles that perform *all* the given actions (by default their primary actions).

    >>> muscles_with(knee=["flexion"], hip=["extension"])
    ['biceps femoris (long head)', 'semitendinosus', 'semimembranosus']
    """
    wanted = {Joint.HIP: _actions(hip, Joint.HIP), Joint.KNEE: _actions(knee, Joint.KNEE)}
    statuses = tuple(statuses)
    return [
        m.name for m in _muscles()
        if all(set(acts) <= set(m.actions(j, statuses=statuses)) for j, acts in wanted.items())
    ]


def actions_of(name: str, joint: Joint | str = Joint.HIP, *, statuses: Iterable[Status | str] = (Status.PRIMARY,)) -> list[Action]:
    """Actions of one muscle at one joint.

    >>> [a.value for a in actions_of("glute max")]
    ['extension', 'external_rotation']
    """
    return muscle(name).actions(joint, statuses=statuses)


def groups() -> list[str]:
    """Every group name used in the data, sorted."""
    return sorted({g for m in _muscles() for g in m.groups})


def group(name: str) -> list[str]:
    """Members of a group (``hamstrings``, ``hip extensors``, ``deep external rotators``...).

    >>> group("medial hamstrings")
    ['semitendinosus', 'semimembranosus']
    """
    key = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
    aliases = {"deep six": "deep external rotators", "deep rotators": "deep external rotators",
               "glutes": "gluteals", "quads": "quadriceps"}
    key = aliases.get(key, key)
    members = [m.name for m in _muscles() if key in m.groups]
    if not members:
        raise NameMatchError(f"No muscle group called {name!r}; the groups are: {', '.join(groups())}.")
    return members


def conditional_actions(name: str | None = None, status: Status | str | None = None) -> pd.DataFrame:
    """Secondary, fibre-specific, position-dependent and disputed actions as a DataFrame."""
    rows = [
        {"muscle": c.muscle, "joint": c.joint.value, "action": c.action.value, "status": c.status.value,
         "condition": c.condition, "note": c.note, "source": c.source}
        for m in _muscles() if name is None or m.name == muscle(name).name
        for c in m.conditional if status is None or c.status is Status(status)
    ]
    return pd.DataFrame(rows, columns=list(_CONDITIONAL_COLUMNS))


def position_dependent() -> pd.DataFrame:
    """Actions that appear or reverse with joint position (e.g. piriformis in deep flexion)."""
    return conditional_actions(status=Status.POSITION_DEPENDENT)


def disputed() -> pd.DataFrame:
    """Actions on which sources disagree (e.g. iliopsoas rotation)."""
    return conditional_actions(status=Status.DISPUTED)


# --------------------------------------------------------------------------- landmarks, poses


_NON_MUSCLE_ATTACHMENTS = frozenset({"inguinal ligament"})


@functools.cache
def _landmarks() -> tuple[Landmark, ...]:
    path = data_path("landmarks.csv")
    cols = ("name", "abbreviation", "bone", "description", "attachments", "source")
    known = set(muscle_names())
    out = []
    for row in read_rows(path, cols):
        attachments = row.items("attachments")
        for item in attachments:
            if item not in known and item not in _NON_MUSCLE_ATTACHMENTS:
                raise row.error("attachments", f"unknown muscle {item!r}; use names from muscles.csv")
        out.append(Landmark(row.text("name"), row.text("abbreviation", required=False), row.text("bone"),
                            row.text("description"), attachments, row.text("source")))
    return tuple(out)


def landmarks() -> pd.DataFrame:
    """Bony landmarks of the pelvis and hip, with what attaches to each."""
    return pd.DataFrame(
        [{**vars(lm), "attachments": ";".join(lm.attachments)} for lm in _landmarks()]
    )


_POSE_COLUMNS = ("name", "english_name", "kind", "hip_angle_deg", "hip_angle_low", "hip_angle_high",
                 "knee_flexion_deg", "estimated", "evidence", "hip_position", "note", "source")


def load_poses(path: Path | str | None = None) -> tuple[Pose, ...]:
    """Read and validate the pose file (angles in degrees; hip flexion positive)."""
    path = Path(path) if path else data_path("poses.csv")
    out = []
    for row in read_rows(path, _POSE_COLUMNS):
        low, mid, high = row.number("hip_angle_low"), row.number("hip_angle_deg"), row.number("hip_angle_high")
        if not low <= mid <= high:
            raise row.error("hip_angle_deg", f"must lie between hip_angle_low ({low}) and hip_angle_high ({high})")
        knee = row.number("knee_flexion_deg")
        if not 0 <= knee <= 160:
            raise row.error("knee_flexion_deg", f"{knee} is outside 0-160 degrees")
        out.append(Pose(row.text("name"), row.text("english_name"), row.text("kind"), mid, low, high, knee,
                        row.flag("estimated"), row.text("evidence"), row.text("hip_position"),
                        row.text("note"), row.text("source")))
    return tuple(out)


@functools.cache
def _poses() -> tuple[Pose, ...]:
    return load_poses()


def poses() -> pd.DataFrame:
    """The poses of the course with approximate hip and knee angles (degrees)."""
    return pd.DataFrame([vars(p) for p in _poses()])


def pose(name: str) -> Pose:
    """One pose by Sanskrit or English name (case-insensitive)."""
    key = name.strip().lower()
    for p in _poses():
        if key in {p.name.lower(), p.english_name.lower()}:
            return p
    choices = ", ".join(p.name for p in _poses())
    raise NameMatchError(f"No pose called {name!r}; the poses are: {choices}.")
