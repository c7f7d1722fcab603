"""A seccomp filter that keeps student code out of new user namespaces and the kernel keyrings.

Installed by the grading child just before it runs a submission (after it dropped its
privileges), so it binds student code and everything it starts, and nothing else. The
filter is a small classic-BPF program (the libseccomp bindings on PyPI need the system
library; this needs only ``prctl``). It makes these system calls fail:

* ``unshare`` and ``clone`` with ``CLONE_NEWUSER``: EPERM (no user namespace, so no
  "uid 0" inside one and none of the capabilities it would bring);
* ``clone3``: ENOSYS (its flags live in memory a filter cannot read; the C library then
  falls back to ``clone``, which is checked);
* ``setns`` (no joining another namespace), ``add_key``, ``request_key``, ``keyctl``
  (a uid's keyrings outlive its processes, so they would carry data to the next
  submission): EPERM;
* any system call of another ABI than the native one (i386 ``int 0x80`` on x86_64, x32):
  EPERM, so the numbers above cannot be dodged.

Only x86_64 and aarch64 are known; elsewhere :func:`unsupported` says why and the
sandbox does not claim the protection.

>>> len(program("x86_64")) > 10 and program("riscv64") is None
True
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
from dataclasses import dataclass

__all__ = ["SeccompError", "program", "install", "unsupported", "CLONE_NEWUSER"]

CLONE_NEWUSER = 0x10000000

# classic BPF opcodes (linux/filter.h, linux/bpf_common.h)
_LD_W_ABS = 0x20   # BPF_LD | BPF_W | BPF_ABS: A = seccomp_data[k]
_JEQ = 0x15        # BPF_JMP | BPF_JEQ | BPF_K
_JGE = 0x35        # BPF_JMP | BPF_JGE | BPF_K
_JSET = 0x45       # BPF_JMP | BPF_JSET | BPF_K
_RET = 0x06        # BPF_RET | BPF_K
_ALLOW = 0x7FFF0000            # SECCOMP_RET_ALLOW
_ERRNO = 0x00050000            # SECCOMP_RET_ERRNO | errno
# offsets in struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6];} (little endian)
_NR, _ARCH, _ARG0 = 0, 4, 16
_X32_BIT = 0x40000000


@dataclass(frozen=True)
class _Arch:
    audit: int                 # AUDIT_ARCH_* of the native ABI
    unshare: int
    clone: int
    clone3: int
    denied: tuple[int, ...]    # setns, add_key, request_key, keyctl
    x32: bool = False          # x86_64: syscall numbers with the x32 bit are another ABI


ARCHES = {
    "x86_64": _Arch(0xC000003E, 272, 56, 435, (308, 248, 249, 250), x32=True),
    "aarch64": _Arch(0xC00000B7, 97, 220, 435, (268, 217, 218, 219)),
}
ARCHES["arm64"] = ARCHES["aarch64"]


class SeccompError(OSError):
    """The filter could not be installed."""


def program(machine: str | None = None) -> list[tuple[int, int, int, int]] | None:
    """The filter as (code, jt, jf, k) instructions for ``machine`` (default: this one), or None if unknown."""
    arch = ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    # Assembled with labels; a jump's offset is counted from the next instruction.
    code: list[tuple[int, str | int, str | int, int]] = [
        (_LD_W_ABS, 0, 0, _ARCH),
        (_JEQ, 0, "eperm", arch.audit),
        (_LD_W_ABS, 0, 0, _NR),
    ]
    if arch.x32:
        code.append((_JGE, "eperm", 0, _X32_BIT))
    code.append((_JEQ, "enosys", 0, arch.clone3))
    code += [(_JEQ, "eperm", 0, nr) for nr in arch.denied]
    code += [(_JEQ, "flags", 0, arch.unshare), (_JEQ, "flags", 0, arch.clone), (_RET, 0, 0, _ALLOW)]
    labels = {"flags": len(code)}
    code += [(_LD_W_ABS, 0, 0, _ARG0), (_JSET, "eperm", 0, CLONE_NEWUSER), (_RET, 0, 0, _ALLOW)]
    labels["eperm"] = len(code)
    code.append((_RET, 0, 0, _ERRNO | errno.EPERM))
    labels["enosys"] = len(code)
    code.append((_RET, 0, 0, _ERRNO | errno.ENOSYS))

    def offset(target: str | int, at: int) -> int:
        return labels[target] - at - 1 if isinstance(target, str) else target

    return [(op, offset(jt, i), offset(jf, i), k) for i, (op, jt, jf, k) in enumerate(code)]


def unsupported() -> str | None:
    """Why the filter cannot be used here (None when it can)."""
    if platform.system() != "Linux":
        return "seccomp needs Linux"
    if program() is None:
        return f"no seccomp filter for the {platform.machine()} architecture"
    return None


def install() -> None:
    """Install the filter on the calling thread (and all it starts); raise :class:`SeccompError` if impossible.

    Sets ``PR_SET_NO_NEW_PRIVS`` first, as an unprivileged process must (and so no
    set-uid program can raise the privileges of what the submission starts).
    """
    instructions = program()
    if instructions is None:
        raise SeccompError(unsupported())
    raw = b"".join(struct.pack("=HBBI", *ins) for ins in instructions)
    buffer = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(instructions), ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        raise SeccompError(ctypes.get_errno(), f"PR_SET_NO_NEW_PRIVS: {os.strerror(ctypes.get_errno())}")
    if libc.prctl(22, 2, ctypes.addressof(prog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
        raise SeccompError(ctypes.get_errno(), f"PR_SET_SECCOMP: {os.strerror(ctypes.get_errno())}")
