"""Read an LMS download zip without trusting it: bounded sizes, nothing outside the target.

Every entry is either *readable* (a regular file with a safe relative name, within the
size limits) or comes with the reason it was refused: a directory, a symbolic link, an
absolute or ``..`` path, a name with a backslash or NUL, a file larger than the limit,
a suspicious compression ratio, or more data than the whole-archive limit. Entries are
never extracted with ``extractall``; the bytes are read with a hard cap whatever the
header claims, and :func:`inside` checks every destination.
"""

from __future__ import annotations

import stat
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from coursekit.errors import GradingError

__all__ = ["Limits", "DEFAULT_LIMITS", "Entry", "entries", "read_bytes", "inside", "open_zip", "os_metadata"]

_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass(frozen=True)
class Limits:
    """How much of a zip coursekit will read."""

    max_entry_bytes: int = 50_000_000   #: one file
    max_total_bytes: int = 2_000_000_000  #: all files together
    max_entries: int = 20_000            #: entries in the archive
    max_ratio: int = 200                 #: uncompressed / compressed, for files over 1 MB


@dataclass(frozen=True)
class Entry:
    """One zip entry: its name, and why it cannot be used (empty when it can)."""

    info: zipfile.ZipInfo
    problem: str = ""

    @property
    def name(self) -> str:
        return self.info.filename

    @property
    def utc_mtime(self) -> datetime | None:
        """The entry's modification time in UTC, from the extended-timestamp field when present."""
        return _extended_mtime(self.info.extra)

    @property
    def local_mtime(self) -> datetime:
        """The DOS time stored in the entry (the zipping server's local time, no zone)."""
        return datetime(*self.info.date_time)


#: The limits used when a caller gives none.
DEFAULT_LIMITS = Limits()


def open_zip(path: Path | str) -> zipfile.ZipFile:
    """Open ``path`` as a zip, or raise an error that names the file and says what to do."""
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise GradingError(f"{path}: not a readable zip file ({err}); download the submissions again") from err


def entries(archive: zipfile.ZipFile, limits: Limits = DEFAULT_LIMITS) -> Iterator[Entry]:
    """Every entry of ``archive`` with the reason it is refused, if it is."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise GradingError(f"{archive.filename}: {len(infos)} entries is more than the {limits.max_entries} "
                           "coursekit reads; download the submissions in smaller groups")
    total = 0
    for info in infos:
        problem = _problem(info, limits)
        if not problem:
            total += info.file_size
            if total > limits.max_total_bytes:
                problem = f"the archive holds more than {limits.max_total_bytes} bytes in all"
        yield Entry(info, problem)


def read_bytes(archive: zipfile.ZipFile, entry: Entry, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The entry's bytes, never more than the limit whatever its header says."""
    with archive.open(entry.info) as src:
        data = src.read(limits.max_entry_bytes + 1)
    if len(data) > limits.max_entry_bytes:
        raise GradingError(f"{archive.filename}: {entry.name} is larger than its header says "
                           f"(over {limits.max_entry_bytes} bytes); the zip is damaged or hostile")
    return data


def inside(root: Path, relative: str) -> Path:
    """``root / relative``, refusing any path that would land outside ``root``."""
    root = root.resolve()
    dest = (root / relative).resolve()
    if dest != root and root not in dest.parents:
        raise GradingError(f"{relative}: would be written outside {root}; refused")
    return dest


def os_metadata(name: str) -> bool:
    """Whether ``name`` is a file the zipping machine added (``__MACOSX/``, ``.DS_Store``, ``Thumbs.db``).

    >>> os_metadata("__MACOSX/._ps1.ipynb"), os_metadata("a/.DS_Store"), os_metadata("ps1.ipynb")
    (True, True, False)
    """
    return name.startswith(_JUNK) or name.rsplit("/", 1)[-1] in _JUNK


def _problem(info: zipfile.ZipInfo, limits: Limits) -> str:
    name = info.filename
    mode = info.external_attr >> 16
    if info.is_dir():
        return "a directory entry (nothing to place)"
    if stat.S_ISLNK(mode):
        return "a symbolic link (never followed or extracted)"
    if "\x00" in name or "\\" in name:
        return "the name has a backslash or NUL character"
    path = PurePosixPath(name)
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in path.parts:
        return "a path with '..' (would leave the target folder)"
    if info.file_size > limits.max_entry_bytes:
        return f"{info.file_size} bytes is more than the {limits.max_entry_bytes} byte limit"
    if info.compress_size and info.file_size > 1_000_000 and info.file_size / info.compress_size > limits.max_ratio:
        return "suspicious compression ratio (zip bomb?)"
    return ""


def _extended_mtime(extra: bytes) -> datetime | None:
    """The modification time of the 0x5455 "extended timestamp" extra field (UTC seconds)."""
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        if tag == 0x5455 and len(body) >= 5 and body[0] & 1:
            (seconds,) = struct.unpack_from("<i", body, 1)
            return datetime.fromtimestamp(seconds, tz=UTC).replace(tzinfo=None)
        i += 4 + size
    return None
