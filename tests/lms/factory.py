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
    return ('{"cells": [], "metadata": {"tag": "%s"}, "nbformat": 4, "nbformat_minor": 5}' % tag).encode()


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
