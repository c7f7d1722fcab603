"""``coursekit hub setup``: make this machine a course hub (run as root, idempotent).

What it does, in order:

1. one Unix account per user (``useradd``), each home readable by its owner only;
2. the hub's folders: ``state`` (root only), the nbgrader exchange (world-writable, as
   nbgrader's exchange requires; nbgrader itself keeps ``inbound`` write-only);
3. the users' Python environment, built from the coursekit **wheel** (not this
   checkout) with the versions of ``uv.lock``: it holds public question data only;
4. Jupyter configuration per role: students get nbgrader's Assignments tab and Validate
   button without formgrader; the instructor's server points at the course directory;
5. the instructor's course directory, copied from ``assignments/`` into the
   instructor's home, and the assignments released into the exchange;
6. the lessons (the book's pages, MyST markdown) in every user's ``~/lessons``, where the
   book's launch button opens them as notebooks (jupytext; see :mod:`coursekit.hub.launch`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from coursekit.errors import CourseKitError
from coursekit.hub.layout import HubLayout

__all__ = ["setup_hub", "hub_password", "build_env", "write_jupyter_config", "install_course", "install_lessons",
           "make_users"]

SYSTEM_PYTHON = Path("/usr/bin/python3")
_SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The course directory holds what students must never read; these are regenerated.
_NOT_COPIED = ("release", "submitted", "autograded", "feedback", "exchange", "gradebook.db",
               "coursekit-grades", ".ipynb_checkpoints", "__pycache__")
STUDENT_LAB_DISABLED = {"@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True,
                        "@jupyter/nbgrader:course-list": True}
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Jupytext Notebook",
                                                                   "myst": "Jupytext Notebook"}},
}
LESSONS_MANIFEST = ".coursekit-lessons.json"
STUDENT_SERVER_DISABLED = {"nbgrader.server_extensions.formgrader": False,
                           "nbgrader.server_extensions.course_list": False}


def _run(cmd: Sequence[str | os.PathLike[str]], *, what: str, user: str | None = None,
         cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    argv = [str(c) for c in cmd]
    if argv[0] in ("useradd", "chown"):
        argv[0] = shutil.which(argv[0], path=_SYSTEM_PATH) or argv[0]
    groups: list[str] | None = [] if user is not None else None  # drop root's groups too
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False,
                          user=user, group=user, extra_groups=groups)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip()[-1500:]
        raise CourseKitError(f"hub setup: {what} failed (exit {done.returncode}): {' '.join(argv)}\n{tail}")
    return done.stdout


def _require_root() -> None:
    if os.geteuid() != 0:
        raise CourseKitError("hub setup must run as root: it creates Unix accounts and sets permissions "
                             "(run `sudo make hub`)")


def make_users(layout: HubLayout) -> None:
    """One Unix account per hub user, home mode 700."""
    import pwd

    for user in layout.users:
        try:
            pwd.getpwnam(user)
        except KeyError:
            _run(["useradd", "--create-home", "--shell", "/bin/bash", user], what=f"creating user {user}")
        home = layout.home(user)
        home.mkdir(parents=True, exist_ok=True)
        shutil.chown(home, user, user)
        home.chmod(0o700)


def make_folders(layout: HubLayout) -> None:
    layout.root.mkdir(parents=True, exist_ok=True)
    layout.root.chmod(0o755)
    layout.state.mkdir(exist_ok=True)
    layout.state.chmod(0o700)
    layout.exchange.mkdir(exist_ok=True)
    layout.exchange.chmod(0o777)


def build_env(layout: HubLayout, repo: Path, log: Callable[[str], None] = print) -> Path:
    """The users' environment: the coursekit wheel and the hub's parts, pinned by ``uv.lock``."""
    uv = shutil.which("uv")
    if uv is None:
        raise CourseKitError("hub setup needs uv (run it through `make hub`, which installs uv)")
    dist = layout.root / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    log("coursekit hub: building the coursekit wheel")
    _run([uv, "build", "--wheel", "--out-dir", dist, repo], what="building the wheel", cwd=repo)
    wheels = sorted(dist.glob("coursekit-*.whl"))
    if len(wheels) != 1:
        raise CourseKitError(f"hub setup: expected one coursekit wheel in {dist}, found {len(wheels)}")
    pins = layout.root / "requirements.txt"
    _run([uv, "export", "--frozen", "--no-dev", "--group", "hub", "--no-emit-project", "--no-hashes",
          "--output-file", pins], what="exporting the locked versions", cwd=repo)
    python = SYSTEM_PYTHON if SYSTEM_PYTHON.exists() else Path(sys.executable)
    if not (layout.env / "bin" / "python").exists():
        log(f"coursekit hub: creating the users' environment in {layout.env} ({python})")
        _run([uv, "venv", "--python", python, layout.env], what="creating the environment")
    env_python = layout.env / "bin" / "python"
    log("coursekit hub: installing the locked dependencies and the wheel")
    _run([uv, "pip", "install", "--python", env_python, "-r", pins], what="installing the dependencies")
    _run([uv, "pip", "install", "--python", env_python, "--no-deps", "--reinstall-package", "coursekit", wheels[0]],
         what="installing the wheel")
    # JupyterLab's own defaults for every user: no "Jupyter news" question, no update check,
    # and MyST markdown lessons open as notebooks (jupytext's viewer, not the text editor).
    overrides = layout.env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(LAB_OVERRIDES, indent=1), encoding="utf-8")
    return layout.env


def _nbgrader_config(layout: HubLayout, role: str) -> str:
    lines = [
        f"# nbgrader configuration of every {role} server on the course hub (written by `coursekit hub setup`).",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {layout.course_id!r}",
        f"c.Exchange.root = {str(layout.exchange)!r}",
    ]
    if role == "instructor":
        lines.append(f"c.CourseDirectory.root = {str(layout.course)!r}")
    return "\n".join(lines) + "\n"


def write_jupyter_config(layout: HubLayout) -> None:
    """``<root>/etc/student`` and ``<root>/etc/instructor``, read through ``JUPYTER_CONFIG_PATH``."""
    for role in ("student", "instructor"):
        etc = layout.etc(role)
        (etc / "labconfig").mkdir(parents=True, exist_ok=True)
        (etc / "nbgrader_config.py").write_text(_nbgrader_config(layout, role), encoding="utf-8")
        disabled = STUDENT_LAB_DISABLED if role == "student" else {}
        (etc / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}, indent=1))
        server = {"ServerApp": {"jpserver_extensions": STUDENT_SERVER_DISABLED if role == "student" else {}},
                  # no "Jupyter news" pop-up and no update check: the hub asks the internet for nothing
                  "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
        (etc / "jupyter_server_config.json").write_text(json.dumps(server, indent=1), encoding="utf-8")
        for path in [etc, etc / "labconfig", *etc.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    layout.etc("student").parent.chmod(0o755)


def install_course(layout: HubLayout, repo: Path, log: Callable[[str], None] = print) -> Path:
    """Copy ``assignments/`` into the instructor's home (mode 700) and release every assignment."""
    source = repo / "assignments"
    course = layout.course
    course.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name in _NOT_COPIED:
            continue
        target = course / item.name
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*_NOT_COPIED))
        else:
            shutil.copy2(item, target)
    _run(["chown", "-R", f"{layout.instructor}:{layout.instructor}", course], what="handing the course to the instructor")
    course.chmod(0o700)
    env = instructor_env(layout)
    bin_dir = layout.env / "bin"
    log("coursekit hub: releasing the assignments (nbgrader generate_assignment, release_assignment)")
    _run([bin_dir / "coursekit", "assignments", "release", "--course", course], what="releasing the assignments",
         user=layout.instructor, cwd=course, env=env)
    for notebook in sorted((course / "release").glob("*/")):
        _run([bin_dir / "nbgrader", "release_assignment", notebook.name, "--force"],
             what=f"releasing {notebook.name} into the exchange", user=layout.instructor, cwd=course, env=env)
    enrol_students(layout)
    return course


def student_names(course: Path, students: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Account -> (last name, first name) for the gradebook, from ``hub.toml``'s ``[students]``.

    ``student1 = "Lovelace, Ada"``; an account not listed is shown by its id.
    """
    from coursekit.hub.autograde import POLICY_FILE, hub_settings

    table = hub_settings(course, "students")
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise CourseKitError(f"{course / POLICY_FILE}: [students] maps accounts to names, e.g. student1 = \"Lovelace, Ada\"")
    names = {}
    for student in students:
        last, _, first = table.get(student, student).partition(",")
        names[student] = (last.strip(), first.strip())
    return names


def enrol_students(layout: HubLayout) -> None:
    """Every student account in the gradebook, with a name (formgrader shows "None, None" without one)."""
    names = student_names(layout.course, layout.students)
    script = ("import json, sys; from coursekit.course import Course\n"
              "with Course(sys.argv[1]).gradebook() as gb:\n"
              "    for sid, (last, first) in json.loads(sys.argv[2]).items():\n"
              "        gb.update_or_create_student(sid, last_name=last, first_name=first)\n")
    _run([layout.env / "bin" / "python", "-c", script, layout.course, json.dumps(names)],
         what="adding the students to the gradebook", user=layout.instructor, cwd=layout.course,
         env=instructor_env(layout))


def sync_lessons(source: Path, lessons: Path) -> list[str]:
    """Bring ``lessons`` (a user's ``~/lessons``) up to date with ``source`` (the book's root copy).

    A file the user has changed since the last sync is kept (theirs) and returned; the
    others are copied. What was copied is recorded in ``lessons/.coursekit-lessons.json``
    (relative path -> SHA-256). Runs as the user, so nothing is written where they could
    not write themselves.
    """
    import hashlib

    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    manifest = lessons / LESSONS_MANIFEST
    try:
        copied = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        copied = {}
    if not isinstance(copied, dict):
        copied = {}
    kept = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = path.relative_to(source).as_posix()
        target = lessons / rel
        if target.exists() or target.is_symlink():
            current = digest(target) if target.is_file() and not target.is_symlink() else None
            if current != digest(path) and (current is None or current != copied.get(rel)):
                kept.append(rel)  # the user's own version (or not a plain file): left alone
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied[rel] = digest(path)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(copied, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return kept


def install_lessons(layout: HubLayout, repo: Path, log: Callable[[str], None] = print) -> Path:
    """The book's pages in every user's ``~/lessons/book/``, where the launch button opens them.

    The pages are copied (as root) into ``<root>/lessons`` (readable by everyone: the book
    holds no graded key, its self-checks are practice), then each user syncs their own
    ``~/lessons`` from it (:func:`sync_lessons`, run as that user).
    """
    from coursekit.hub.launch import LESSONS_DIR

    source = repo / "book"
    if not source.is_dir():
        raise CourseKitError(f"hub setup: {source} (the book's pages) is missing")
    shared = layout.root / "lessons"
    shutil.rmtree(shared, ignore_errors=True)
    shutil.copytree(source, shared / "book", symlinks=False,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "_build", ".*"))
    for path in [shared, *shared.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    script = ("import sys; from pathlib import Path; from coursekit.hub.provision import sync_lessons; "
              "print('\\n'.join(sync_lessons(Path(sys.argv[1]), Path(sys.argv[2]))))")
    for user in layout.users:
        home = layout.home(user)
        kept = _run([layout.env / "bin" / "python", "-c", script, shared, home / LESSONS_DIR],
                    what=f"copying the lessons into {user}'s home", user=user, cwd=home,
                    env={"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}).splitlines()
        if kept:
            log(f"coursekit hub: {user} changed {len(kept)} lesson file(s); kept theirs: {', '.join(kept)}")
    log(f"coursekit hub: the lessons are in ~/{LESSONS_DIR} of {', '.join(layout.users)}")
    return shared


def instructor_env(layout: HubLayout) -> dict[str, str]:
    """The environment the instructor's processes (server, grading service) run with."""
    home = layout.home(layout.instructor)
    return {
        "PATH": f"{layout.env / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home), "USER": layout.instructor, "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_PATH": str(layout.etc("instructor")),
        "COURSEKIT_EXCHANGE": str(layout.exchange),
        "MPLCONFIGDIR": str(home / ".cache" / "matplotlib"),
    }


def hub_password(layout: HubLayout) -> str:
    """The shared log-in password: ``COURSEKIT_HUB_PASSWORD``, else one made once and kept in ``state/``."""
    given = os.environ.get("COURSEKIT_HUB_PASSWORD", "")
    if given:
        return given
    path = layout.state / "password"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(12) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def setup_hub(layout: HubLayout, repo: Path, log: Callable[[str], None] = print) -> None:
    """All of the steps above (see the module docstring)."""
    _require_root()
    make_users(layout)
    make_folders(layout)
    build_env(layout, repo, log)
    write_jupyter_config(layout)
    install_course(layout, repo, log)
    install_lessons(layout, repo, log)
    log(f"coursekit hub: ready; users {', '.join(layout.users)}; exchange {layout.exchange}")
    log(f"coursekit hub: log in at {layout.url}/ as any of them with the password {hub_password(layout)!r}")
