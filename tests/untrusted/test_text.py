"""Text printed from student-controlled strings carries no terminal control."""

from __future__ import annotations

import pytest

from coursekit.untrusted.text import for_terminal


@pytest.mark.parametrize(("hostile", "shown"), [
    ("name\x1b]52;c;cm0gLXJmIH4=\x07", "name"),                # OSC 52: write the clipboard
    ("x\x1b]0;pwned\x1b\\y", "xy"),                             # OSC 0: window title, ST-terminated
    ("a\x1b[2J\x1b[H\x1b[31mb", "ab"),                          # clear screen, home, colour
    ("ok\rFAKE 100/100", "okFAKE 100/100"),                     # carriage return overwrite
    ("a\x9b2Jb", "ab"),                                          # 8-bit CSI
    ("grade\u202e001\u202c", "grade001"),                       # bidi override (Trojan Source)
    ("bell\x07 nul\x00 del\x7f", "bell nul del"),
    ("tail\x1b", "tail"),                                        # a lone ESC at the end
])
def test_control_sequences_are_removed(hostile: str, shown: str) -> None:
    assert for_terminal(hostile) == shown


def test_ordinary_text_is_unchanged() -> None:
    text = "Jane Doe: 12.5 / 13 points — müde, naïve, 東京\n\tflag: wrong file name"
    assert for_terminal(text) == text


def test_no_control_character_survives_any_byte() -> None:
    every = "".join(chr(i) for i in range(0xA0)) + "\u202a\u202b\u202d\u2066\u2069"
    cleaned = for_terminal(every)
    assert all(ch in "\t\n" or 0x20 <= ord(ch) < 0x7F for ch in cleaned)
