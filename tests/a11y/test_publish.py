"""``make publish`` pushes the built site to a gh-pages branch (ghp-import, with .nojekyll);
the built site carries no placeholder repository or hub link; the CI workflow builds and
publishes on every push to main."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

#: Links of the template course that must never reach a published site.
PLACEHOLDERS = re.compile(r"github\.com/coursekit/coursekit|mybinder\.org")


def git(*args: str, git_dir: Path) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True,
                          text=True).stdout


def publish(site: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``make publish`` of *site* into a fresh bare repository ``tmp_path/remote.git``.

    ghp-import works in the repository named by GIT_DIR (a scratch one here), so the
    course repository's own branches are never touched.
    """
    for name in ("remote.git", "scratch.git"):
        subprocess.run(["git", "init", "--quiet", "--bare", str(tmp_path / name)], check=True)
    env = {**os.environ, "GIT_DIR": str(tmp_path / "scratch.git"), "GIT_COMMITTER_NAME": "coursekit tests",
           "GIT_COMMITTER_EMAIL": "tests@example.invalid", "GIT_AUTHOR_NAME": "coursekit tests",
           "GIT_AUTHOR_EMAIL": "tests@example.invalid",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "publish", f"HTML_DIR={site}",
                           f"PUBLISH_REMOTE={tmp_path / 'remote.git'}"],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.book
def test_make_publish_pushes_the_site_with_nojekyll_to_gh_pages(built_book, tmp_path):
    proc = publish(built_book, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    remote = tmp_path / "remote.git"
    files = git("ls-tree", "-r", "--name-only", "gh-pages", git_dir=remote).splitlines()
    assert "index.html" in files and ".nojekyll" in files
    assert "book/rotation.html" in files and "_static/coursekit-selfcheck.js" in files
    assert git("show", "gh-pages:index.html", git_dir=remote) == (built_book / "index.html").read_text(encoding="utf-8")
    assert "Publish the course site" in git("log", "-1", "--format=%s", "gh-pages", git_dir=remote)
    # publishing again replaces the site (one new commit on the same branch)
    again = publish(built_book, tmp_path / "again")
    assert again.returncode == 0, again.stderr


def test_make_publish_refuses_a_site_with_placeholder_links(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="https://github.com/coursekit/coursekit">repo</a>', encoding="utf-8")
    proc = publish(site, tmp_path)
    assert proc.returncode != 0
    assert "placeholder" in proc.stderr and "_config.yml" in proc.stderr
    assert git("branch", "--list", git_dir=tmp_path / "remote.git").strip() == ""


@pytest.mark.book
def test_the_built_site_has_no_placeholder_link(built_book):
    found = {str(p.relative_to(built_book)): sorted(set(PLACEHOLDERS.findall(p.read_text(encoding="utf-8"))))
             for p in built_book.rglob("*.html") if PLACEHOLDERS.search(p.read_text(encoding="utf-8"))}
    assert found == {}


def test_config_says_where_the_course_repository_and_hubs_go():
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    assert not PLACEHOLDERS.search(text)
    assert config["repository"]["url"] == "" and config["html"]["use_repository_button"] is False
    assert config["launch_buttons"]["binderhub_url"] == ""
    assert config["launch_buttons"]["jupyterhub_url"] in ("", "http://127.0.0.1:8010")  # none, or the local `make hub`
    assert "before `make publish`" in text


def test_the_ci_workflow_builds_and_publishes_on_push_to_main():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8"))
    triggers = flow[True] if True in flow else flow["on"]   # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert flow["permissions"]["contents"] == "write"
    steps = [s.get("run", "") for job in flow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(steps)
    assert "make book" in runs and "make publish" in runs
    assert runs.index("make book") < runs.index("make publish")
