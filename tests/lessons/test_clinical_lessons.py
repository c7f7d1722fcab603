"""The clinical chapters: their data files, loader, figures, self-checks and built pages agree."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from coursekit import anatomy, bank, clinical
from coursekit.checks import check
from coursekit.diagrams.force_couple import force_couple_figure, moment_sign, turn_of
from coursekit.diagrams.innervation import innervation_figure, nerves_of
from coursekit.diagrams.ligaments import ligament_figure, measured_ligaments
from coursekit.diagrams.style import alt_text
from coursekit.diagrams.thomas import thomas_figure
from coursekit.errors import DataError
from coursekit.sphinx import reference, selfcheck
from html_nodes import attr, one, string

BOOK = Path(__file__).resolve().parents[2] / "book"
PAGES = ("hip-limits", "force-couples", "clinical-tests", "palpation", "innervation")
SELFCHECK_RE = re.compile(r"^```\{selfcheck\}\s+(\S+)\s*$", re.M)
#: A source names a paper (DOI or PMID) or a textbook with its chapter.
SOURCED = re.compile(r"doi:10\.|PMID \d+|ch\. \d|ch\. '|, ch\.|chapter|ch\. 7", re.I)


def questions() -> list[bank.Question]:
    return [q for q in bank.questions() if q.source == "lessons-clinical.yaml"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the data files


def test_every_row_of_the_new_data_files_names_a_paper_or_a_textbook_chapter():
    rows: list[clinical.Ligament | clinical.ForceCouple | clinical.ClinicalTest | clinical.Palpation] = [
        *clinical.ligaments(), *clinical.force_couples(), *clinical.clinical_tests(), *clinical.palpation()]
    assert len(rows) == 4 + 4 + 9 + 7
    for row in rows:
        assert SOURCED.search(row.source), row


def test_the_capsule_and_all_three_ligaments_are_taut_in_extension_and_the_iliofemoral_is_largest():
    names = [lig.name for lig in clinical.ligaments()]
    assert names == ["hip joint capsule", "iliofemoral ligament", "pubofemoral ligament", "ischiofemoral ligament"]
    assert all(anatomy.Action.EXTENSION in lig.taut_in for lig in clinical.ligaments())
    assert [lig.name for lig in measured_ligaments()] == ["iliofemoral ligament", "ischiofemoral ligament",
                                                          "pubofemoral ligament"]
    assert clinical.ligament("Y ligament").position == "anterior"
    assert clinical.ligament("ischiofemoral ligament").position == "posterior"
    assert "anterior inferior iliac spine" in clinical.ligament("iliofemoral ligament").proximal.lower()
    assert "intertrochanteric line" in clinical.ligament("iliofemoral ligament").distal


def test_each_force_couple_pairs_a_front_and_a_back_group_that_turn_the_pelvis_the_same_way():
    assert turn_of("posterior_tilt") == 1 and turn_of("anterior_tilt") == -1
    front, back = clinical.couple("posterior_tilt")
    assert (front.group, front.pull, back.group, back.pull) == ("abdominals", "up", "hip extensors", "down")
    assert set(back.hip_muscles) == set(anatomy.muscles_with(hip=["extension"]))
    assert "rectus abdominis" in front.trunk_muscles
    front, back = clinical.couple("anterior_tilt")
    assert (front.group, front.pull, back.group, back.pull) == ("hip flexors", "down", "low-back extensors", "up")
    assert all(anatomy.Action.FLEXION in anatomy.muscle(m).hip_actions for m in front.hip_muscles)
    assert back.trunk_muscles == ("erector spinae",)
    assert moment_sign("front", "down") == moment_sign("back", "up") == -1


def test_the_tests_the_issue_asks_for_are_in_the_data_with_every_part_filled_in():
    tests = {t.id: t for t in clinical.clinical_tests()}
    assert {"thomas-iliopsoas", "thomas-rectus", "thomas-tfl", "ely", "ober", "aket-90-90", "slr",
            "prone-hip-extension", "gmax-strength"} == set(tests)
    for t in tests.values():
        assert all(len(getattr(t, part)) > 30 for part in ("procedure", "positive", "meaning", "limits")), t.id
    assert {t.kind for t in tests.values()} == set(clinical.TestKind)
    # the one-joint variant tests a muscle that does not cross the knee, the two-joint ones muscles that do
    assert not any(anatomy.muscle(m).crosses_knee for m in tests["thomas-iliopsoas"].targets)
    assert all(anatomy.muscle(m).crosses_knee for m in tests["thomas-rectus"].targets + tests["ely"].targets)
    assert all(anatomy.muscle(m).crosses_hip and anatomy.muscle(m).crosses_knee for m in tests["aket-90-90"].targets)


def test_the_palpation_guide_covers_the_landmarks_and_soft_tissue_of_the_issue():
    structures = [p.structure for p in clinical.palpation()]
    assert structures == ["ASIS", "iliac crest", "PSIS", "greater trochanter", "ischial tuberosity",
                          "hamstring tendons", "gluteus maximus"]
    known = set(anatomy.landmarks()["name"])
    assert all(p.landmark in known for p in clinical.palpation() if p.landmark)
    assert all(len(p.try_it) > 60 for p in clinical.palpation())


def test_a_malformed_row_is_reported_with_file_row_and_column(tmp_path):
    bad = write(tmp_path, "force_couples.csv", """
        tilt,group,side,pull,hip_muscles,trunk_muscles,where,source
        anterior_tilt,hip flexors,front,down,iliopsoaz,,x,Neumann 2010
        """)
    with pytest.raises(DataError, match=r"force_couples.csv, row 2, column 'hip_muscles': unknown muscle 'iliopsoaz'"):
        clinical.load_force_couples(bad)
    bad = write(tmp_path, "ligaments.csv", """
        name,aliases,position,proximal,distal,taut_in,cross_section_mm2,role,source
        iliofemoral ligament,,anterior,AIIS,line,hyperextension,53.5,limit,Hewitt 2002
        """)
    with pytest.raises(DataError, match=r"ligaments.csv, row 2, column 'taut_in': unknown action 'hyperextension'"):
        clinical.load_ligaments(bad)
    bad = write(tmp_path, "clinical_tests.csv", """
        id,name,kind,targets,position,procedure,positive,meaning,limits,source
        ely,Ely,length,rectus femoris,p,p,p,p,p,s
        ely,Ely again,length,rectus femoris,p,p,p,p,p,s
        """)
    with pytest.raises(DataError, match=r"row 3, column 'id': duplicate test id 'ely'"):
        clinical.load_clinical_tests(bad)
    bad = write(tmp_path, "force_couples2.csv", """
        tilt,group,side,pull,hip_muscles,trunk_muscles,where,source
        anterior_tilt,hip flexors,front,down,iliopsoas,,x,s
        """)
    with pytest.raises(DataError, match=r"force_couples2.csv: anterior_tilt needs exactly one 'front' and one 'back' group, found \['front'\]"):
        clinical.load_force_couples(bad)


def test_a_thomas_reading_measures_against_the_table_line_not_the_picture():
    import math

    points = [(-80.0, 0.0), (0.0, 0.0), (0.0, 10.0), (40.0, 10.0 + 40.0 * math.tan(math.radians(10))), (60.0, -20.0)]
    level = clinical.thomas_reading(*points)
    c, s = math.cos(math.radians(3)), math.sin(math.radians(3))
    tilted = clinical.thomas_reading(*[(x * c - y * s, x * s + y * c) for x, y in points])  # a camera turned 3°
    assert level.thigh_deg == pytest.approx(10.0, abs=1e-6)
    assert tilted.thigh_deg == pytest.approx(level.thigh_deg) and tilted.knee_deg == pytest.approx(level.knee_deg)
    shank = math.degrees(math.atan2(-20.0 - points[3][1], 60.0 - 40.0))
    assert level.knee_deg == pytest.approx(10.0 - shank)


# ------------------------------------------------------------------ figures from the data


def test_figure_alt_texts_state_what_the_data_say():
    alt = alt_text(force_couple_figure())
    for group in clinical.force_couples():
        assert f"the {group.group} ({', '.join(group.muscles)}) pull the {group.side} of the pelvis {group.pull}" in alt
    alt = alt_text(ligament_figure())
    for lig in measured_ligaments():
        assert f"{lig.name} {lig.cross_section_mm2:g} square millimetres" in alt
    assert "taut in extension" in alt
    alt = alt_text(thomas_figure([("a", 12, 60), ("b", -4, 85)]))
    assert "a: thigh 12° above the table line, knee flexed 60°" in alt and "b: thigh 4° below the table line" in alt


def test_the_nerve_chart_sorts_every_muscle_by_the_nerves_its_data_name():
    for name in anatomy.muscle_names():
        assert nerves_of(name), name
    assert nerves_of("gluteus maximus") == {"inferior gluteal nerve": "main"}
    assert nerves_of("biceps femoris (short head)") == {"sciatic nerve, common fibular division": "main"}
    assert list(nerves_of("iliopsoas")) == ["lumbar plexus (anterior rami)", "femoral nerve"]
    for muscle in ("superior gemellus", "obturator internus", "quadratus femoris", "piriformis"):
        assert "obturator nerve" not in nerves_of(muscle), muscle  # "nerve to obturator internus" is not it
    alt = alt_text(innervation_figure())
    assert "superior gluteal nerve: gluteus medius, gluteus minimus, tensor fasciae latae" in alt


# ------------------------------------------------------------------ self-checks


def test_self_checks_are_visible_with_objectives_of_the_new_chapters_and_their_keys_pass():
    qs = questions()
    assert len(qs) >= 20
    chapters: dict[str | None, str] = {oid: ch for oid, ch, _ in reference.objectives()}
    for q in qs:
        assert not q.hidden and q.kind in selfcheck.KINDS, q.id
        assert chapters[q.objective] in PAGES, q.id
        if q.kind in ("choice", "multichoice"):
            keys = [o.key for o in q.options if o.correct]
            answer = keys[0] if q.kind == "choice" else keys
        elif q.kind == "action":
            answer = ", ".join(e.replace("_", " ") for e in q.expected)
        elif q.kind == "muscles":
            answer = list(q.expected)
        else:
            answer = q.expected
        assert check(q.id, answer).score == 1.0, q.id


def test_muscle_keys_of_the_drill_are_computed_from_muscles_csv():
    table = anatomy.muscles().set_index("name")

    def where(column: str, words: str) -> set[str]:
        return set(table.index[table[column].str.contains(words, case=False)])

    assert set(bank.question("lessons.attachments.pes-anserinus").expected) == where("insertion", "pes anserinus")
    assert set(bank.question("lessons.attachments.sit-bone").expected) == where("origin", "ischial tuberosity")
    assert set(bank.question("lessons.attachments.greater-trochanter").expected) == where("insertion",
                                                                                           "greater trochanter")
    tibial = {m for m in table.index if "sciatic nerve, tibial division" in nerves_of(m)}
    assert set(bank.question("lessons.innervation.tibial").expected) == tibial
    obturator = {m for m in table.index if nerves_of(m).get("obturator nerve") == "main"}
    assert set(bank.question("lessons.innervation.obturator").expected) == obturator
    assert set(bank.question("lessons.force-couples.back-down").expected) == set(clinical.couple("posterior_tilt")[1].hip_muscles)
    common = [a for a in anatomy.Action if all(a in lig.taut_in for lig in clinical.ligaments())]
    assert bank.question("lessons.hip-limits.taut").expected == tuple(a.value for a in common)


def test_each_new_page_shows_the_self_checks_of_its_own_objectives_and_no_other():
    on_page = {p: SELFCHECK_RE.findall((BOOK / f"{p}.md").read_text(encoding="utf-8")) for p in PAGES}
    chapters: dict[str | None, str] = {oid: ch for oid, ch, _ in reference.objectives()}
    for q in questions():
        assert q.id in on_page[chapters[q.objective]], q.id
    for page, ids in on_page.items():
        assert ids and all(chapters[bank.question(i).objective] == page for i in ids), page
    for oid, chapter, _ in reference.objectives():
        if chapter in PAGES:
            assert any(bank.question(i).objective == oid for i in on_page[chapter]), oid


def test_the_new_pages_are_in_the_table_of_contents():
    toc = (BOOK.parent / "_toc.yml").read_text(encoding="utf-8")
    for page in PAGES:
        assert f"- file: book/{page}\n" in toc


# ------------------------------------------------------------------ the built pages


def _page(built_book: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((built_book / "book" / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


@pytest.mark.book
@pytest.mark.parametrize("name", PAGES)
def test_built_page_has_its_objectives_figures_with_alt_text_and_self_checks(built_book, name):
    doc = _page(built_book, name)
    box = doc.select_one("article .coursekit-objectives")
    assert re.findall(r"\(([a-z-]+\.\d+)\)", _text(box)) == [o for o, ch, _ in reference.objectives() if ch == name]
    figures = doc.select("figure.coursekit-figure")
    assert figures
    for fig in figures:
        assert len(attr(one(fig, "img"), "alt").strip()) > 60 and _text(fig.figcaption).startswith("Figure")
    wanted = SELFCHECK_RE.findall((BOOK / f"{name}.md").read_text(encoding="utf-8"))
    forms = doc.select("form.coursekit-sc-form")
    assert [f["data-question"] for f in forms] == wanted
    for form in forms:
        payload = json.loads(string(one(form, "script.coursekit-sc-data")))
        assert payload == json.loads(json.dumps(selfcheck.question_payload(bank.question(attr(form, "data-question")))))
    assert doc.select(".coursekit-try")


@pytest.mark.book
def test_built_clinical_tests_page_states_every_test_as_the_data_do(built_book):
    text = _text(_page(built_book, "clinical-tests").select_one("article"))
    for t in clinical.clinical_tests():
        for part in (t.procedure, t.positive, t.meaning, t.limits):
            assert " ".join(part.split()) in text, (t.id, part[:40])


@pytest.mark.book
def test_built_palpation_page_has_a_try_it_box_for_every_structure_from_the_data(built_book):
    boxes = [_text(b) for b in _page(built_book, "palpation").select(".coursekit-try")]
    for p in clinical.palpation():
        assert any(" ".join(p.try_it.split()) in b for b in boxes), p.structure


@pytest.mark.book
def test_built_tables_equal_the_data(built_book):
    doc = _page(built_book, "hip-limits")
    rows = {one(r, "th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
            for r in doc.select("table.dataframe")[0].select("tbody tr")}
    assert list(rows) == [lig.name for lig in clinical.ligaments()]
    for lig in clinical.ligaments():
        assert rows[lig.name] == [lig.position, lig.proximal, lig.distal, ", ".join(a.label for a in lig.taut_in)]
    doc = _page(built_book, "innervation")
    rows = {one(r, "th").get_text(strip=True): [td.get_text(strip=True) for td in r.select("td")]
            for r in doc.select("table.dataframe")[0].select("tbody tr")}
    assert list(rows) == anatomy.muscle_names()
    for name, cells in rows.items():
        assert cells[1] == anatomy.muscle(name).innervation


@pytest.mark.book
def test_references_list_the_clinical_sources(built_book):
    text = _text(_page(built_book, "references").select_one("article"))
    for author in ("Hewitt", "Martin", "Harvey", "Vigotsky", "Peeler", "Gajdosik", "Bruno", "Kilby", "Hoppenfeld",
                   "Kendall"):
        assert author in text, author


def test_the_nerve_groups_stated_on_the_innervation_page_are_those_of_the_data():
    def main(nerve: str) -> set[str]:
        return {m for m in anatomy.muscle_names() if nerves_of(m).get(nerve) == "main"}

    text = " ".join((BOOK / "innervation.md").read_text(encoding="utf-8").split())
    assert main("femoral nerve") == {"iliopsoas", "iliacus", "rectus femoris", "sartorius", "pectineus"}
    assert "iliacus, rectus femoris, sartorius and, usually, pectineus" in text
    assert main("obturator nerve") == {"adductor longus", "adductor brevis", "adductor magnus (adductor part)",
                                       "gracilis", "obturator externus"}
    assert "the adductors, gracilis and obturator externus" in text
    assert main("superior gluteal nerve") == {"gluteus medius", "gluteus minimus", "tensor fasciae latae"}
    assert main("inferior gluteal nerve") == {"gluteus maximus"}
    assert main("sciatic nerve, common fibular division") == {"biceps femoris (short head)"}
    assert main("sacral plexus branches") == set(anatomy.group("deep external rotators")) - {"obturator externus"}
    # the root levels quoted in the text are those of the data
    assert "(L2-L4)" in anatomy.muscle("iliacus").innervation and "**femoral nerve** (L2–L4)" in text
    assert "(L4, L5, S1)" in anatomy.muscle("gluteus medius").innervation and "(L4–S1)" in text
    assert "(L5, S1, S2)" in anatomy.muscle("gluteus maximus").innervation and "(L5–S2)" in text
    assert "(L2-L4)" in anatomy.muscle("adductor longus").innervation and "**obturator nerve** (L2–L4)" in text
