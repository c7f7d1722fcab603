"""Moodle's "Download all submissions" zip into nbgrader's ``submitted/`` folder.

Moodle names each submission (``mod/assign/classes/downloader.php`` in moodle/moodle,
``get_student_prefix`` and ``load_submissionplugin_filelist``; the "Download submissions
in folders" preference, on by default since Moodle 3.1, is described under Assignment
settings: https://docs.moodle.org/en/Assignment_settings) from a prefix
``<Full name>_<participant id>`` (underscores in the name become spaces; with blind
marking the name is ``Participant``; for team submissions it is the group name and id):

- in folders:  ``<prefix>_assignsubmission_file/<path in the submission>/<original name>``
- flat:        ``<prefix>_assignsubmission_file_<original name>``

Online text comes as ``<prefix>_assignsubmission_onlinetext...``. The participant id is
the number in the worksheet's ``Identifier`` (``Participant 12345``) and becomes the
nbgrader student id. Only the latest attempt is in the zip. File times in the zip are the
upload times; the extended-timestamp field (UTC) is used when present, else the DOS time
in ``timezone`` (Moodle writes the server's local time).

>>> parse_moodle_name("Jane Doe_4711_assignsubmission_file/ps1.ipynb")
MoodleName(name='Jane Doe', participant='4711', plugin='file', path='ps1.ipynb', folders=True)
>>> parse_moodle_name("Jane Doe_4711_assignsubmission_file_ps1.ipynb").folders
False
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from coursekit.lms.moodle_worksheet import Worksheet
from coursekit.lms.placement import place, valid_student_id
from coursekit.lms.results import CollectResult, Placed, Unplaced
from coursekit.lms.safezip import DEFAULT_LIMITS, Entry, Limits, entries, open_zip, os_metadata, read_bytes

__all__ = ["MoodleName", "parse_moodle_name", "collect_moodle"]

_NAME = re.compile(r"^(?P<name>[^/_]+)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:(?P<sep>[_/])(?P<path>.+))?$")


@dataclass(frozen=True)
class MoodleName:
    name: str
    participant: str
    plugin: str
    path: str       #: the file's path inside the submission
    folders: bool   #: downloaded "in folders"


def parse_moodle_name(name: str) -> MoodleName | None:
    """The parts of a Moodle submission entry name, or None."""
    found = _NAME.match(name)
    if not found or not found.group("path"):
        return None
    return MoodleName(found.group("name"), found.group("pid"), found.group("plugin"), found.group("path"),
                      found.group("sep") == "/")


def collect_moodle(submitted_root: Path | str, assignment: str, zip_path: Path | str, *,
                   worksheet: Worksheet | None = None, expected: Collection[str] | None = None,
                   timezone: str = "UTC", limits: Limits = DEFAULT_LIMITS) -> CollectResult:
    """Place every submitted file of every participant; report everything else.

    Files go to ``<submitted_root>/<participant id>/<assignment>/<path>`` with the upload
    time in ``timestamp.txt``. With a ``worksheet``, participants not in it are reported
    and participants without a submission are listed in the notes.
    """
    result = CollectResult("moodle", assignment)
    zone = ZoneInfo(timezone)
    known = worksheet.rows() if worksheet else None
    wanted = {e.casefold(): e for e in expected} if expected is not None else None
    chosen: dict[tuple[str, str], tuple[Placed, Entry, datetime]] = {}
    with open_zip(zip_path) as archive:
        for entry in entries(archive, limits):
            reason, parsed = (entry.problem, None) if entry.problem else _judge(entry.name, known, wanted)
            if parsed is None:
                result.unplaced.append(Unplaced(entry.name, reason))
                continue
            path = wanted[parsed.path.casefold()] if wanted else parsed.path
            when = entry.utc_mtime or entry.local_mtime.replace(tzinfo=zone).astimezone(UTC).replace(
                tzinfo=None)
            placed = Placed(parsed.participant, path, entry.name, submitted_at=when, name=parsed.name)
            key = (parsed.participant, path)
            if key in chosen and chosen[key][2] >= when:
                result.unplaced.append(Unplaced(entry.name, f"a second copy of {path} (kept the newer one)"))
                continue
            if key in chosen:
                result.unplaced.append(Unplaced(chosen[key][1].name, f"a second copy of {path} (kept the newer one)"))
            chosen[key] = (placed, entry, when)
        files = [(p, read_bytes(archive, e, limits)) for p, e, _ in chosen.values()]
    result.placed = [p for p, _ in files]
    place(Path(submitted_root), assignment, files)
    if known is not None:
        missing = sorted(set(known) - set(result.students), key=int)
        if missing:
            result.notes.append("no submission from participants " + ", ".join(missing))
    result.notes.append(f"Moodle participant ids are per assignment: students are identified by them "
                        f"({', '.join(result.students) or 'none'}); times read in {timezone}")
    return result


def _judge(name: str, known: dict[str, int] | None, wanted: dict[str, str] | None) -> tuple[str, MoodleName | None]:
    if os_metadata(name):
        return "operating-system metadata, not a submission", None
    parsed = parse_moodle_name(name)
    if parsed is None:
        return ("the name does not follow Moodle's <full name>_<participant id>_assignsubmission_file"
                "[_ or /]<file> pattern"), None
    if parsed.plugin != "file":
        return f"a Moodle {parsed.plugin} submission, not an uploaded file: grade it in Moodle", None
    if not valid_student_id(parsed.participant):
        return f"participant id {parsed.participant!r} cannot be an nbgrader student id", None
    if known is not None and parsed.participant not in known:
        return f"participant {parsed.participant} is not in the grading worksheet", None
    relative = PurePosixPath(parsed.path)
    if any(part in ("", ".", "..") for part in relative.parts) or relative.is_absolute():
        return "an unsafe path inside the submission", None
    if wanted is not None and parsed.path.casefold() not in wanted:
        return f"{parsed.path!r} is not a file of this assignment (expected {', '.join(sorted(wanted.values()))})", None
    return "", parsed


