"""The audit passes on the real wheel, release and site, and catches a key planted in each."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from coursekit import audit
from coursekit.cli import main
from coursekit.errors import AuditError

from .conftest import COURSE

TILT = "ps1.tilt-lunge"  # expected 18.68


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for a built site: two pages with the public prompt of a graded question."""
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<html><body><h1>Hip extension</h1><p>Pelvic tilt in a lunge: compute it in "
                                     "ps1.</p></body></html>", encoding="utf-8")
    (site / "searchindex.js").write_text('Search.setIndex({"docnames": ["index"]})', encoding="utf-8")
    return site


def test_the_real_wheel_and_release_hold_no_key(wheel, trial_release, small_site):
    report = audit.audit(COURSE, wheel=wheel, release=trial_release, site=small_site)
    assert report.findings == [], report.text()
    assert report.questions == 26 + 19  # ps1-ps3 and ps4
    assert report.scanned["wheel"] > 80 and report.scanned["release"] >= 4 and report.scanned["site"] == 2


@pytest.mark.book
def test_the_real_site_holds_no_key(built_book, wheel, trial_release):
    report = audit.audit(COURSE, wheel=wheel, release=trial_release, site=built_book)
    assert report.findings == [], report.text()
    assert report.scanned["site"] > 20


def _plant_in_wheel(wheel: Path, tmp_path: Path) -> Path:
    planted = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(planted, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("coursekit/data/bank/ps1.yaml", (COURSE / "bank" / "ps1.yaml").read_text(encoding="utf-8"))
    return planted


def test_a_key_file_planted_in_the_wheel_is_named_with_its_questions(wheel, trial_release, small_site, tmp_path):
    report = audit.audit(COURSE, wheel=_plant_in_wheel(wheel, tmp_path), release=trial_release, site=small_site)
    files = {f.file for f in report.findings}
    assert files == {"coursekit/data/bank/ps1.yaml"}
    found = {(f.question, f.what) for f in report.findings}
    assert (TILT, "key entry (expected, tolerance, wrong_sign_credit)") in found
    assert (TILT, "expected value 18.68") in found
    assert ("ps1.landmark-front-crest", "key entry (options with correct/feedback)") in found
    assert all(f.artifact == f"wheel {wheel.name}" for f in report.findings)
    assert f"wheel {wheel.name}: coursekit/data/bank/ps1.yaml: question '{TILT}'" in report.text()


def test_a_hidden_check_and_a_misconception_planted_in_the_release_are_found(wheel, trial_release, small_site, tmp_path):
    release = tmp_path / "release"
    shutil.copytree(trial_release, release)
    path = release / "ps2" / "ps2.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "### BEGIN HIDDEN TESTS\ngrade(\"ps2.extend-and-rotate-out\", extend_and_rotate_out, 3)\n### END HIDDEN TESTS"))
    nb.cells.append(nbformat.v4.new_markdown_cell(
        "Hint: Semitendinosus extends the hip but is a (secondary) internal rotator."))
    nbformat.write(nb, path)
    report = audit.audit(COURSE, wheel=wheel, release=release, site=small_site)
    found = {(f.file, f.question, f.what) for f in report.findings}
    assert found == {
        ("ps2/ps2.ipynb", "-", "hidden tests region (BEGIN HIDDEN TESTS)"),
        ("ps2/ps2.ipynb", "ps2.extend-and-rotate-out", "hidden check (grade call)"),
        ("ps2/ps2.ipynb", "ps2.extend-and-rotate-out", "misconception feedback"),
    }


def test_a_number_key_and_a_correct_option_planted_in_the_site_are_found(wheel, trial_release, small_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(small_site, site)
    (site / "answers.html").write_text(
        "<p>The lunge tilts the pelvis by <b>18.68</b>&deg; here.</p>", encoding="utf-8")
    (site / "_static").mkdir()
    (site / "_static" / "bank.json").write_text(json.dumps(
        [{"id": "ps3.gmax-alone-effect", "options": [{"key": "b", "text": "x", "correct": True}]}]), encoding="utf-8")
    report = audit.audit(COURSE, wheel=wheel, release=trial_release, site=site)
    found = {(f.artifact, f.file, f.question, f.what) for f in report.findings}
    assert found == {("site", "answers.html", TILT, "expected value 18.68"),
                     ("site", "_static/bank.json", "ps3.gmax-alone-effect", "key entry (options with correct/feedback)")}
    with pytest.raises(AuditError, match=r"site: answers.html: question 'ps1.tilt-lunge': expected value 18.68"):
        audit.check(COURSE, wheel=wheel, release=trial_release, site=site)


def test_a_number_that_only_looks_like_a_key_is_not_a_finding(wheel, trial_release, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.html").write_text("<p>118.68 and 18.685 and 18.6 are other numbers.</p>", encoding="utf-8")
    assert audit.audit(COURSE, wheel=wheel, release=trial_release, site=site).findings == []


def test_the_audit_command_exits_nonzero_naming_file_and_question(wheel, trial_release, small_site, tmp_path):
    planted = _plant_in_wheel(wheel, tmp_path)
    result = CliRunner().invoke(main, ["audit", "--course", str(COURSE), "--wheel", str(planted),
                                       "--release", str(trial_release), "--site", str(small_site)])
    assert result.exit_code == 1
    assert f"KEY FOUND: wheel {planted.name}: coursekit/data/bank/ps1.yaml: question '{TILT}'" in result.output
    clean = CliRunner().invoke(main, ["audit", "--course", str(COURSE), "--wheel", str(wheel),
                                      "--release", str(trial_release), "--site", str(small_site)])
    assert clean.exit_code == 0 and "no key of a graded question found" in clean.output


def test_release_runs_the_audit_before_writing_release(tmp_path, monkeypatch):
    from coursekit import assignments

    course = tmp_path / "assignments"
    shutil.copytree(COURSE, course, ignore=shutil.ignore_patterns("release", "gradebook.db", "submitted",
                                                                    "autograded", "feedback", "exchange"))
    calls = []

    def fake_check(root, **kwargs):
        calls.append((Path(root), kwargs))
        raise AuditError([audit.Finding("site", "answers.html", TILT, "expected value 18.68")])

    monkeypatch.setattr(audit, "check", fake_check)
    with pytest.raises(AuditError, match="site: answers.html: question 'ps1.tilt-lunge'"):
        assignments.release(course, ["ps1"])
    assert calls == [(course.resolve(), {"assignments": ["ps1"]})]
    assert not (course / "release").exists()
