"""Builders for LMS test files: zips (including hostile entries), Canvas exports, Moodle worksheets."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

CANVAS_ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Notes,ps1 (5551),ps2 (5552),Current Score,Final Score\r\n"
    "    Points Possible,,,,,,13,14,(read only),(read only)\r\n"
    '"Doe, Jane",1001,S-1001,jdoe1,Lab A,,,,,\r\n'
    '"Doe, Jane",1002,S-1002,jdoe2,Lab B,,,,,\r\n'
    '"Lee, Ann",1003,S-1003,alee,Lab A,,,,,\r\n'
    '"=cmd|calc, Evil",1004,@S-1004,+evil,-Lab C,,,,,\r\n'
    '"Nosub, Nick",1005,S-1005,nnosub,Lab B,,,,,\r\n'
    '"Student, Test",9999,,,Lab A,,,,,\r\n'
)


def notebook_bytes(tag: str) -> bytes:
    """A tiny notebook whose content says which upload it is."""
    return (f'{{"cells": [], "metadata": {{"tag": "{tag}"}}, "nbformat": 4, "nbformat_minor": 5}}').encode()


def add(zf: zipfile.ZipFile, name: str, data: bytes | str, *, mode: int = 0o100644,
        date_time: tuple[int, ...] = (2026, 3, 1, 12, 0, 0)) -> None:
    """Write one entry with an exact name (hostile names included) and unix mode."""
    info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
    info.external_attr = mode << 16
    zf.writestr(info, data)


def symlink(zf: zipfile.ZipFile, name: str, target: str) -> None:
    add(zf, name, target, mode=stat.S_IFLNK | 0o777)


def write_zip(path: Path, entries: list[tuple[str, bytes | str]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            add(zf, name, data)
    return path


HEADER = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
          "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


def moodle_worksheet(delimiter: str = ",", newline: str = "\r\n", bom: bool = False, encoding: str = "utf-8",
               raw: dict[tuple[str, str], str] | None = None) -> bytes:
    """A worksheet as Moodle writes it: PHP fputcsv quoting (fields with spaces quoted).

    ``raw`` replaces cells (participant, column) with text written as is: what the file
    must look like after coursekit filled it in.
    """
    rows = [
        ["Participant 501", "Jane Doe", "jane1@example.edu", "Submitted for grading", "", "13.00", "Yes",
         "Sunday, 1 March 2026, 11:58 AM", "-", ""],
        ["Participant 502", "Jane Doe", "jane2@example.edu", "Submitted for grading", "4.00", "13.00", "Yes",
         "Monday, 2 March 2026, 9:10 AM", "Monday, 2 March 2026, 10:00 AM", "old comment"],
        ["Participant 503", "José Ñúñez", "jose@example.edu", "Submitted for grading", "", "13.00", "Yes",
         "Sunday, 1 March 2026, 10:00 AM", "-", ""],
        ["Participant 504", "Locked Larry", "larry@example.edu", "Submitted for grading", "", "13.00", "No",
         "Sunday, 1 March 2026, 10:00 AM", "-", ""],
        ["Participant 505", "No Submission", "none@example.edu", "No submission", "", "13.00", "Yes", "-", "-", ""],
    ]

    def field(value: str) -> str:
        return f'"{value}"' if any(c in value for c in (" ", delimiter, '"')) else value

    def line(row: list[str]) -> str:
        pid = row[0].split()[-1]
        return delimiter.join((raw or {}).get((pid, HEADER[i]), field(v)) for i, v in enumerate(row))

    text = newline.join([delimiter.join(field(v) for v in HEADER), *map(line, rows)]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)
