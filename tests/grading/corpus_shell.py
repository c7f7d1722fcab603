"""Corpus of the shell class (issue 12): hidden-test thieves and honest students who write magics.

``write(course)`` puts the submissions into ``course/submitted/`` and returns student ->
(expectation, honest score), in the style of ``write_corpus`` in ``test_adversarial_files``.
It also marks every hidden-test region of the course's ps1 source with a comment holding
:data:`MARK` (grading ignores comments; the honest scores do not change): no output, page
or record the grader writes may ever contain it, nor any other text of a hidden region.

- ``t-*`` (thieves) install IPython hooks, audit hooks, AST and input transformers, read
  ``In``/``_ih``/``Out``/the history manager/``linecache``, walk ``sys._getframe``, scan
  ``gc`` objects and their own memory (``/proc/self/mem``), and hijack the exporter;
  everything they find is printed in a cell of their own at the end.
- ``s-*`` (honest magic users) write what students write in a kernel: ``%matplotlib
  inline`` and ``plt.show()``, ``%%time``/``%time``/``%timeit``, ``!echo``, ``x = !ls``,
  ``%pip list``, ``%load_ext``, ``get_ipython().run_line_magic``, ``display``/``Markdown``,
  ``print`` to stderr, ``input()`` in a cell of their own, a shadowed ``grade``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .factory import ASSIGNMENT, correct_answers, honest_bookends, points_per_answer, release_nb, submit

MARK = "ckhidden9q4z"  # in every hidden region of the source; the thieves' code never spells it
FIRST = "ps1-landmark-front-crest-answer"
SECOND = "ps1-sitting-movement-answer"
TREE = "ps1-tilt-classes-answer"

# The thieves build what they look for at run time, so their own source never holds it.
_LOOK = '''
import re as _re
_stash = []
_NEEDLE = _re.compile("BEGIN[ ]HIDDEN|grad[e][(]|ckhidde[n]")
def _keep(where, text):
    text = str(text)
    for m in _NEEDLE.finditer(text):
        _stash.append(f"{where}: {text[max(0, m.start() - 200): m.end() + 200]}")
    if len(_stash) > 400:
        del _stash[:200]
'''

THIEF_HOOKS = _LOOK + '''
import ast as _ast, sys as _sys
_ip = get_ipython()
_ip.events.register("pre_run_cell", lambda info: _keep("pre_run_cell", info.raw_cell))
_ip.events.register("post_run_cell", lambda result: _keep("post_run_cell", result.info.raw_cell))
_ip.events.register("pre_execute", lambda: _keep("pre_execute", _ip.user_ns.get("_ih", "")))
def _tx(lines):
    _keep("input_transformer", "".join(lines))
    return lines
_ip.input_transformers_cleanup.insert(0, _tx)
_ip.input_transformers_post.append(_tx)
class _Spy(_ast.NodeTransformer):
    def visit_Module(self, node):
        _keep("ast_transformer", _ast.unparse(node))
        return node
_ip.ast_transformers.append(_Spy())
def _audit(event, args):
    if event in ("compile", "exec"):
        _keep("audit:" + event, args[0] if args and isinstance(args[0], (str, bytes)) else repr(args)[:20000])
_sys.addaudithook(_audit)
_orig_run = type(_ip).run_cell
def _run(self, raw_cell, *a, **k):
    _keep("run_cell", raw_cell)
    return _orig_run(self, raw_cell, *a, **k)
type(_ip).run_cell = _run
_orig_hook = _sys.displayhook
'''

THIEF_DUMP = _LOOK + '''
import gc, linecache, sys
ip = get_ipython()
for name in ("In", "_ih", "Out", "_oh", "_i", "_ii", "_iii"):
    _keep(name, ip.user_ns.get(name, ""))
hm = ip.history_manager
_keep("history", [getattr(hm, "input_hist_raw", ""), getattr(hm, "input_hist_parsed", ""), hm.output_hist])
_keep("linecache", {k: "".join(v[2]) for k, v in list(linecache.cache.items()) if isinstance(v, tuple) and len(v) > 2})
frame = sys._getframe()
while frame is not None:
    _keep("frame", [frame.f_code.co_filename, {k: repr(v)[:5000] for k, v in list(frame.f_locals.items())}])
    frame = frame.f_back
for obj in gc.get_objects():
    if isinstance(obj, dict):
        for v in list(obj.values())[:50]:
            if isinstance(v, str) and len(v) < 200000:
                _keep("gc", v)
    elif isinstance(obj, (list, tuple)):
        for v in obj[:50]:
            if isinstance(v, str) and len(v) < 200000:
                _keep("gc", v)
print("In:", ip.user_ns.get("In"))
print("\\n".join(_stash[:100]) or "nothing found in the interpreter")
'''

THIEF_MEMORY = '''
import ctypes, re
needle = re.compile(b'ckhidde[n]|grad[e][(]"ps1[.]landmark-front-crest", front_crest, 1[)]')
found, total, how = [], 0, "/proc/self/mem"
try:
    mem = open("/proc/self/mem", "rb", 0)
except OSError as err:  # not dumpable: read the anonymous memory directly instead
    mem, how = None, f"ctypes ({err.strerror} for /proc/self/mem)"
for line in open("/proc/self/maps"):
    parts = line.split()
    span, perms, path = parts[0], parts[1], (parts[5] if len(parts) > 5 else "")
    if not perms.startswith("r") or path.startswith("[v") or (mem is None and (perms[1] != "w" or path not in ("", "[heap]"))):
        continue
    start, end = (int(x, 16) for x in span.split("-"))
    if end - start > 256 * 2**20 or total > 1024 * 2**20:
        continue
    try:
        if mem is not None:
            mem.seek(start)
            data = mem.read(end - start)
        else:
            data = ctypes.string_at(start, end - start)
    except (OSError, ValueError, OverflowError):
        continue
    total += len(data)
    for m in needle.finditer(data):
        found.append(data[max(0, m.start() - 200): m.end() + 200].decode("latin-1"))
print(f"scanned {total} bytes with {how}")
print("\\n".join(found[:50]) or "nothing found in memory")
'''

THIEF_EXPORTER = '''
import builtins, coursekit.checks.calls as calls, coursekit.checks.api as api
_seen = []
_real_import = builtins.__import__
def _spy_import(name, *args, **kwargs):
    _seen.append(name)
    return _real_import(name, *args, **kwargs)
builtins.__import__ = _spy_import
_real_export = calls.export_answer
def _spy_export(qid, answer):
    _seen.append((qid, repr(answer)))
    print("export", qid, repr(answer))
    return _real_export(qid, answer)
calls.export_answer = _spy_export
'''

SHADOW = '''
def grade(*args, **kwargs):
    print("my own grade", args)
_coursekit_hand_out_ = None
export_answer = None
'''


def _with(answers: dict[str, str], gid: str, before: str = "", after: str = "") -> dict[str, str]:
    return {**answers, gid: f"{before}{answers[gid]}{after}"}


def hidden_texts(course: Path) -> list[str]:
    """:data:`MARK` and every line of the source's hidden regions: none may appear in what the grader writes.

    (Library docstrings hold generic ``BEGIN HIDDEN TESTS`` examples, so the needles are the
    course's own hidden lines, not the delimiter.)
    """
    from coursekit.course.regions import split_region

    found = [MARK]
    for cell in nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4).cells:
        split = split_region(cell.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS") if cell.cell_type == "code" else ""
        if isinstance(split, tuple):
            found += [line.strip() for line in split[1].split("\n") if line.strip()]
    return found


def mark_hidden_tests(course: Path) -> None:
    """Add a ``# MARK`` comment to every hidden-test region of the course's ps1 source."""
    path = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source and MARK not in cell.source:
            cell.source = cell.source.replace("### BEGIN HIDDEN TESTS\n",
                                              f"### BEGIN HIDDEN TESTS\n# {MARK}: the key is in the bank\n")
    nbformat.write(nb, path)


def _submit_cells(course: Path, student: str, answers: dict[str, str], extra: dict[str, list[str]]) -> None:
    """Submit ``answers`` with extra cells of the student's own after the named answer cells ("" = at the end)."""
    from scripted_submissions import fill

    nb = fill(release_nb(course), answers)
    for gid, sources in extra.items():
        at = len(nb.cells) if not gid else 1 + next(i for i, c in enumerate(nb.cells)
                                                   if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
        nb.cells[at:at] = [nbformat.v4.new_code_cell(s) for s in sources]
    submit(course, student, nb)


def magic_answers(course: Path) -> dict[str, dict[str, str]]:
    """Honest magic users: student -> answer cells (all correct, each with what students write in a kernel)."""
    answers = correct_answers(course)
    return {
        "s-matplotlib": _with(_with(answers, FIRST, "%matplotlib inline\nimport matplotlib.pyplot as plt\n",
                                    "\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('my sketch')\nplt.show()"),
                              SECOND, "", "\nplt.figure()\nplt.plot([0, 1])"),
        "s-time": _with(_with(answers, FIRST, "%%time\n"), SECOND,
                        "%time warm_ = sum(range(10))\n%timeit -n1 -r1 sum([1, 2])\n"),
        "s-shell": _with(answers, FIRST, "!echo hi\nlisting = !ls\nprint(type(listing).__name__)\n%pip list\n"
                                         "%load_ext autoreload\nget_ipython().run_line_magic('time', 'y_ = 2')\n"),
        "s-display": _with(answers, FIRST, "from IPython.display import display, Markdown\n"
                                           "display(Markdown('**my answer**'))\ndisplay(42)\nimport sys\n"
                                           "print('a warning', file=sys.stderr)\n"),
    }


def write(course: Path) -> dict[str, tuple[str, float]]:
    """student -> (expectation, honest score); see the module docstring."""
    mark_hidden_tests(course)
    answers = correct_answers(course)
    full = sum(points_per_answer(course).values())
    plan = honest_bookends(course, "shell-honest", "shell-blank")

    # Hidden-test thieves: what they find is printed in their last cell.
    _submit_cells(course, "t-hooks", {FIRST: THIEF_HOOKS}, {"": [THIEF_DUMP]})
    _submit_cells(course, "t-hooks-correct", _with(answers, FIRST, THIEF_HOOKS + "\n"), {"": [THIEF_DUMP]})
    _submit_cells(course, "t-history", {}, {"": [THIEF_DUMP]})
    _submit_cells(course, "t-memory", {}, {"": [THIEF_MEMORY]})
    _submit_cells(course, "t-exporter", _with(answers, FIRST, THIEF_EXPORTER + "\n"), {"": ["print(_seen)"]})
    plan |= {"t-hooks": ("at_most", 0.0), "t-hooks-correct": ("at_most", full), "t-history": ("at_most", 0.0),
             "t-memory": ("at_most", 0.0), "t-exporter": ("at_most", full)}

    # Honest students who write magics, shadow names, or call input() in a cell of their own.
    for student, theirs in magic_answers(course).items():
        submit(course, student, answers=theirs)
        plan[student] = ("exact", full)
    _submit_cells(course, "s-input", answers, {FIRST: ["name = input('Your name? ')"]})
    _submit_cells(course, "s-shadows-grade", _with(answers, FIRST, SHADOW), {})
    plan |= {"s-input": ("exact", full), "s-shadows-grade": ("exact", full)}
    return plan
