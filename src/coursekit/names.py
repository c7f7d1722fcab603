"""Turn what a student types into a canonical muscle or action name.

Handles case, spacing, punctuation, hyphens, "muscle"/"m."/"musculus", simple plurals,
abbreviations ("glute max", "TFL", "BF"), Latin and British spellings and ordinary
misspellings, with :mod:`rapidfuzz` doing the fuzzy part. Siblings are never
confused: a fuzzy match is accepted only when it is clearly closer to one muscle
than to every other (gluteus medius/minimus/maximus, obturator internus/externus,
superior/inferior gemellus, ...), and muscles outside the course (biceps brachii)
are known so that they are not mistaken for course muscles.

Name matching takes the course's muscles as data, a :class:`MuscleIndex` built by
:func:`build_index` from (name, aliases) records and the muscle groups; this module
reads no data file and imports nothing of coursekit. :func:`coursekit.anatomy.name_index`
builds the index of the course data, and :func:`coursekit.anatomy.match_muscle` matches
against it.

>>> index = build_index([("semitendinosus", ["ST"]), ("gluteus maximus", ["glute max"]),
...                      ("tensor fasciae latae", ["TFL"])], {"hamstrings": ["semitendinosus"]})
>>> match_muscle("Semitendinosis", index)
'semitendinosus'
>>> match_muscle("gluteous  maximus muscle", index)
'gluteus maximus'
>>> match_muscle("TFL", index)
'tensor fasciae latae'
>>> match_muscle("biceps brachii", index) is None
True
>>> match_action("lateral rotation")
'external_rotation'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

__all__ = [
    "MuscleIndex",
    "NameMatch",
    "build_index",
    "match_action",
    "match_muscle",
    "match_muscle_detail",
    "match_tilt",
    "normalize",
]

#: Accept a fuzzy match at or above this similarity (0-100)...
ACCEPT = 86.0
#: ...and only when it beats every other muscle by at least this much.
MARGIN = 6.0
#: Below ACCEPT but at or above this, offer the best name as a suggestion.
SUGGEST = 60.0

#: Muscles a student may name that are not in the course data (never matched to a course muscle).
OUTSIDE_COURSE: dict[str, str] = {
    "biceps brachii": "an arm muscle",
    "triceps brachii": "an arm muscle",
    "psoas minor": "a small trunk muscle that is not part of iliopsoas",
    "quadratus lumborum": "a lower-back muscle",
    "quadriceps femoris": "the four-headed knee extensor (only rectus femoris crosses the hip)",
    "vastus lateralis": "a quadriceps head that crosses only the knee",
    "vastus medialis": "a quadriceps head that crosses only the knee",
    "vastus intermedius": "a quadriceps head that crosses only the knee",
    "erector spinae": "a back muscle",
    "rectus abdominis": "an abdominal muscle",
    "gastrocnemius": "a calf muscle",
    "soleus": "a calf muscle",
    "tibialis anterior": "a shin muscle",
    "latissimus dorsi": "a back and arm muscle",
}

#: Whole-muscle names that cover several records: (preferred record, all records).
_MAGNUS = ("adductor magnus (hamstring part)", ("adductor magnus (hamstring part)", "adductor magnus (adductor part)"))
WHOLE_MUSCLES: dict[str, tuple[str, tuple[str, ...]]] = {"adductor magnus": _MAGNUS, "add magnus": _MAGNUS}

#: Group words that name several muscles at once; matched to no single muscle.
GROUP_WORDS: dict[str, str] = {
    "glutes": "gluteals", "gluteals": "gluteals", "gluteal muscles": "gluteals",
    "hamstring": "hamstrings", "adductor": "adductors", "deep six": "deep external rotators",
    "deep rotators": "deep external rotators", "hip flexors": "hip flexors",
    "hip extensors": "hip extensors", "gemellus": "deep external rotators",
}

_FILLER = {"muscle", "muscles", "m", "mm", "musculus", "musculi", "the", "of", "a"}
_SPELLINGS = {"glutaeus": "gluteus", "glutei": "gluteus", "fascia": "fasciae", "lata": "latae",
              "gemelli": "gemellus", "hamstrings": "hamstring", "adductors": "adductor"}


def normalize(text: str) -> str:
    """Lower-case, strip accents, punctuation and filler words, fold known spellings.

    >>> normalize("  M. Gluteus-Maximus (muscle) ")
    'gluteus maximus'
    >>> normalize("Tensor Fascia Lata")
    'tensor fasciae latae'
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9']+", " ", text.lower()).replace("'", "")
    words = [_SPELLINGS.get(w, w) for w in text.split() if w not in _FILLER]
    return " ".join(words)


@dataclass(frozen=True)
class NameMatch:
    """The result of matching one typed name.

    ``canonical`` is the course name (or None); ``confidence`` is 0-100; ``how`` says
    why (``exact``, ``alias``, ``fuzzy``, ``ambiguous``, ``outside course``, ``no match``);
    ``suggestion`` is offered for near misses; ``candidates`` lists every record a
    whole-muscle or shared name covers (e.g. both parts of adductor magnus).
    """

    text: str
    canonical: str | None
    confidence: float
    how: str
    suggestion: str | None = None
    candidates: tuple[str, ...] = field(default=())
    note: str = ""

    @property
    def matched(self) -> bool:
        return self.canonical is not None


@dataclass(frozen=True, eq=False)
class MuscleIndex:
    """What name matching knows of the course: normalized key -> canonical names, and groups.

    ``keys`` maps a normalized name or alias to the course names it may mean (several for
    a shared alias; ``@word`` for a group word, ``!name`` for a muscle outside the
    course); ``groups`` maps a group to its members.
    """

    keys: Mapping[str, frozenset[str]]
    groups: Mapping[str, tuple[str, ...]]

    def __hash__(self) -> int:
        return id(self)


def build_index(muscles: Iterable[tuple[str, Iterable[str]]], groups: Mapping[str, Sequence[str]]) -> MuscleIndex:
    """The index of ``muscles`` ((name, aliases) pairs) and their ``groups`` (group -> members)."""
    index: dict[str, set[str]] = {}

    def add(key: str, name: str) -> None:
        key = normalize(key)
        if key:
            index.setdefault(key, set()).add(name)

    for name, aliases in muscles:
        add(name, name)
        base, _, part = name.partition(" (")
        if part:
            part = part.rstrip(")")
            add(f"{base} {part}", name)
            add(f"{part} of {base}", name)
        for alias in aliases:
            add(alias, name)
    for whole, (_, parts) in WHOLE_MUSCLES.items():
        index[normalize(whole)] = set(parts)
    for word in GROUP_WORDS:
        index[normalize(word)] = {f"@{word}"}
    for outside in OUTSIDE_COURSE:
        index.setdefault(normalize(outside), set()).add(f"!{outside}")
    return MuscleIndex({k: frozenset(v) for k, v in index.items()}, {g: tuple(m) for g, m in groups.items()})


def _similarity(a: str, b: str) -> float:
    compact = fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))
    return max(compact, fuzz.token_sort_ratio(a, b))


def _resolve(text: str, key: str, names: frozenset[str], score: float, how: str, index: MuscleIndex) -> NameMatch:
    if any(n.startswith("!") for n in names):
        outside = next(n for n in names if n.startswith("!"))[1:]
        return NameMatch(text, None, score, "outside course", note=f"{outside} is {OUTSIDE_COURSE[outside]}, not part of this course")
    if any(n.startswith("@") for n in names):
        group = GROUP_WORDS[next(iter(names))[1:]]
        members = tuple(index.groups.get(group, ()))
        return NameMatch(text, None, score, "group", candidates=members,
                         note=f"{text!r} names a group ({group}: {', '.join(members)}); name the muscles one by one")
    ordered = tuple(sorted(names))
    if len(names) == 1:
        return NameMatch(text, ordered[0], score, how, candidates=ordered)
    if key in WHOLE_MUSCLES:
        preferred, parts = WHOLE_MUSCLES[key]
        return NameMatch(text, preferred, score, "whole muscle", candidates=parts,
                         note=f"{key} has parts: {', '.join(parts)}")
    return NameMatch(text, None, score, "ambiguous", suggestion=" or ".join(ordered), candidates=ordered,
                     note=f"{text!r} could mean {' or '.join(ordered)}; name one")


@functools.lru_cache(maxsize=4096)
def match_muscle_detail(text: str, index: MuscleIndex) -> NameMatch:
    """Match ``text`` to a course muscle, with confidence and a suggestion for near misses.

    >>> index = build_index([("gluteus medius", []), ("gluteus minimus", []), ("gluteus maximus", [])], {})
    >>> d = match_muscle_detail("glute medius", index)
    >>> (d.canonical, d.how)
    ('gluteus medius', 'fuzzy')
    >>> match_muscle_detail("gluteus m", index).canonical is None
    True
    """
    if not isinstance(text, str):
        return NameMatch(repr(text), None, 0.0, "no match", note="not text")
    key = normalize(text)
    if not key:
        return NameMatch(text, None, 0.0, "no match")
    keys = index.keys
    if key in keys:
        names = keys[key]
        how = "exact" if key == normalize(next(iter(names)).lstrip("!@")) else "alias"
        return _resolve(text, key, names, 100.0, how, index)
    if len(key.replace(" ", "")) < 4:
        return NameMatch(text, None, 0.0, "no match", note="too short to guess; write the muscle's name")
    scored: dict[frozenset[str], tuple[float, str]] = {}
    for candidate, names in keys.items():
        score = _similarity(key, candidate)
        if score > scored.get(names, (-1.0, ""))[0]:
            scored[names] = (score, candidate)
    ranked = sorted(scored.items(), key=lambda item: -item[1][0])
    (best_names, (best, best_key)) = ranked[0]
    runner_up = next((s for names, (s, _) in ranked[1:] if not names & best_names), 0.0)
    if best >= ACCEPT and best - runner_up >= MARGIN:
        return _resolve(text, best_key, best_names, best, "fuzzy", index)
    if best >= SUGGEST:
        suggestion = " or ".join(sorted(n.lstrip("!@") for n in best_names))
        return NameMatch(text, None, best, "no match", suggestion=suggestion)
    return NameMatch(text, None, best, "no match")


def match_muscle(text: str, index: MuscleIndex) -> str | None:
    """The canonical course name for ``text``, or None when it is unknown or ambiguous."""
    return match_muscle_detail(text, index).canonical


# --------------------------------------------------------------------------- actions

_ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "flexion": ("flexion", "flex", "flexes", "flexing", "flexor", "hip flexion", "bend", "bending"),
    "extension": ("extension", "extend", "extends", "extending", "extensor", "hyperextension",
                  "hyperextend", "hip extension", "straighten"),
    "abduction": ("abduction", "abduct", "abducts", "abducting", "abductor"),
    "adduction": ("adduction", "adduct", "adducts", "adducting", "adductor"),
    "external_rotation": ("external rotation", "lateral rotation", "outward rotation", "rotate out",
                          "rotates out", "turn out", "turns out", "turning out", "externally rotate",
                          "externally rotates", "laterally rotate", "laterally rotates", "er",
                          "external rotator", "lateral rotator", "external", "lateral", "out"),
    "internal_rotation": ("internal rotation", "medial rotation", "inward rotation", "rotate in",
                          "rotates in", "turn in", "turns in", "turning in", "internally rotate",
                          "internally rotates", "medially rotate", "medially rotates", "ir",
                          "internal rotator", "medial rotator", "internal", "medial", "in"),
}
_TILT_WORDS: dict[str, tuple[str, ...]] = {
    "anterior_tilt": ("anterior tilt", "anterior pelvic tilt", "forward tilt", "tilt forward",
                      "tips forward", "tip forward", "anteversion", "apt", "anterior"),
    "posterior_tilt": ("posterior tilt", "posterior pelvic tilt", "backward tilt", "tilt back",
                       "tilt backward", "tips back", "tuck", "tuck the tailbone", "retroversion",
                       "ppt", "posterior"),
    "neutral": ("neutral", "neutral pelvis", "no tilt", "level"),
}


def _phrase_match(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    key = " ".join(re.sub(r"[^a-z]+", " ", str(text).lower().replace("_", " ")).split())
    lookup = {normalize_phrase(w): name for name, words in table.items() for w in words}
    if key in lookup:
        return lookup[key]
    if len(key) < 6:
        return None
    ranked = sorted(((fuzz.ratio(key, w), name) for w, name in lookup.items()), reverse=True)
    best, name = ranked[0]
    runner_up = next((s for s, other in ranked if other != name), 0.0)
    return name if best >= 88 and best - runner_up >= 8 else None


def normalize_phrase(text: str) -> str:
    """Lower-case words separated by single spaces (for action phrases)."""
    return " ".join(re.sub(r"[^a-z]+", " ", text.lower()).split())


def match_action(text: str) -> str | None:
    """The :class:`coursekit.anatomy.Action` value that ``text`` names, or None.

    >>> [match_action(t) for t in ["Hyperextension", "medial rotation", "abduct", "aduction"]]
    ['extension', 'internal_rotation', 'abduction', None]
    """
    return _phrase_match(text, _ACTION_WORDS)


def match_tilt(text: str) -> str | None:
    """``anterior_tilt``, ``posterior_tilt`` or ``neutral`` for a pelvic-tilt phrase, or None.

    >>> match_tilt("tilts forward"), match_tilt("Posterior pelvic tilt")
    ('anterior_tilt', 'posterior_tilt')
    """
    return _phrase_match(text, _TILT_WORDS)
