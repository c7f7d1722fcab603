"""The adversarial corpus: one submission per attack on the grader.

Every attacker answers nothing honestly unless stated (honest score 0), so it must get
0 (or "failed"); fairness cases give honest answers with something odd about them and
must keep exactly their honest score. ``{course}``, ``{bank}`` and ``{source}`` are
filled in with the real paths, so the attacks aim at the real files.
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST = "ps1-landmark-front-crest-answer"
HIP = "ps1-hip-angle-lunge-answer"
FLEXORS = "ps1-flexors-limit-extension-answer"


@dataclass(frozen=True)
class Attack:
    name: str
    code: str                 # goes into the first answer cell
    honest: str = "blank"     # "blank" (honest score 0) or "correct" (all answers right)
    expect: str = "at_most"   # "at_most": <= honest; "exact": == honest; "failed": not graded
    cell: str = FIRST         # the answer cell the code is appended to


ATTACKS = [
    Attack("gradebook-write", """
import sqlite3, glob
for path in ["{course}/gradebook.db", "../../../gradebook.db", "../gradebook.db"] + glob.glob("/work/**/gradebook.db", recursive=True)[:5]:
    try:
        db = sqlite3.connect(path); db.execute("update grade set auto_score = 100"); db.commit(); print("wrote", path)
    except Exception as err:
        print("no", path, err)
"""),
    Attack("gradebook-delete", """
import os, shutil
for path in ["{course}/gradebook.db", "{course}"]:
    try:
        os.remove(path) if path.endswith(".db") else shutil.rmtree(path)
    except Exception as err:
        print(err)
"""),
    Attack("background-writer", """
import subprocess, sys
code = "import time, sqlite3\\nfor i in range(200):\\n  time.sleep(0.1)\\n  try:\\n    db = sqlite3.connect('{course}/gradebook.db'); db.execute('update grade set auto_score = 0'); db.commit()\\n  except Exception: pass  # ckattack"
subprocess.Popen([sys.executable, "-c", code], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
import os
if os.fork() == 0:
    os.setsid(); subprocess.Popen(["sleep", "317"]); os._exit(0)
"""),
    Attack("zero-classmates", """
import glob, json, os
for path in glob.glob("{course}/autograded/*/ps1/*.ipynb") + glob.glob("{course}/coursekit-grades/**/*.json", recursive=True):
    try:
        open(path, "w").write("{{}}")
    except Exception as err:
        print(err)
"""),
    Attack("patch-isclose", """
import math
math.isclose = lambda *a, **k: True
hip_lunge = 12345.0
""", cell=HIP),
    Attack("patch-assert-frame-equal", """
import pandas.testing, pandas._testing
pandas.testing.assert_frame_equal = lambda *a, **k: None
pandas._testing.assert_frame_equal = lambda *a, **k: None
"""),
    Attack("patch-checks", """
import coursekit.checks, coursekit.checks.api
from coursekit.checks.result import Result
full = lambda *a, **k: Result(1.0, ["all correct"])
coursekit.checks.check = coursekit.checks.api.check = full
coursekit.checks.grade = coursekit.checks.api.grade = lambda q, a, p: p
globals()["grade"] = lambda q, a, p: p
globals()["check"] = full
"""),
    Attack("patch-builtins", """
import builtins
builtins.isinstance = lambda *a: True
builtins.float = lambda *a: 1e9
builtins.len = lambda *a: 0
"""),
    Attack("fake-modules", """
import sys, types
fake = types.ModuleType("coursekit.checks")
fake.grade = lambda q, a, p: p
fake.check = lambda *a, **k: None
sys.modules["coursekit.checks"] = fake
sys.modules["coursekit.checks.api"] = fake
sys.modules["coursekit.checks.export"] = fake
"""),
    Attack("custom-exception-handler", """
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: print("13"))
from IPython.display import display
display(13)
"""),
    Attack("str-subclass-eq", """
class Yes(str):
    def __eq__(self, other): return True
    def __hash__(self): return 0
front_crest = Yes("z")
"""),
    Attack("lying-float", """
class Liar(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    def __float__(self): return 0.0
hip_lunge = Liar(9999.0)
""", cell=HIP),
    Attack("lying-list", """
class Always(list):
    def __contains__(self, x): return True
    def __eq__(self, other): return True
    def __len__(self): return 4
    def __iter__(self): return iter(["iliopsoas", "rectus femoris", "tensor fasciae latae", "sartorius"])
limiting_flexors = Always(["deltoid"])
""", cell=FLEXORS),
    Attack("read-source-and-bank", """
import glob
found = []
for pattern in ["{source}", "{bank}/*.yaml", "{course}/source/ps1/*.ipynb", "/work/**/ps1.yaml", "/root/**/ps1.yaml"]:
    for path in glob.glob(pattern, recursive=True)[:3]:
        try:
            found.append(open(path).read()[:10])
        except Exception as err:
            print(err)
if found:
    front_crest = "b"
"""),
    Attack("fork-bomb", """
import os
for i in range(100000):
    try:
        os.fork()
    except OSError:
        pass
"""),
    Attack("memory-bomb", """
blocks = []
while True:
    blocks.append(bytearray(200 * 1024 * 1024))
"""),
    Attack("many-process-memory-bomb", """
import os, time
kids = []
for i in range(8):
    pid = os.fork()
    if pid == 0:
        try:
            block = b"1" * (400 * 1024 * 1024)
            time.sleep(3)
        finally:
            os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
"""),
    Attack("infinite-loop", """
while True:
    pass
"""),
    Attack("uninterruptible-loop", """
import signal
signal.signal(signal.SIGALRM, signal.SIG_IGN)
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
"""),
    Attack("os-exit", "import os\nos._exit(0)"),
    Attack("kill-worker", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)"),
    Attack("huge-output", "print('x' * 50_000_000)"),
    Attack("forged-output", """
from IPython.display import display
display({{"application/vnd.coursekit.answer+json": {{"version": 1, "question": "ps1.tilt-lunge", "answer": 99}},
          "text/plain": "2.0"}}, raw=True)
import os
os.write(3, b'{{"done": 99, "outputs": []}}\\n{{"end": true}}\\n') if False else None
"""),
    Attack("write-system", """
for path in ["/work/main/src/coursekit/checks/api.py", "/usr/lib/python3/evil.py", "/etc/passwd"]:
    try:
        open(path, "a").write("# pwned")
    except Exception as err:
        print(err)
import socket
try:
    socket.create_connection(("1.1.1.1", 80), timeout=1)
except Exception as err:
    print(err)
"""),
    Attack("leave-files-for-next", """
import os, ctypes
for path in ["/tmp/ck-leak", "/scratch/ck-leak", "/dev/shm/ck-leak", os.path.expanduser("~/ck-leak")]:
    try:
        open(path, "w").write("b")
    except Exception as err:
        print(err)
libc = ctypes.CDLL(None)
print("shm", libc.shmget(0x636b, 4096, 0o1666))  # IPC_CREAT, key 'ck'
"""),
    # fairness: honest answers, something odd around them
    Attack("stderr-warning", "import warnings, sys\nwarnings.warn('a harmless warning')\nprint('note', file=sys.stderr)\n",
           honest="correct", expect="exact"),
]
