"""Student files: only regular files are read, never through a link, always bounded."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coursekit.errors import UntrustedFileError
from coursekit.untrusted.files import is_plain_dir, read_regular, walk_regular


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_bytes(b"a,b\n1,2\n")
    assert read_regular(tmp_path / "data.csv", 100) == b"a,b\n1,2\n"


def test_a_named_pipe_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "timestamp.txt")
    started = time.monotonic()
    with pytest.raises(UntrustedFileError, match="timestamp.txt: a named pipe"):
        read_regular(tmp_path / "timestamp.txt", 100)
    assert time.monotonic() - started < 1.0


def test_a_link_to_dev_zero_is_refused_unread(tmp_path: Path) -> None:
    os.symlink("/dev/zero", tmp_path / "timestamp.txt")
    with pytest.raises(UntrustedFileError, match="symbolic link"):
        read_regular(tmp_path / "timestamp.txt", 100)


def test_a_device_opened_directly_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UntrustedFileError, match="a device file"):
        read_regular("/dev/zero", 100)


def test_a_link_to_a_regular_file_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "solutions.ipynb"
    secret.write_text("{}")
    (tmp_path / "sub").mkdir()
    os.symlink(secret, tmp_path / "sub" / "ps1.ipynb")
    with pytest.raises(UntrustedFileError, match="ps1.ipynb: a symbolic link"):
        read_regular(tmp_path / "sub" / "ps1.ipynb", 100)


def test_a_file_over_the_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(b"x" * 1001)
    with pytest.raises(UntrustedFileError, match="1001 bytes, over the limit of 1000"):
        read_regular(tmp_path / "big.bin", 1000)


def test_the_walk_never_enters_a_linked_folder_and_names_every_refusal(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.csv").write_text("1")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "answers.yaml").write_text("key")
    os.symlink(outside, tmp_path / "linked")
    os.mkfifo(tmp_path / "pipe")
    files, refused = walk_regular(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["notes.txt", "sub/data.csv"]
    assert {(r.name, r.reason) for r in refused} == {
        ("linked", "a symbolic link (never followed)"), ("pipe", "a named pipe")}


def test_folders_nested_a_thousand_deep_are_refused_without_recursion(tmp_path: Path) -> None:
    chain = [tmp_path / "nest"]
    for _ in range(1200):
        chain.append(chain[-1] / "d")
    for folder in chain:  # os.makedirs recurses too
        folder.mkdir()
    (chain[-1] / "x.txt").write_text("deep")
    (tmp_path / "ok.txt").write_text("ok")
    try:
        files, refused = walk_regular(tmp_path, max_depth=8)
        assert [p.name for p in files] == ["ok.txt"]
        assert len(refused) == 1 and "deeper than 8 levels" in refused[0].reason
    finally:  # shutil.rmtree (and so pytest's clean-up of old tmp folders) recurses: unwind it here
        (chain[-1] / "x.txt").unlink()
        for folder in reversed(chain):
            folder.rmdir()


def test_the_walk_stops_after_the_entry_limit_and_says_so(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"f{i:02}.txt").write_text("x")
    files, refused = walk_regular(tmp_path, max_entries=10)
    assert len(files) == 10
    assert "more than 10 entries" in refused[-1].reason


def test_a_symlinked_submission_folder_is_not_a_plain_folder(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    os.symlink(tmp_path / "source", tmp_path / "mallory")
    assert is_plain_dir(tmp_path / "source") and not is_plain_dir(tmp_path / "mallory")
