"""Read an assignment spec: a Markdown file instructors edit instead of notebook metadata.

A spec is Markdown with a YAML front matter and fenced blocks that say what each code
cell is for::

    ---
    id: ps1
    title: "Problem set 1: hip movement and pelvic tilt"
    objectives: [hip-movements.2, pelvic-tilt.2]
    ---
    # Problem set 1          <- Markdown becomes instruction cells (split with +++)

    ```{setup}               <- read-only code cell (imports, data)
    from coursekit.checks import check_answer, grade
    ```

    ```{question} ps1.pelvic-tilt-bridge
    :points: 2
    :answer: tilt_bridge
    tilt_bridge = None       <- starter code the student sees
    ### BEGIN SOLUTION
    tilt_bridge = 12.0       <- the key, removed on release
    ### END SOLUTION
    ```

Block kinds: ``setup`` and ``widget`` (read-only code), ``code`` (free code cell) and
``question`` (prompt + answer + test cells, or a manually graded Markdown answer when the
bank question is of kind ``text``; its body is then the model answer).

>>> spec = parse_spec(EXAMPLE, path="ps0.md")
>>> spec.id, [b.kind for b in spec.blocks]
('ps0', ['markdown', 'setup', 'question'])
>>> spec.blocks[2].arg, spec.blocks[2].options["points"]
('ps0.answer', '1')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from coursekit.errors import SpecError

__all__ = ["Block", "Spec", "SpecError", "BLOCK_KINDS", "parse_spec", "load_spec", "EXAMPLE"]

BLOCK_KINDS = ("setup", "widget", "code", "question")
_FENCE = re.compile(r"^```\{(?P<kind>[a-z]+)\}\s*(?P<arg>\S*)\s*$")
_OPTION = re.compile(r"^:(?P<key>[a-z_]+):\s*(?P<value>.*)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

EXAMPLE = """---
id: ps0
title: Example
objectives: [hip-movements.2]
---
# Example

```{setup}
from coursekit.checks import check_answer, grade
```

```{question} ps0.answer
:points: 1
:answer: answer
answer = None
### BEGIN SOLUTION
answer = 42
### END SOLUTION
```
"""


@dataclass(frozen=True)
class Block:
    """One piece of a spec: Markdown text or a fenced block."""

    kind: str
    body: str
    line: int
    arg: str = ""
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    """A parsed assignment spec."""

    id: str
    title: str
    objectives: tuple[str, ...]
    blocks: tuple[Block, ...]
    path: Path

    @property
    def questions(self) -> list[Block]:
        """The question blocks, in order."""
        return [b for b in self.blocks if b.kind == "question"]


def _front_matter(text: str, path: str | Path) -> tuple[dict, list[str], int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise SpecError(path, "missing front matter: start the file with '---', id, title, objectives, '---'", line=1)
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise SpecError(path, "front matter is not closed: add a '---' line after it", line=1) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as err:
        raise SpecError(path, f"front matter is not valid YAML ({err})", line=2) from None
    if not isinstance(meta, dict):
        raise SpecError(path, "front matter must be a mapping (id:, title:, objectives:)", line=2)
    return meta, lines[end + 1 :], end + 2


def _markdown_blocks(chunk: list[str], first_line: int) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(chunk + ["+++"]):
        if line.strip() == "+++":
            text = "\n".join(current).strip()
            if text:
                blocks.append(Block("markdown", text, start))
            current, start = [], first_line + offset + 1
        else:
            current.append(line)
    return blocks


def _fenced(lines: list[str], start: int, kind: str, arg: str, path: str | Path, line_no: int) -> tuple[Block, int]:
    if kind not in BLOCK_KINDS:
        raise SpecError(path, f"unknown block kind {{{kind}}}; use one of {', '.join(BLOCK_KINDS)}", line=line_no)
    options: dict[str, str] = {}
    i = start + 1
    while i < len(lines) and (m := _OPTION.match(lines[i])):
        options[m["key"]] = m["value"].strip()
        i += 1
    body: list[str] = []
    while i < len(lines) and lines[i].rstrip() != "```":
        body.append(lines[i])
        i += 1
    if i >= len(lines):
        raise SpecError(path, f"block {{{kind}}} is not closed: add a line with ``` after it", line=line_no)
    return Block(kind, "\n".join(body).strip("\n"), line_no, arg, options), i + 1


def parse_spec(text: str, *, path: str | Path = "<spec>") -> Spec:
    """Parse the text of a spec (see the module docstring for the format)."""
    meta, lines, offset = _front_matter(text, path)
    for key in ("id", "title"):
        if not meta.get(key):
            raise SpecError(path, f"front matter needs {key!r}", line=2)
    if not _ID.match(str(meta["id"])):
        raise SpecError(path, f"id {meta['id']!r} must be lower-case letters, digits and '-'", line=2)
    blocks: list[Block] = []
    chunk: list[str] = []
    chunk_start, i = offset, 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m is None:
            chunk.append(lines[i])
            i += 1
            continue
        blocks += _markdown_blocks(chunk, chunk_start)
        block, i = _fenced(lines, i, m["kind"], m["arg"], path, offset + i)
        blocks.append(block)
        chunk, chunk_start = [], offset + i
    blocks += _markdown_blocks(chunk, chunk_start)
    objectives = meta.get("objectives") or []
    if not isinstance(objectives, list):
        raise SpecError(path, "objectives must be a list of objective ids, e.g. [pelvic-tilt.2]", line=2)
    return Spec(str(meta["id"]), str(meta["title"]), tuple(map(str, objectives)), tuple(blocks), Path(path))


def load_spec(path: str | Path) -> Spec:
    """Read and parse a spec file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SpecError(path, f"cannot read the spec ({err.strerror})") from None
    return parse_spec(text, path=path)
