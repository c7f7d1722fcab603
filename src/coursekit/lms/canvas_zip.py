"""Canvas's "Download Submissions" zip into nbgrader's ``submitted/`` folder.

Canvas names every file of the zip (Canvas Instructor Guide, "How do I download all
student submissions for an assignment?"; the code is ``app/models/content_zipper.rb`` in
instructure/canvas-lms: ``get_filename``, ``sanitize_file_name``, ``add_upload_submission``) as

    <sortable name>[_late]_<user id>_<file id>_<original name>

where the sortable name is lower-cased with every non-word character removed
("Doe, Jane" -> ``doejane``), ``late`` marks a submission Canvas counts as late, and a
file a student uploaded again under the same name gets ``-1``, ``-2``... before its
extension. Text entries and URLs come as ``..._<user id>_text.html`` / ``_link.html``.

The Canvas *user id* is the student's identity: two students both named Jane Doe stay
two students. The zip holds no submission times (Canvas writes the download time), so
lateness is Canvas's own flag.

>>> name = parse_canvas_name("doejane_late_12345_67890_ps1-2.ipynb")
>>> name.sortable, name.late, name.user_id, name.file_id, name.filename, name.resubmission
('doejane', True, '12345', '67890', 'ps1.ipynb', 2)
>>> parse_canvas_name("notes.txt") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from coursekit.lms.canvas_roster import CanvasRoster, RosterStudent
from coursekit.lms.placement import place, valid_student_id
from coursekit.lms.results import CollectResult, Placed, Unplaced
from coursekit.lms.safezip import DEFAULT_LIMITS, Entry, Limits, entries, open_zip, os_metadata, read_bytes

__all__ = ["CanvasName", "parse_canvas_name", "collect_canvas"]

_NAME = re.compile(r"^(?:(?P<sortable>\w*?)_)??(?P<late>late_)?(?P<uid>\d+)_(?P<fid>\d+)_(?P<original>.+)$", re.I)
_ONLINE = re.compile(r"^(?:\w*?_)??(?:late_)?\d+_(?:text|link)\.html$", re.I)
_RESUBMITTED = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[^.]+)?$")


@dataclass(frozen=True)
class CanvasName:
    """The parts of a Canvas submission file name."""

    sortable: str
    late: bool
    user_id: str
    file_id: str
    original: str       #: the name as Canvas stored it (with its -N)
    filename: str       #: the name the student gave the file (without -N)
    resubmission: int   #: N of -N, 0 for the first upload


def parse_canvas_name(name: str) -> CanvasName | None:
    """The parts of ``name``, or None when it is not a Canvas submission file name."""
    found = _NAME.match(name)
    if not found or "/" in name:
        return None
    original = found.group("original")
    again = _RESUBMITTED.match(original)
    filename, number = (again.group("stem") + (again.group("ext") or ""), int(again.group("n"))) if again else (
        original, 0)
    return CanvasName(found.group("sortable") or "", bool(found.group("late")), found.group("uid"),
                      found.group("fid"), original, filename, number)


def collect_canvas(submitted_root: Path | str, assignment: str, zip_path: Path | str, *,
                   roster: CanvasRoster | None = None, expected: Collection[str] | None = None,
                   limits: Limits = DEFAULT_LIMITS) -> CollectResult:
    """Place the newest upload of every file of every student; report everything else.

    ``submitted_root`` is the course's ``submitted/`` folder; a student's files go to
    ``<submitted_root>/<Canvas user id>/<assignment>/``. With ``expected`` (the
    assignment's file names, e.g. ``{"ps1.ipynb"}``) other files are reported, not
    placed. With a ``roster``, students not in it (or Canvas's Test Student) are
    reported, and roster students without a submission are listed in the notes.
    """
    result = CollectResult("canvas", assignment)
    known = roster.by_id() if roster else None
    wanted = {e.casefold(): e for e in expected} if expected is not None else None
    best: dict[tuple[str, str], tuple[CanvasName, Entry]] = {}
    with open_zip(zip_path) as archive:
        for entry in entries(archive, limits):
            if entry.problem:
                result.unplaced.append(Unplaced(entry.name, entry.problem))
                continue
            reason, parsed = _judge(entry.name, known, wanted)
            if parsed is None or reason:
                result.unplaced.append(Unplaced(entry.name, reason))
                continue
            key = (parsed.user_id, wanted[parsed.filename.casefold()] if wanted else parsed.filename)
            older = best.get(key)
            if older is None or _newer(parsed, older[0]):
                if older is not None:
                    result.unplaced.append(Unplaced(older[1].name, f"an older upload of {key[1]} "
                                                    f"(kept {entry.name})"))
                best[key] = (parsed, entry)
            else:
                result.unplaced.append(Unplaced(entry.name, f"an older upload of {key[1]} (kept {older[1].name})"))
        files = []
        for (student, filename), (parsed, entry) in sorted(best.items()):
            data = read_bytes(archive, entry, limits)
            name = known[student].name if known else parsed.sortable
            placed = Placed(student, filename, entry.name, late=parsed.late, name=name)
            files.append((placed, data))
            result.placed.append(placed)
    place(Path(submitted_root), assignment, files)
    _notes(result, roster)
    return result


def _judge(name: str, known: dict[str, RosterStudent] | None,
           wanted: dict[str, str] | None) -> tuple[str, CanvasName | None]:
    if os_metadata(name):
        return "operating-system metadata, not a submission", None
    if "/" in name:
        return "inside a folder: Canvas puts every submission file at the top of the zip", None
    if _ONLINE.match(name):
        return "a Canvas text entry or URL, not an uploaded file: grade it in SpeedGrader", None
    parsed = parse_canvas_name(name)
    if parsed is None:
        return "the name does not follow Canvas's <name>[_late]_<user id>_<file id>_<file> pattern", None
    if not valid_student_id(parsed.user_id):
        return f"user id {parsed.user_id!r} cannot be an nbgrader student id", None
    if known is not None:
        student = known.get(parsed.user_id)
        if student is None:
            return f"Canvas user id {parsed.user_id} is not in the roster (dropped? export the gradebook again)", None
        if student.is_test_student:
            return "Canvas's Test Student", None
    if wanted is not None and parsed.filename.casefold() not in wanted:
        expected = ", ".join(sorted(wanted.values()))
        return f"{parsed.filename!r} is not a file of this assignment (expected {expected})", None
    return "", parsed


def _newer(a: CanvasName, b: CanvasName) -> bool:
    """Canvas numbers re-uploads -1, -2...; file ids grow with time and break ties."""
    return (a.resubmission, int(a.file_id)) > (b.resubmission, int(b.file_id))


def _notes(result: CollectResult, roster: CanvasRoster | None) -> None:
    if roster is None:
        result.notes.append("no roster: students are identified by the Canvas user id in the file names "
                            f"({', '.join(result.students) or 'none'}); pass --roster for names and sections")
        return
    missing = [s for s in roster.real_students if s.canvas_id not in set(result.students)]
    if missing:
        result.notes.append("no submission from " + ", ".join(f"{s.name} ({s.canvas_id})" for s in missing))
