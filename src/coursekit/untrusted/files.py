"""Reading a student's files: regular files only, never through a link, always bounded.

A submission folder can hold a symlink to the instructor's sources, a named pipe that
blocks a reader for ever, a link to ``/dev/zero`` that never ends, or folders nested
thousands deep. :func:`read_regular` opens with ``O_NOFOLLOW | O_NONBLOCK``, checks with
``fstat`` on the open descriptor (no race between check and read) that it is a regular
file, and reads at most ``max_bytes + 1`` bytes. :func:`walk_regular` lists a tree
without following links and without recursion, bounded in depth and entries; every
entry it does not take is reported with the reason.

>>> import tempfile, os
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "a.txt").write_text("hi")
>>> os.symlink("/etc/passwd", d / "link")
>>> files, refused = walk_regular(d)
>>> [p.name for p in files], [(r.name, r.reason) for r in refused]
(['a.txt'], [('link', 'a symbolic link (never followed)')])
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from coursekit.errors import UntrustedFileError

__all__ = ["Refused", "read_regular", "walk_regular", "is_plain_dir", "kind_of"]

MAX_DEPTH = 8
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class Refused:
    """A file or folder that was not read, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


def kind_of(mode: int) -> str:
    """A reader's word for a file type (``stat`` mode)."""
    if stat.S_ISLNK(mode):
        return "a symbolic link (never followed)"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def is_plain_dir(path: Path) -> bool:
    """True when ``path`` is a folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def read_regular(path: Path | str, max_bytes: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``max_bytes``.

    Raises :class:`~coursekit.errors.UntrustedFileError` (naming the file) for a link, a
    pipe, a device, a folder, a file that cannot be opened or one that is too large.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = 0
        reason = kind_of(mode) if stat.S_ISLNK(mode) else f"cannot be opened ({err.strerror})"
        raise UntrustedFileError(path, reason) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedFileError(path, kind_of(info.st_mode))
        if info.st_size > max_bytes:
            raise UntrustedFileError(path, f"{info.st_size} bytes, over the limit of {max_bytes}")
        chunks, total = [], 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise UntrustedFileError(path, f"grew past the limit of {max_bytes} bytes while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _entries(folder: Path) -> Iterator[os.DirEntry[str]]:
    with os.scandir(folder) as it:
        yield from sorted(it, key=lambda e: e.name)


def walk_regular(root: Path | str, *, max_depth: int = MAX_DEPTH,
                 max_entries: int = MAX_ENTRIES) -> tuple[list[Path], list[Refused]]:
    """Regular files under ``root`` (sorted), and what was refused.

    Links are never followed (a linked folder is refused, not entered); folders deeper than
    ``max_depth`` are refused whole; past ``max_entries`` entries the walk stops and says so.
    Names in :class:`Refused` are relative to ``root``.
    """
    root = Path(root)
    files: list[Path] = []
    refused: list[Refused] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    seen = 0
    while stack:
        folder, depth = stack.pop()
        try:
            entries = list(_entries(folder))
        except OSError as err:
            refused.append(Refused(folder.relative_to(root).as_posix() or ".", f"cannot be listed ({err.strerror})"))
            continue
        for entry in entries:
            seen += 1
            rel = Path(entry.path).relative_to(root).as_posix()
            if seen > max_entries:
                refused.append(Refused(rel, f"more than {max_entries} entries in the submission; the rest is ignored"))
                return sorted(files), refused
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISREG(mode):
                files.append(Path(entry.path))
            elif stat.S_ISDIR(mode):
                if depth + 1 > max_depth:
                    refused.append(Refused(rel, f"folders nested deeper than {max_depth} levels"))
                else:
                    stack.append((Path(entry.path), depth + 1))
            else:
                refused.append(Refused(rel, kind_of(mode)))
    return sorted(files), refused
