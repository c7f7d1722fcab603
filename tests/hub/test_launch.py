"""The book points at the course hub: each lesson's launch button opens it there, and the
lessons are in every user's home (synced by ``coursekit hub setup``, the user's edits kept)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coursekit.errors import CourseKitError
from coursekit.hub.launch import hub_url
from coursekit.hub.provision import LESSONS_MANIFEST, sync_lessons

from .conftest import REPO

LESSON = "hip-movements"  # a lesson of the book (MyST markdown notebook)
HUB_LINK = re.compile(r'<a href="([^"]*/hub/user-redirect/[^"]*)"[^>]*class="[^"]*btn-launch-coursekit-hub')


def build_small_book(folder: Path, hub: str | None) -> Path:
    """The book's own ``_config.yml`` (pages not executed) over one real lesson and a plain page.

    ``hub`` is passed as ``COURSEKIT_HUB_URL`` (None: not set). Returns the html folder.
    """
    (folder / "book").mkdir(parents=True)
    (folder / "book" / f"{LESSON}.md").write_text((REPO / "book" / f"{LESSON}.md").read_text(encoding="utf-8"))
    (folder / "book" / "index.md").write_text("# The course\n\nA page that is not a notebook.\n", encoding="utf-8")
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    config["html"].pop("favicon", None)
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (folder / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "book/index",
                                                     "chapters": [{"file": f"book/{LESSON}"}]}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COURSEKIT_HUB_URL"}
    if hub is not None:
        env["COURSEKIT_HUB_URL"] = hub
    done = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(folder)], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return folder / "_build" / "html"


def hub_links(page: Path) -> list[str]:
    return [html.unescape(m) for m in HUB_LINK.findall(page.read_text(encoding="utf-8"))]


def test_a_lesson_page_launches_the_lesson_on_the_hub_named_at_build_time(tmp_path: Path) -> None:
    site = build_small_book(tmp_path / "small", "https://hub.example.edu/")
    assert hub_links(site / "book" / f"{LESSON}.html") == [
        f"https://hub.example.edu/hub/user-redirect/lab/tree/lessons/book/{LESSON}.md"]
    assert hub_links(site / "book" / "index.html") == []  # not a notebook: nothing to open
    # the theme's own nbgitpuller link (a GitHub repository pulled into the server) is not made
    assert "git-pull" not in (site / "book" / f"{LESSON}.html").read_text(encoding="utf-8")


def test_the_configured_hub_is_the_local_one_and_the_environment_overrides_it() -> None:
    configured = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))["launch_buttons"]["jupyterhub_url"]
    assert hub_url(configured, {}) == "http://127.0.0.1:8010"  # the hub `make hub` starts
    assert hub_url(configured, {"COURSEKIT_HUB_URL": "https://hub.uni.edu/"}) == "https://hub.uni.edu"
    assert hub_url("", {}) == ""
    with pytest.raises(CourseKitError, match=r"COURSEKIT_HUB_URL = 'hub\.uni\.edu': .*http\(s\) URL"):
        hub_url(configured, {"COURSEKIT_HUB_URL": "hub.uni.edu"})


def test_make_book_passes_hub_url_to_the_build() -> None:
    done = subprocess.run(["make", "--no-print-directory", "-C", str(REPO), "-n", "-p", "serve",
                           "HUB_URL=https://hub.uni.edu"], capture_output=True, text=True, check=False)
    assert re.search(r"^COURSEKIT_HUB_URL := https://hub\.uni\.edu$", done.stdout, re.M), done.stderr[-500:]


def test_lessons_are_synced_and_a_lesson_the_student_changed_is_kept(tmp_path: Path) -> None:
    source, lessons = tmp_path / "shared", tmp_path / "home" / "lessons"
    (source / "book").mkdir(parents=True)
    (source / "book" / "a.md").write_text("A v1\n")
    (source / "book" / "b.md").write_text("B v1\n")
    assert sync_lessons(source, lessons) == []
    assert (lessons / "book" / "a.md").read_text() == "A v1\n"
    (lessons / "book" / "b.md").write_text("B with my notes\n")  # the student's own work
    (source / "book" / "a.md").write_text("A v2\n")
    (source / "book" / "b.md").write_text("B v2\n")
    (source / "book" / "c.md").write_text("C v1\n")
    assert sync_lessons(source, lessons) == ["book/b.md"]
    assert [(lessons / "book" / n).read_text() for n in ("a.md", "b.md", "c.md")] == ["A v2\n", "B with my notes\n",
                                                                                        "C v1\n"]
    manifest = json.loads((lessons / LESSONS_MANIFEST).read_text())
    assert sorted(manifest) == ["book/a.md", "book/b.md", "book/c.md"]
    # a student who deletes a lesson gets it back at the next set-up
    (lessons / "book" / "b.md").unlink()
    assert sync_lessons(source, lessons) == [] and (lessons / "book" / "b.md").read_text() == "B v2\n"
