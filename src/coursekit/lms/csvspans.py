"""A CSV reader that remembers where each field is, so a file can be edited in place.

Moodle takes its offline grading worksheet back only as it gave it out; the safest way
to change two columns and nothing else is to replace the characters of those fields
and leave every other byte of the file (encoding, byte-order mark, delimiter, quoting,
line endings) exactly as it was.

>>> table = parse('a,"b x",c\\r\\n1,,3\\r\\n', ",")
>>> [f.value for f in table.rows[0]], table.rows[0][1].quoted
(['a', 'b x', 'c'], True)
>>> edit(table, {(1, 1): "2"})
'a,"b x",c\\r\\n1,2,3\\r\\n'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Field", "Table", "parse", "edit", "render_field", "decode", "DELIMITERS"]

#: The separators Moodle's upload form offers (comma, semicolon, colon, tab).
DELIMITERS = (",", ";", "\t", ":")


@dataclass(frozen=True)
class Field:
    value: str
    start: int      #: offset of the field's first character (its quote, if quoted)
    end: int        #: offset just past the field
    quoted: bool


@dataclass
class Table:
    text: str
    delimiter: str
    rows: list[list[Field]] = field(default_factory=list)


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding) such that ``text.encode(encoding) == raw``: UTF-8 (with or without BOM),
    UTF-16 with a BOM, else Windows-1252 or Latin-1 (what Excel saves on Windows)."""
    candidates = ["utf-8-sig"] if raw.startswith(b"\xef\xbb\xbf") else (
        ["utf-16"] if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ["utf-8", "cp1252", "latin-1"])
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.encode(encoding) == raw:
            return text, encoding
    raise UnicodeError("the file's encoding cannot be read and written back unchanged")


def parse(text: str, delimiter: str) -> Table:
    """Split ``text`` into rows of fields (RFC 4180 quoting; CRLF, LF or CR line ends)."""
    table = Table(text, delimiter)
    i, n, row = 0, len(text), []
    while i < n:
        start = i
        if text[i] == '"':
            i += 1
            chars = []
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(text[i])
                i += 1
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                chars.append(text[i])  # text after a closing quote: kept, as lenient readers do
                i += 1
            row.append(Field("".join(chars), start, i, True))
        else:
            while i < n and text[i] not in (delimiter, "\r", "\n"):
                i += 1
            row.append(Field(text[start:i], start, i, False))
        if i < n and text[i] == delimiter:
            i += 1
            if i == n:
                row.append(Field("", i, i, False))
            continue
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        table.rows.append(row)
        row = []
    if row:
        table.rows.append(row)
    return table


def render_field(value: str, delimiter: str, *, quoted: bool) -> str:
    """``value`` as a CSV field: quoted when the original was, or when it must be."""
    if quoted or any(c in value for c in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def edit(table: Table, changes: dict[tuple[int, int], str]) -> str:
    """The text with the fields at (row, column) replaced and every other character kept."""
    text = table.text
    for (r, c), value in sorted(changes.items(), key=lambda kv: table.rows[kv[0][0]][kv[0][1]].start, reverse=True):
        old = table.rows[r][c]
        text = text[:old.start] + render_field(value, table.delimiter, quoted=old.quoted) + text[old.end:]
    return text
