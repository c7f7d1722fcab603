"""Text for a terminal: no escape sequences, no control characters, no bidi tricks.

A student names a file, writes a markdown cell or raises an exception whose message the
grading summary prints. Printed as is, ``ESC ] 52`` writes the instructor's clipboard,
``ESC [ 2 J`` clears the screen and ``ESC ] 0`` sets the window title. Everything
printed from student-controlled text goes through :func:`for_terminal` first.

>>> for_terminal("ok\\x1b]52;c;ZXZpbA==\\x07 done")
'ok done'
>>> for_terminal("a\\x1b[2Jb\\rc\\u202ed")
'abcd'
>>> for_terminal("line one\\nline two\\ttab")
'line one\\nline two\\ttab'
"""

from __future__ import annotations

import re

__all__ = ["for_terminal"]

# ANSI/ECMA-48 sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (terminated
# by BEL or ESC \), and two-character ESC sequences.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]            # CSI ... final byte
    | \x9b[0-?]*[ -/]*[@-~]            # 8-bit CSI
    | (?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)   # OSC, DCS, SOS, PM, APC
    | \x1b[@-Z\\-_]                    # other two-byte escapes
    | \x1b.?                           # a lone ESC (and what follows it)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi controls that
# reorder what an instructor reads (CVE-2021-42574, "Trojan Source").
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def for_terminal(text: object) -> str:
    """``text`` (any object, via ``str``) with escape sequences and control characters removed."""
    return _CONTROLS.sub("", _ESCAPES.sub("", str(text)))
